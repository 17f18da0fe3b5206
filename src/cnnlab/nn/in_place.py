"""Layer by layer: ReLU (and without grad, batch norm) overwrite a fresh array in place.

Containers call :func:`apply_layer` for each of their layers. The output of a
convolution, linear or batch-norm layer is a new array that nobody else holds, so a ReLU
right after it may write its result into that same array (keeping it for its backward,
which needs only the output). Under :func:`~cnnlab.grad_mode.no_grad` an
evaluation-mode batch norm may too. Anywhere else layers run as usual.
"""

from __future__ import annotations

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
