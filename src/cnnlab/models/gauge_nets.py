"""Two classifiers for the Ising gauge theory's states: a periodic CNN and a dense network.

A state is ``(N, 2, L, L)``: horizontal and vertical links as two channels. Ground states
and T = infinity states differ only in the products of the four links around each
plaquette, which fit in a 2x2 window of the two channels.
"""

from __future__ import annotations

import numpy as np

from ..nn import AdaptiveAvgPool2d, Conv2d, Flatten, Linear, ReLU, Sequential
from ..nn.init import default_rng


def gauge_cnn(filters: int = 8, rng: np.random.Generator | int | None = None) -> Sequential:
    """``conv 2->filters 3x3 (circular) -> relu -> global average pool -> linear filters->2``.

    The 3x3 window of the two link channels centred on site ``(i, j)`` holds the four
    links of the plaquette with lower-left corner ``(i, j)``; circular padding makes the
    windows wrap around the torus like the plaquettes do. One ReLU unit
    ``relu(h + h' + v + v' - 3)`` is 1 on the all-up plaquette (even parity) and 0 on every
    violated one, so the pooled fraction of such windows tells a ground state (1/8) from a
    random state (1/16).

    Examples
    --------
    >>> model = gauge_cnn(rng=0)
    >>> model(np.ones((3, 2, 16, 16), dtype=np.float32)).shape, model.num_parameters()
    ((3, 2), 170)
    """
    rng = default_rng(rng)
    return Sequential(
        Conv2d(2, filters, 3, padding=1, padding_mode="circular", rng=rng),
        ReLU(),
        AdaptiveAvgPool2d(1),
        Flatten(),
        Linear(filters, 2, rng=rng),
    )


def gauge_dense(
    size: int, hidden: int = 16, rng: np.random.Generator | int | None = None
) -> Sequential:
    """``flatten 2*size^2 -> linear hidden -> relu -> linear 2``: no locality, no periodicity.

    >>> gauge_dense(16, rng=0).num_parameters()
    8242
    """
    rng = default_rng(rng)
    return Sequential(
        Flatten(),
        Linear(2 * size * size, hidden, rng=rng),
        ReLU(),
        Linear(hidden, 2, rng=rng),
    )
