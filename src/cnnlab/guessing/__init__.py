"""What does an image show? ImageNet networks (and your own) in the guesser bot's words.

guess               one image's top classes: "Image prediction: ping-pong ball"
Guesser, Guess      a loaded network to guess many images with; one image's result
imagenet_classes    the 1000 ImageNet class names (torchvision's short names)
preprocess          torchvision's eval transform: resize, centre crop, normalise
tta                 test-time views (mirror, rotations, perspective) for a steadier confidence
"""

from .classes import imagenet_classes
from .guesser import Guess, Guesser, guess
from .preprocess import IMAGENET_MEAN, IMAGENET_NORMALIZE, IMAGENET_STD, imagenet_input

__all__ = [
    "IMAGENET_MEAN",
    "IMAGENET_NORMALIZE",
    "IMAGENET_STD",
    "Guess",
    "Guesser",
    "guess",
    "imagenet_classes",
    "imagenet_input",
]
