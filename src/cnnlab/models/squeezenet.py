"""SqueezeNet 1.1 (Iandola et al., 2016) exactly as torchvision builds it.

Fire modules squeeze the channels with a 1x1 convolution, then expand them again with a
1x1 and a 3x3 convolution side by side whose outputs are concatenated along the
channels. The classifier is a 1x1 convolution followed by global average pooling.
Attribute names give torchvision's keys (``features.3.squeeze.weight``,
``features.3.expand1x1.weight``, ``classifier.1.weight``).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_positive_int
from ..nn import (
    AdaptiveAvgPool2d,
    Conv2d,
    Dropout,
    Flatten,
    MaxPool2d,
    Module,
    ReLU,
    Sequential,
    ops,
)
from ..nn.init import default_rng
from ._size import check_min_size


def _pool() -> MaxPool2d:
    """torchvision's pooling here: 3x3, stride 2, the last window may hang over the edge."""
    return MaxPool2d(3, 2, ceil_mode=True)


class Fire(Module):
    """``s = relu(squeeze(x))``, then ``concat(relu(expand1x1(s)), relu(expand3x3(s)))``.

    >>> fire = Fire(64, 16, 64, 64, rng=0)
    >>> fire(np.zeros((1, 64, 5, 5), dtype=np.float32)).shape
    (1, 128, 5, 5)
    """

    def __init__(self, inplanes, squeeze_planes, expand1x1_planes, expand3x3_planes, rng=None):
        super().__init__()
        rng = default_rng(rng)
        self.squeeze = Conv2d(inplanes, squeeze_planes, 1, rng=rng)
        self.squeeze_activation = ReLU()
        self.expand1x1 = Conv2d(squeeze_planes, expand1x1_planes, 1, rng=rng)
        self.expand1x1_activation = ReLU()
        self.expand3x3 = Conv2d(squeeze_planes, expand3x3_planes, 3, padding=1, rng=rng)
        self.expand3x3_activation = ReLU()

    def forward(self, x: np.ndarray) -> np.ndarray:
        s = self.squeeze_activation(self.squeeze(x))
        left = self.expand1x1_activation(self.expand1x1(s))
        right = self.expand3x3_activation(self.expand3x3(s))
        return ops.concatenate([left, right], axis=1)


class SqueezeNet(Module):
    """SqueezeNet 1.1: ``features`` (conv, 8 Fire modules, 3 pools) -> ``classifier``.

    Input ``(N, in_channels, H, W)`` with ``H, W >= 17``, output ``(N, num_classes)``.
    """

    def __init__(self, num_classes=1000, in_channels=3, dropout=0.5, rng=None):
        super().__init__()
        rng = default_rng(rng)
        self.features = Sequential(
            Conv2d(in_channels, 64, 3, stride=2, rng=rng), ReLU(), _pool(),
            Fire(64, 16, 64, 64, rng), Fire(128, 16, 64, 64, rng), _pool(),
            Fire(128, 32, 128, 128, rng), Fire(256, 32, 128, 128, rng), _pool(),
            Fire(256, 48, 192, 192, rng), Fire(384, 48, 192, 192, rng),
            Fire(384, 64, 256, 256, rng), Fire(512, 64, 256, 256, rng),
        )  # fmt: skip
        final_conv = Conv2d(512, num_classes, 1, rng=rng)
        self.classifier = Sequential(
            Dropout(dropout, rng=rng), final_conv, ReLU(), AdaptiveAvgPool2d((1, 1))
        )
        self.flatten = Flatten()
        # torchvision: He-uniform (fan_in) convolutions, N(0, 0.01) for the final one.
        for module in self.modules():
            if isinstance(module, Conv2d):
                weight = module.weight.data
                if module is final_conv:
                    weight[...] = rng.normal(0.0, 0.01, weight.shape)
                else:
                    bound = math.sqrt(6.0 / int(np.prod(weight.shape[1:])))
                    weight[...] = rng.uniform(-bound, bound, weight.shape)
                module.bias.data[...] = 0

    def forward(self, x: np.ndarray) -> np.ndarray:
        return self.flatten(self.classifier(self.features(x)))


def squeezenet1_1(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
) -> SqueezeNet:
    """torchvision's SqueezeNet 1.1: 1,235,496 parameters, 0.35 GFLOPs at 224x224.

    ``input_size`` is only checked (at least 17): the global pooling takes any size.

    >>> model = squeezenet1_1(num_classes=10, rng=0).eval()
    >>> model(np.zeros((1, 3, 64, 64), dtype=np.float32)).shape
    (1, 10)
    >>> [key for key in model.state_dict() if key.startswith("features.3.")][:2]
    ['features.3.squeeze.weight', 'features.3.squeeze.bias']
    """
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    check_min_size("input_size", input_size, 17)
    return SqueezeNet(num_classes, in_channels, rng=rng)
