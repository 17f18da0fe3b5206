"""A small VGG-style network for 32x32 colour images (CIFAR-10 sized)."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..nn import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential
from ..nn.init import default_rng
from ._size import check_min_size


def small_vgg(
    num_classes: int = 10,
    in_channels: int = 3,
    rng: np.random.Generator | int | None = None,
    input_size: int = 32,
) -> Sequential:
    """Two VGG blocks of 3x3 convolutions, then two dense layers.

    ``conv 3->32 -> relu -> conv 32->32 -> relu -> maxpool 2 -> conv 32->64 -> relu ->
    conv 64->64 -> relu -> maxpool 2 -> flatten (64*8*8 = 4096 for 32x32 inputs) -> 256 -> relu ->
    num_classes``; every convolution is 3x3 with padding 1.

    Parameters
    ----------
    num_classes : int
        Number of output logits.
    in_channels : int
        Channels of the ``(N, C, 32, 32)`` input.
    rng : Generator or int, optional
        Source of the initial weights (PyTorch's default distributions).
    input_size : int
        Height and width of the square input; it sets the width of the first dense layer.

    Returns
    -------
    Sequential
        Input ``(N, in_channels, input_size, input_size)``, output ``(N, num_classes)``.

    Examples
    --------
    >>> model = small_vgg(rng=0)
    >>> model(np.zeros((1, 3, 32, 32), dtype=np.float32)).shape
    (1, 10)
    """
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    side = check_min_size("input_size", input_size, 4) // 4  # after two 2x2 poolings
    rng = default_rng(rng)

    def conv(c_in: int, c_out: int) -> Conv2d:
        return Conv2d(c_in, c_out, kernel_size=3, padding=1, rng=rng)

    return Sequential(
        conv(in_channels, 32),
        ReLU(),
        conv(32, 32),
        ReLU(),
        MaxPool2d(2),
        conv(32, 64),
        ReLU(),
        conv(64, 64),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(64 * side * side, 256, rng=rng),
        ReLU(),
        Linear(256, num_classes, rng=rng),
    )
