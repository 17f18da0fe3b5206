"""Layer by layer without grad: ReLU and batch norm overwrite a fresh array in place.

Containers call :func:`apply_layer` for each of their layers. Under
:func:`~cnnlab.nn.grad_mode.no_grad`, the output of a convolution or linear layer is a new
array that nobody else holds, so a ReLU or an evaluation-mode batch norm right after it
may write its result into that same array (and so may the ones after them). Anywhere
else, and whenever gradients are on, layers run as usual.
"""

from __future__ import annotations

import numpy as np

from .conv import Conv1d, Conv2d
from .grad_mode import is_grad_enabled
from .linear import Linear
from .module import Module

#: Layers whose output is always a new array of their own.
FRESH_OUTPUTS = (Conv1d, Conv2d, Linear)


def apply_layer(layer: Module, x: np.ndarray, fresh: bool) -> tuple[np.ndarray, bool]:
    """``layer(x)``, in place when ``fresh`` (``x`` is a new array nobody else holds).

    Returns the output and whether it is fresh in turn.

    >>> from cnnlab.nn import ReLU, no_grad
    >>> x = np.array([-1.0, 2.0])
    >>> with no_grad():
    ...     y, fresh = apply_layer(ReLU(), x, fresh=True)
    >>> y is x, x
    (True, array([0., 2.]))
    """
    if not is_grad_enabled():
        if fresh and layer.forward_in_place(x):
            return x, True
        return layer(x), isinstance(layer, FRESH_OUTPUTS)
    return layer(x), False
