"""ResNet and ResNeXt exactly as torchvision builds them (ResNet v1.5).

The stride of a downsampling bottleneck sits in its 3x3 convolution (NVIDIA's "v1.5"),
the shortcut that changes shape is ``Sequential(conv1x1, BatchNorm2d)``, and every
attribute carries torchvision's name, so a torchvision ``state_dict`` (``conv1.weight``,
``layer1.0.downsample.0.weight``, ``fc.bias``, ...) loads without renaming.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..nn import (
    AdaptiveAvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    Module,
    ReLU,
    Sequential,
    ops,
)
from ..nn.containers import chain
from ..nn.init import default_rng
from ._blocks import he_normal_init
from ._size import check_min_size


class BasicBlock(Module):
    """Two 3x3 convolutions with batch norm, plus the shortcut (ResNet-18 and -34).

    >>> block = BasicBlock(64, 64, rng=0)
    >>> block(np.zeros((1, 64, 8, 8), dtype=np.float32)).shape
    (1, 64, 8, 8)
    """

    expansion = 1

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Sequential | None = None,
        groups: int = 1,
        base_width: int = 64,
        rng: np.random.Generator | int | None = None,
    ):
        super().__init__()
        if groups != 1 or base_width != 64:
            raise ValueError(
                "BasicBlock supports only groups=1 and base_width=64, as torchvision's. "
                f"Received: groups={groups}, base_width={base_width}."
            )
        rng = default_rng(rng)
        self.conv1 = Conv2d(inplanes, planes, 3, stride, padding=1, bias=False, rng=rng)
        self.bn1 = BatchNorm2d(planes)
        self.relu1 = ReLU()
        self.conv2 = Conv2d(planes, planes, 3, padding=1, bias=False, rng=rng)
        self.bn2 = BatchNorm2d(planes)
        self.downsample = downsample
        self.relu = ReLU()

    def forward(self, x: np.ndarray) -> np.ndarray:
        out = chain(x, self.conv1, self.bn1, self.relu1, self.conv2, self.bn2)
        identity = x if self.downsample is None else self.downsample(x)
        return _add_relu(out, identity, self.relu)


class Bottleneck(Module):
    """1x1 reduce, 3x3 (strided, grouped) and 1x1 expand convolutions, plus the shortcut.

    ``width = planes * base_width / 64 * groups`` channels run through the 3x3
    convolution; the block outputs ``4 * planes``. ResNeXt is this block with
    ``groups = 32``.

    >>> block = Bottleneck(256, 64, groups=32, base_width=4, rng=0)
    >>> block.conv2
    Conv2d(128 -> 128, kernel_size=3, padding=1, groups=32, bias=False)
    """

    expansion = 4

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Sequential | None = None,
        groups: int = 1,
        base_width: int = 64,
        rng: np.random.Generator | int | None = None,
    ):
        super().__init__()
        rng = default_rng(rng)
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = Conv2d(inplanes, width, 1, bias=False, rng=rng)
        self.bn1 = BatchNorm2d(width)
        self.relu1 = ReLU()
        self.conv2 = Conv2d(width, width, 3, stride, padding=1, groups=groups, bias=False, rng=rng)
        self.bn2 = BatchNorm2d(width)
        self.relu2 = ReLU()
        self.conv3 = Conv2d(width, planes * self.expansion, 1, bias=False, rng=rng)
        self.bn3 = BatchNorm2d(planes * self.expansion)
        self.downsample = downsample
        self.relu = ReLU()

    def forward(self, x: np.ndarray) -> np.ndarray:
        out = chain(x, self.conv1, self.bn1, self.relu1, self.conv2, self.bn2, self.relu2)
        out = chain(out, self.conv3, self.bn3)
        identity = x if self.downsample is None else self.downsample(x)
        return _add_relu(out, identity, self.relu)


def _add_relu(out: np.ndarray, identity: np.ndarray, relu: ReLU) -> np.ndarray:
    """``relu(out + identity)``, the end of a residual block.

    ``out`` is the block's own array, made by its last batch norm: under ``no_grad()``
    the sum and the ReLU are written over it (:func:`chain`, ``ops.add_in_place``), so
    inference makes no new array here.
    """
    return chain(ops.add_in_place(out, identity), relu, fresh=True)


class ResNet(Module):
    """Stem, four stages of residual blocks, global average pooling and ``fc``.

    ``conv1 7x7/2 -> bn1 -> relu -> maxpool 3x3/2 -> layer1..layer4 (strides 1, 2, 2, 2)
    -> avgpool -> flatten -> fc``. Input ``(N, in_channels, H, W)``, output
    ``(N, num_classes)``; any ``H, W >= 32`` works (ImageNet: 224).

    Parameters
    ----------
    block : BasicBlock or Bottleneck
    layers : four ints
        Blocks per stage: ``[2, 2, 2, 2]`` for ResNet-18, ``[3, 4, 6, 3]`` for ResNet-50.
    num_classes, in_channels : int
    groups, width_per_group : int
        ResNeXt's cardinality and the width of each group (64 and 1 for plain ResNet).
    rng : Generator or int, optional
        Source of the initial weights: He-normal (fan_out) convolutions, batch norm at
        weight 1 and bias 0, ``fc`` as PyTorch's default ``Linear``.
    """

    def __init__(
        self,
        block: type[BasicBlock] | type[Bottleneck],
        layers: list[int],
        num_classes: int = 1000,
        in_channels: int = 3,
        groups: int = 1,
        width_per_group: int = 64,
        rng: np.random.Generator | int | None = None,
    ):
        super().__init__()
        rng = default_rng(rng)
        self.inplanes = 64
        self.groups, self.base_width = groups, width_per_group
        self.conv1 = Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False, rng=rng)
        self.bn1 = BatchNorm2d(64)
        self.relu = ReLU()
        self.maxpool = MaxPool2d(3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0], 1, rng)
        self.layer2 = self._make_layer(block, 128, layers[1], 2, rng)
        self.layer3 = self._make_layer(block, 256, layers[2], 2, rng)
        self.layer4 = self._make_layer(block, 512, layers[3], 2, rng)
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.flatten = Flatten()
        self.fc = Linear(512 * block.expansion, num_classes, rng=rng)
        he_normal_init(self, rng)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = chain(x, self.conv1, self.bn1, self.relu, self.maxpool)
        x = chain(x, self.layer1, self.layer2, self.layer3, self.layer4)
        return chain(x, self.avgpool, self.flatten, self.fc)

    def _make_layer(self, block, planes: int, blocks: int, stride: int, rng) -> Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = Sequential(
                Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False, rng=rng),
                BatchNorm2d(planes * block.expansion),
            )
        first = block(self.inplanes, planes, stride, downsample, self.groups, self.base_width, rng)
        self.inplanes = planes * block.expansion
        rest = [
            block(self.inplanes, planes, 1, None, self.groups, self.base_width, rng)
            for _ in range(1, blocks)
        ]
        return Sequential(first, *rest)


def _resnet(block, layers, num_classes, in_channels, rng, input_size, **widths) -> ResNet:
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    check_min_size("input_size", input_size, 32)
    return ResNet(block, layers, num_classes, in_channels, rng=rng, **widths)


def resnet18(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
) -> ResNet:
    """torchvision's ResNet-18: BasicBlocks ``[2, 2, 2, 2]``, 11,689,512 parameters.

    ``input_size`` is only checked (at least 32): the global pooling takes any size.

    >>> model = resnet18(num_classes=10, rng=0).eval()
    >>> model(np.zeros((1, 3, 32, 32), dtype=np.float32)).shape
    (1, 10)
    >>> list(model.state_dict())[:3]
    ['conv1.weight', 'bn1.weight', 'bn1.bias']
    """
    return _resnet(BasicBlock, [2, 2, 2, 2], num_classes, in_channels, rng, input_size)


def resnet34(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
) -> ResNet:
    """torchvision's ResNet-34: BasicBlocks ``[3, 4, 6, 3]``, 21,797,672 parameters.

    >>> resnet34(num_classes=10, rng=0).layer3[5].conv2
    Conv2d(256 -> 256, kernel_size=3, padding=1, bias=False)
    """
    return _resnet(BasicBlock, [3, 4, 6, 3], num_classes, in_channels, rng, input_size)


def resnet50(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
) -> ResNet:
    """torchvision's ResNet-50 (v1.5): Bottlenecks ``[3, 4, 6, 3]``, 25,557,032 parameters.

    >>> resnet50(num_classes=10, rng=0).layer2[0].conv2
    Conv2d(128 -> 128, kernel_size=3, stride=2, padding=1, bias=False)
    """
    return _resnet(Bottleneck, [3, 4, 6, 3], num_classes, in_channels, rng, input_size)


def resnext50_32x4d(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
) -> ResNet:
    """torchvision's ResNeXt-50 32x4d: ResNet-50 with 32 groups of width 4 in each 3x3.

    25,028,904 parameters; the network of the image guesser.

    >>> resnext50_32x4d(rng=0).layer1[0].conv2
    Conv2d(128 -> 128, kernel_size=3, padding=1, groups=32, bias=False)
    """
    return _resnet(
        Bottleneck, [3, 4, 6, 3], num_classes, in_channels, rng, input_size,
        groups=32, width_per_group=4,
    )  # fmt: skip


def resnext101_32x8d(
    num_classes: int = 1000,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 224,
) -> ResNet:
    """torchvision's ResNeXt-101 32x8d: Bottlenecks ``[3, 4, 23, 3]``, 32 groups of width 8.

    88,791,336 parameters.

    >>> Bottleneck(256, 64, groups=32, base_width=8).conv2  # its first block's 3x3
    Conv2d(256 -> 256, kernel_size=3, padding=1, groups=32, bias=False)
    """
    return _resnet(
        Bottleneck, [3, 4, 23, 3], num_classes, in_channels, rng, input_size,
        groups=32, width_per_group=8,
    )  # fmt: skip
