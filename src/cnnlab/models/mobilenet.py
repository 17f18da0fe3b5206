"""MobileNetV2 (Sandler et al., 2018) exactly as torchvision builds it.

Inverted residual blocks: a 1x1 expansion, a 3x3 depthwise convolution
(``groups = channels``) and a linear 1x1 projection, with ReLU6 after the first two and
a shortcut when the shape allows. Attribute names give torchvision's state-dict keys
(``features.0.0.weight``, ``features.1.conv.0.0.weight``, ``classifier.1.weight``).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..nn import (
    AdaptiveAvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    Module,
    ReLU6,
    Sequential,
    ops,
)
from ..nn.init import default_rng
from ._blocks import he_normal_init
from ._size import check_min_size

# expansion t, output channels c, repeats n, first stride s (the paper's Table 2)
INVERTED_RESIDUAL_SETTING = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)


def conv_bn_relu6(c_in: int, c_out: int, kernel_size=3, stride=1, groups=1, rng=None):
    """torchvision's ``Conv2dNormActivation``: conv (no bias), batch norm, ReLU6."""
    padding = (kernel_size - 1) // 2
    conv = Conv2d(c_in, c_out, kernel_size, stride, padding, groups=groups, bias=False, rng=rng)
    return Sequential(conv, BatchNorm2d(c_out), ReLU6())


class InvertedResidual(Module):
    """``expand 1x1 -> depthwise 3x3 -> project 1x1`` (+ input when stride 1, same width).

    >>> block = InvertedResidual(16, 16, stride=1, expand_ratio=6, rng=0)
    >>> block.use_res_connect, block.conv[1][0]
    (True, Conv2d(96 -> 96, kernel_size=3, padding=1, groups=96, bias=False))
    """

    def __init__(self, inp: int, oup: int, stride: int, expand_ratio: int, rng=None):
        super().__init__()
        rng = default_rng(rng)
        hidden = int(round(inp * expand_ratio))
        self.use_res_connect = stride == 1 and inp == oup
        layers = [] if expand_ratio == 1 else [conv_bn_relu6(inp, hidden, 1, rng=rng)]
        layers += [
            conv_bn_relu6(hidden, hidden, 3, stride, groups=hidden, rng=rng),
            Conv2d(hidden, oup, 1, bias=False, rng=rng),
            BatchNorm2d(oup),
        ]
        self.conv = Sequential(*layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        y = self.conv(x)
        return ops.add(x, y) if self.use_res_connect else y


class MobileNetV2(Module):
    """``features`` (stem, 17 inverted residuals, 1x1 to 1280) -> pool -> ``classifier``.

    Input ``(N, in_channels, H, W)``, output ``(N, num_classes)``.
    """

    def __init__(self, num_classes=1000, in_channels=3, dropout=0.2, rng=None):
        super().__init__()
        rng = default_rng(rng)
        channels = 32
        layers = [conv_bn_relu6(in_channels, channels, 3, stride=2, rng=rng)]
        for t, c, n, s in INVERTED_RESIDUAL_SETTING:
            for i in range(n):
                layers.append(InvertedResidual(channels, c, s if i == 0 else 1, t, rng=rng))
                channels = c
        layers.append(conv_bn_relu6(channels, 1280, 1, rng=rng))
        self.features = Sequential(*layers)
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.flatten = Flatten()
        self.classifier = Sequential(Dropout(dropout, rng=rng), Linear(1280, num_classes))
        he_normal_init(self, rng)
        linear = self.classifier[1]  # torchvision: N(0, 0.01) weights, zero bias
        linear.weight.data[...] = rng.normal(0.0, 0.01, linear.weight.shape)
        linear.bias.data[...] = 0

    def forward(self, x: np.ndarray) -> np.ndarray:
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def mobilenet_v2(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
) -> MobileNetV2:
    """torchvision's MobileNetV2 (width 1.0): 3,504,872 parameters.

    ``input_size`` is only checked (at least 32): the global pooling takes any size.

    >>> model = mobilenet_v2(num_classes=10, rng=0).eval()
    >>> model(np.zeros((1, 3, 32, 32), dtype=np.float32)).shape
    (1, 10)
    >>> list(model.state_dict())[:2]
    ['features.0.0.weight', 'features.0.1.weight']
    """
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    check_min_size("input_size", input_size, 32)
    return MobileNetV2(num_classes, in_channels, rng=rng)
