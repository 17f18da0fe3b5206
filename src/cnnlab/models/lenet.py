"""LeNet-5 (LeCun et al., 1998), with ReLU and max pooling as taught today."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..nn import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential
from ..nn.init import default_rng
from ._size import check_min_size


def lenet5(
    num_classes: int = 10,
    in_channels: int = 1,
    rng: np.random.Generator | int | None = None,
    input_size: int = 28,
) -> Sequential:
    """LeNet-5: two conv-pool stages, then three dense layers.

    ``conv 6@5x5 (padding 2) -> relu -> maxpool 2 -> conv 16@5x5 -> relu -> maxpool 2 ->
    flatten (16*5*5 = 400 for 28x28 inputs) -> 120 -> relu -> 84 -> relu -> num_classes``

    Parameters
    ----------
    num_classes : int
        Number of output logits.
    in_channels : int
        1 for grayscale, 3 for colour.
    rng : Generator or int, optional
        Source of the initial weights (PyTorch's default distributions).
    input_size : int
        Height and width of the square input (28 for MNIST, 32 for CIFAR-10); it sets the
        width of the first dense layer.

    Returns
    -------
    Sequential
        Input ``(N, in_channels, input_size, input_size)``, output ``(N, num_classes)``.

    Examples
    --------
    >>> model = lenet5(rng=0)
    >>> model(np.zeros((2, 1, 28, 28), dtype=np.float32)).shape
    (2, 10)
    >>> model.num_parameters()
    61706
    """
    num_classes = check_positive_int("num_classes", num_classes)
    in_channels = check_positive_int("in_channels", in_channels)
    side = (check_min_size("input_size", input_size, 12) // 2 - 4) // 2  # after the two stages
    rng = default_rng(rng)
    return Sequential(
        Conv2d(in_channels, 6, kernel_size=5, padding=2, rng=rng),
        ReLU(),
        MaxPool2d(2),
        Conv2d(6, 16, kernel_size=5, rng=rng),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(16 * side * side, 120, rng=rng),
        ReLU(),
        Linear(120, 84, rng=rng),
        ReLU(),
        Linear(84, num_classes, rng=rng),
    )
