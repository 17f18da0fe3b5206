"""AlexNet (Krizhevsky et al., 2012) and VGG-16 (Simonyan and Zisserman, 2014), as torchvision.

Both are ``features`` (convolutions, ReLU, max pooling), an adaptive average pool to a
fixed grid (6x6, 7x7) and a ``classifier`` of dense layers with dropout, so any input
size at least the minimum gives the same classifier width. Attribute names give
torchvision's keys (``features.0.weight``, ``classifier.1.weight``, ...).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..nn import (
    AdaptiveAvgPool2d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
    Module,
    ReLU,
    Sequential,
)
from ..nn.init import default_rng
from ._size import check_min_size

VGG16_CONFIG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
                512, 512, 512, "M")  # fmt: skip


class ImageNetClassifier(Module):
    """``features -> avgpool -> flatten -> classifier``: AlexNet's and VGG's layout."""

    def __init__(self, features: Sequential, grid: int, classifier: Sequential):
        super().__init__()
        self.features = features
        self.avgpool = AdaptiveAvgPool2d((grid, grid))
        self.flatten = Flatten()
        self.classifier = classifier

    def forward(self, x: np.ndarray) -> np.ndarray:
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def alexnet(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
    dropout: float = 0.5,
) -> ImageNetClassifier:
    """torchvision's AlexNet: 5 convolutions, 3 dense layers, 61,100,840 parameters.

    Weights start from PyTorch's default distributions (as torchvision's). ``input_size``
    is only checked (at least 63).

    >>> model = alexnet(num_classes=10, rng=0).eval()
    >>> model(np.zeros((1, 3, 63, 63), dtype=np.float32)).shape
    (1, 10)
    """
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    check_min_size("input_size", input_size, 63)
    rng = default_rng(rng)
    features = Sequential(
        Conv2d(in_channels, 64, 11, stride=4, padding=2, rng=rng), ReLU(), MaxPool2d(3, 2),
        Conv2d(64, 192, 5, padding=2, rng=rng), ReLU(), MaxPool2d(3, 2),
        Conv2d(192, 384, 3, padding=1, rng=rng), ReLU(),
        Conv2d(384, 256, 3, padding=1, rng=rng), ReLU(),
        Conv2d(256, 256, 3, padding=1, rng=rng), ReLU(), MaxPool2d(3, 2),
    )  # fmt: skip
    classifier = Sequential(
        Dropout(dropout, rng=rng), Linear(256 * 6 * 6, 4096, rng=rng), ReLU(),
        Dropout(dropout, rng=rng), Linear(4096, 4096, rng=rng), ReLU(),
        Linear(4096, num_classes, rng=rng),
    )  # fmt: skip
    return ImageNetClassifier(features, 6, classifier)


def vgg16(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
    dropout: float = 0.5,
) -> ImageNetClassifier:
    """torchvision's VGG-16 (configuration D, no batch norm): 138,357,544 parameters.

    Thirteen 3x3 convolutions in five blocks, each closed by a 2x2 max pool, then three
    dense layers. Convolutions start He-normal (fan_out) with zero biases, as
    torchvision's; dense layers from PyTorch's default (torchvision: N(0, 0.01)), which
    spares drawing 123 M numbers twice. ``input_size`` is only checked (at least 32).

    >>> list(VGG16_CONFIG).count("M"), sum(isinstance(c, int) for c in VGG16_CONFIG)
    (5, 13)
    """
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    check_min_size("input_size", input_size, 32)
    rng = default_rng(rng)
    layers, channels = [], in_channels
    for item in VGG16_CONFIG:
        if item == "M":
            layers.append(MaxPool2d(2, 2))
        else:
            layers += [Conv2d(channels, item, 3, padding=1, rng=rng), ReLU()]
            channels = item
    classifier = Sequential(
        Linear(512 * 7 * 7, 4096, rng=rng), ReLU(), Dropout(dropout, rng=rng),
        Linear(4096, 4096, rng=rng), ReLU(), Dropout(dropout, rng=rng),
        Linear(4096, num_classes, rng=rng),
    )  # fmt: skip
    model = ImageNetClassifier(Sequential(*layers), 7, classifier)
    for module in model.modules():
        if isinstance(module, Conv2d):
            std = (2 / (module.weight.shape[0] * 9)) ** 0.5  # He normal, fan_out
            module.weight.data[...] = rng.standard_normal(module.weight.shape, np.float32) * std
            module.bias.data[...] = 0
    return model
