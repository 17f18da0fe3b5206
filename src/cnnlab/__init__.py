"""cnnlab: a convolutional-neural-network laboratory on NumPy.

Contents
--------
signal      convolution and correlation of 1-D, 2-D and N-D arrays; the convolution integral
filters     image filtering with the classic kernels (mean, Gaussian, Sobel, ...), median
functional  the maths of CNN layers on arrays: conv, pooling, activations, losses
nn          layers with explicit forward and backward, containers, losses
optim       optimizers (SGD, Adam, AdamW) and learning-rate schedules (StepLR, CosineAnnealingLR)
train       fit (progress bars, checkpoints, resume, early stopping), evaluate, predict_proba
models      architectures: lenet5, small_vgg
inspect     summary (shapes, parameters, MACs, receptive fields), activations, saliency, Grad-CAM
physics     the 2-D Ising model (sampler, exact results) and the CNN estimate of Tc
weights     PyTorch .pth files read without torch or pickle code; the published ImageNet weights
guessing    the image guesser: ImageNet classes, preprocessing, test-time augmentation
save        save / load_weights: a model's weights as .safetensors under PyTorch's key names
guess       guess(image): "Image prediction: ping-pong ball / Confidence: 100.0%"
no_grad     forward passes that keep nothing for backward (as torch.no_grad)
set_num_threads / get_num_threads   threads for batch-parallel work (as torch's)
set_backend / get_backend / use_backend   "fast" (default) or the readable "reference" ops
"""

from .backend import get_backend, get_num_threads, set_backend, set_num_threads, use_backend
from .grad_mode import no_grad
from .memory import keep_freed_memory
from .serialization import load_weights, save

__version__ = "0.1.0"

keep_freed_memory()  # big arrays freed each step are reused, not faulted in again

__all__ = [
    "get_backend",
    "get_num_threads",
    "guess",
    "load_weights",
    "no_grad",
    "save",
    "set_backend",
    "set_num_threads",
    "use_backend",
]


def guess(image, model: str = "resnext50_32x4d", weights=None, top: int = 5, tta: bool = False):
    """Guess what an image shows, like the lecture's bot; see `cnnlab.guessing.guess`.

    Imported on first use, so ``import cnnlab`` stays quick.
    """
    from .guessing import guess as guess_image

    return guess_image(image, model=model, weights=weights, top=top, tta=tta)
