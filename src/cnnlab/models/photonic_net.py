"""A small CNN with periodic padding that reads band edges off a photonic crystal's unit cell."""

from __future__ import annotations

import numpy as np

from ..nn import AdaptiveAvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential
from ..nn.init import default_rng


def photonic_cnn(outputs: int = 2, rng: np.random.Generator | int | None = None) -> Sequential:
    """Four circular-padded convolutions, a global average pool and two dense layers.

    ``conv 16@5x5 -> relu -> maxpool 2 -> conv 32@3x3 -> relu -> maxpool 2 -> conv 64@3x3
    -> relu -> maxpool 2 -> conv 64@3x3 -> relu -> global average pool -> 64 -> relu ->
    outputs``

    The unit cell is one period of an infinite crystal, so every convolution wraps around
    its edges (``padding_mode="circular"``): a rod cut by the picture's border is seen
    whole, and rolling a 32x32 input by a multiple of 8 pixels (the pools' total stride)
    changes no output. The last convolution sees 40x40 pixels, more than the cell.

    Parameters
    ----------
    outputs : int, default 2
        Numbers out (the photonic experiment: the top of band 1 and the bottom of band 2).
    rng : Generator or int, optional
        Source of the initial weights.

    Returns
    -------
    Sequential
        Input ``(N, 1, H, W)`` with ``H, W`` multiples of 8, output ``(N, outputs)``.

    Examples
    --------
    >>> model = photonic_cnn(rng=0)
    >>> cells = np.random.default_rng(0).random((2, 1, 32, 32)).astype(np.float32)
    >>> model(cells).shape
    (2, 2)
    >>> bool(np.allclose(model(np.roll(cells, 8, axis=-1)), model(cells), atol=1e-5))
    True
    """
    rng = default_rng(rng)

    def conv(c_in: int, c_out: int, size: int) -> Conv2d:
        return Conv2d(c_in, c_out, size, padding=size // 2, padding_mode="circular", rng=rng)

    return Sequential(
        conv(1, 16, 5),
        ReLU(),
        MaxPool2d(2),
        conv(16, 32, 3),
        ReLU(),
        MaxPool2d(2),
        conv(32, 64, 3),
        ReLU(),
        MaxPool2d(2),
        conv(64, 64, 3),
        ReLU(),
        AdaptiveAvgPool2d(1),
        Flatten(),
        Linear(64, 64, rng=rng),
        ReLU(),
        Linear(64, outputs, rng=rng),
    )
