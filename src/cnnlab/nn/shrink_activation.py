"""Shrinking and clipping activations: Hardshrink, Softshrink, Tanhshrink, Hardtanh, Threshold.

None offers PyTorch's ``inplace`` flag (see :mod:`cnnlab.nn.activation`).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_float, check_real, received
from ..functional import shrink_activations as F
from .elementwise import InputActivation


class Hardshrink(InputActivation):
    """``x`` where ``|x| > lambd``, else 0.

    >>> Hardshrink()(np.array([-1.0, 0.2, 0.7]))
    array([-1. ,  0. ,  0.7])
    """

    def __init__(self, lambd: float = 0.5):
        super().__init__()
        self.lambd = check_real("lambd", lambd)

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.hardshrink(x, self.lambd)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.hardshrink_backward(grad_out, x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(InputActivation):
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0; ``lambd >= 0``.

    >>> Softshrink(1.0)(np.array([-3.0, 0.5, 2.0]))
    array([-2.,  0.,  1.])
    """

    def __init__(self, lambd: float = 0.5):
        super().__init__()
        self.lambd = check_positive_float("lambd", lambd, allow_zero=True)

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.softshrink(x, self.lambd)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.softshrink_backward(grad_out, x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Tanhshrink(InputActivation):
    """``x - tanh(x)``.

    >>> Tanhshrink()(np.array([0.0]))
    array([0.])
    """

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.tanhshrink(x)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.tanhshrink_backward(grad_out, x)


class Hardtanh(InputActivation):
    """``x`` clipped to ``[min_val, max_val]``; ``max_val`` must exceed ``min_val``.

    >>> Hardtanh(-2.0, 2.0)(np.array([-3.0, 0.5, 3.0]))
    array([-2. ,  0.5,  2. ])
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0):
        super().__init__()
        self.min_val = check_real("min_val", min_val)
        self.max_val = check_real("max_val", max_val)
        if self.max_val <= self.min_val:
            raise ValueError(
                "`max_val` must be greater than `min_val`. "
                + received(min_val=min_val, max_val=max_val)
            )

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.hardtanh(x, self.min_val, self.max_val)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.hardtanh_backward(grad_out, x, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


class Threshold(InputActivation):
    """``x`` where ``x > threshold``, else ``value``.

    >>> Threshold(0.1, 20.0)(np.array([-1.0, 0.1, 2.0]))
    array([20., 20.,  2.])
    """

    def __init__(self, threshold: float, value: float):
        super().__init__()
        self.threshold = check_real("threshold", threshold)
        self.value = check_real("value", value)

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.threshold(x, self.threshold, self.value)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.threshold_backward(grad_out, x, self.threshold)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}"
