"""A small CNN that regresses the spacing of interference fringes from their image."""

from __future__ import annotations

import numpy as np

from ..nn import AdaptiveAvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential
from ..nn.init import default_rng


def fringes_cnn(rng: np.random.Generator | int | None = None) -> Sequential:
    """Four convolutions, a global average pool and two dense layers: one number out.

    ``conv 16@5x5 stride 2 -> relu -> conv 32@3x3 -> relu -> maxpool 2 -> conv 32@3x3 ->
    relu -> maxpool 2 -> conv 32@3x3 -> relu -> global average pool -> 32 -> relu -> 1``

    The strided first convolution halves the cost of the full-resolution stage; the last
    convolution sees 39x39 pixels, more than two periods of the widest default fringes
    (16 pixels). The global pool averages the local fringe detectors over the image, so
    the output does not depend on where the fringes' phase or centre falls, and the
    network takes any input size of at least 8.

    Parameters
    ----------
    rng : Generator or int, optional
        Source of the initial weights.

    Returns
    -------
    Sequential
        Input ``(N, 1, H, W)``, output ``(N, 1)``: the regression target (for fringes, the
        scaled log spacing of :func:`cnnlab.physics.fringes.spacing_to_target`).

    Examples
    --------
    >>> model = fringes_cnn(rng=0)
    >>> model(np.zeros((2, 1, 64, 64), dtype=np.float32)).shape
    (2, 1)
    >>> model.num_parameters()
    24641
    """
    rng = default_rng(rng)
    return Sequential(
        Conv2d(1, 16, kernel_size=5, stride=2, padding=2, rng=rng),
        ReLU(),
        Conv2d(16, 32, kernel_size=3, padding=1, rng=rng),
        ReLU(),
        MaxPool2d(2),
        Conv2d(32, 32, kernel_size=3, padding=1, rng=rng),
        ReLU(),
        MaxPool2d(2),
        Conv2d(32, 32, kernel_size=3, padding=1, rng=rng),
        ReLU(),
        AdaptiveAvgPool2d(1),
        Flatten(),
        Linear(32, 32, rng=rng),
        ReLU(),
        Linear(32, 1, rng=rng),
    )
