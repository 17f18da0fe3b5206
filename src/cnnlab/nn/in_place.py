"""Under ``no_grad()``: ReLU and batch norm overwrite the fresh array the layer before made.

Only when nothing is kept for a backward may an array be reused. ``Sequential`` then
runs its layers through :func:`apply_layers_in_place`: the output of a convolution,
linear or batch-norm layer is a new array that nobody else holds, so a ReLU right after
it may write its result into that same array, and so may an evaluation-mode batch norm.
Inference then moves about a third less memory. With gradients on, every layer runs as
written, on arrays of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .conv import Conv1d, Conv2d
from .linear import Linear
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d

#: Layers whose output is always a new array that they do not keep.
FRESH_OUTPUTS = (Conv1d, Conv2d, Linear, BatchNorm1d, BatchNorm2d)


def apply_layer(layer: Module, x: np.ndarray, fresh: bool) -> tuple[np.ndarray, bool]:
    """``layer(x)``, in place when ``fresh`` (``x`` is a new array nobody else holds).

    Returns the output and whether it is fresh in turn.

    >>> from cnnlab.nn import ReLU
    >>> x = np.array([-1.0, 2.0])
    >>> y, fresh = apply_layer(ReLU(), x, fresh=True)
    >>> y is x, x
    (True, array([0., 2.]))
    """
    if fresh and layer.forward_in_place(x):
        return x, True
    return layer(x), isinstance(layer, FRESH_OUTPUTS)


def apply_layers_in_place(
    layers: Sequence[Module], x: np.ndarray, fresh: bool = False
) -> np.ndarray:
    """The layers one after another, reusing fresh arrays (call it under ``no_grad()``).

    ``x`` is the caller's, never overwritten, unless ``fresh`` says it is a new array
    that the caller needs no more.
    """
    for layer in layers:
        x, fresh = apply_layer(layer, x, fresh)
    return x
