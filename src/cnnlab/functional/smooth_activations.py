"""Smooth activations: CELU, SELU, LogSigmoid, Mish, Softsign, forward beside backward.

Each backward takes ``grad_out`` and the forward's input ``x``. Exponentials are taken of
non-positive numbers only (``exp(-|x|)``, ``expm1(min(x, 0))``), so no input overflows.
Dtypes follow the input.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array
from .activations import sigmoid

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def celu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    >>> celu(np.array([-1000.0, 0.0, 2.0]), alpha=2.0)
    array([-2.,  0.,  2.])
    """
    x = check_float_array("input", x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0) / alpha)).astype(x.dtype)


def celu_backward(grad_out: np.ndarray, x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """``grad`` for ``x > 0``, else ``grad * exp(x / alpha)``."""
    return grad_out * np.where(x > 0, 1, np.exp(np.minimum(x, 0) / alpha)).astype(x.dtype)


def selu(x: np.ndarray) -> np.ndarray:
    """``scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))``, the self-normalising constants.

    ``alpha = 1.6733`` and ``scale = 1.0507`` (Klambauer et al., 2017) keep zero mean and
    unit variance through many layers.

    >>> selu(np.array([0.0, 1.0]))
    array([0.       , 1.05070099])
    """
    x = check_float_array("input", x)
    negative = SELU_ALPHA * np.expm1(np.minimum(x, 0))
    return (SELU_SCALE * np.where(x > 0, x, negative)).astype(x.dtype, copy=False)


def selu_backward(grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``scale * grad`` for ``x > 0``, else ``scale * alpha * exp(x) * grad``."""
    slope = np.where(x > 0, SELU_SCALE, SELU_SCALE * SELU_ALPHA * np.exp(np.minimum(x, 0)))
    return grad_out * slope.astype(x.dtype)


def softplus(x: np.ndarray) -> np.ndarray:
    """``log(1 + exp(x))`` as ``max(x, 0) + log1p(exp(-|x|))``."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def logsigmoid(x: np.ndarray) -> np.ndarray:
    """``log(1 / (1 + exp(-x))) = -softplus(-x)``, finite for any input.

    >>> logsigmoid(np.array([-1000.0, 0.0]))[0]
    np.float64(-1000.0)
    """
    x = check_float_array("input", x)
    return -softplus(-x)


def logsigmoid_backward(grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``grad * sigmoid(-x)``."""
    return grad_out * sigmoid(-x)


def mish(x: np.ndarray) -> np.ndarray:
    """``x * tanh(softplus(x))`` (Misra, 2019).

    >>> mish(np.array([0.0, 1.0]))
    array([0.        , 0.86509839])
    """
    x = check_float_array("input", x)
    return x * np.tanh(softplus(x))


def mish_backward(grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``grad * (t + x * sigmoid(x) * (1 - t**2))`` with ``t = tanh(softplus(x))``."""
    t = np.tanh(softplus(x))
    return grad_out * (t + x * sigmoid(x) * (1 - t * t))


def softsign(x: np.ndarray) -> np.ndarray:
    """``x / (1 + |x|)``.

    >>> softsign(np.array([-3.0, 1.0]))
    array([-0.75,  0.5 ])
    """
    x = check_float_array("input", x)
    return x / (1 + np.abs(x))


def softsign_backward(grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``grad / (1 + |x|)**2``."""
    d = 1 + np.abs(x)
    return grad_out / (d * d)
