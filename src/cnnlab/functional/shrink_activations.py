"""Shrinking and clipping activations, each forward beside its backward.

The shrinks pull values towards zero (``Hardshrink``, ``Softshrink``, ``Tanhshrink``),
the clips hold them inside bounds (``Hardtanh``, ``Threshold``). Each backward takes
``grad_out`` and the forward's input ``x``; at a kink it follows PyTorch (the gradient
there is zero). Dtypes follow the input.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array


def hardshrink(x: np.ndarray, lambd: float = 0.5) -> np.ndarray:
    """``x`` where ``|x| > lambd``, else 0.

    >>> hardshrink(np.array([-1.0, 0.2, 0.7]))
    array([-1. ,  0. ,  0.7])
    """
    x = check_float_array("input", x)
    return np.where(np.abs(x) > lambd, x, 0).astype(x.dtype, copy=False)


def hardshrink_backward(grad_out: np.ndarray, x: np.ndarray, lambd: float = 0.5) -> np.ndarray:
    """``grad`` where ``|x| > lambd``, else 0."""
    return np.where(np.abs(x) > lambd, grad_out, 0).astype(grad_out.dtype, copy=False)


def softshrink(x: np.ndarray, lambd: float = 0.5) -> np.ndarray:
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0.

    >>> softshrink(np.array([-1.0, 0.2, 0.75]))
    array([-0.5 ,  0.  ,  0.25])
    """
    x = check_float_array("input", x)
    return np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0)).astype(
        x.dtype, copy=False
    )


def softshrink_backward(grad_out: np.ndarray, x: np.ndarray, lambd: float = 0.5) -> np.ndarray:
    """``grad`` where ``|x| > lambd``, else 0 (the same as :func:`hardshrink_backward`)."""
    return hardshrink_backward(grad_out, x, lambd)


def tanhshrink(x: np.ndarray) -> np.ndarray:
    """``x - tanh(x)``.

    >>> tanhshrink(np.array([0.0]))
    array([0.])
    """
    x = check_float_array("input", x)
    return x - np.tanh(x)


def tanhshrink_backward(grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``grad * tanh(x)**2``, since ``d/dx (x - tanh x) = 1 - (1 - tanh(x)**2)``."""
    t = np.tanh(x)
    return grad_out * t * t


def hardtanh(x: np.ndarray, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    """``x`` clipped to ``[min_val, max_val]``.

    >>> hardtanh(np.array([-3.0, 0.5, 3.0]))
    array([-1. ,  0.5,  1. ])
    """
    x = check_float_array("input", x)
    return np.clip(x, min_val, max_val)


def hardtanh_backward(
    grad_out: np.ndarray, x: np.ndarray, min_val: float = -1.0, max_val: float = 1.0
) -> np.ndarray:
    """``grad`` strictly inside ``(min_val, max_val)``, else 0 (zero on the bounds, as PyTorch)."""
    inside = (x > min_val) & (x < max_val)
    return np.where(inside, grad_out, 0).astype(grad_out.dtype, copy=False)


def threshold(x: np.ndarray, threshold: float, value: float) -> np.ndarray:
    """``x`` where ``x > threshold``, else ``value``.

    >>> threshold(np.array([-1.0, 0.1, 2.0]), 0.1, 20.0)
    array([20., 20.,  2.])
    """
    x = check_float_array("input", x)
    return np.where(x > threshold, x, value).astype(x.dtype, copy=False)


def threshold_backward(grad_out: np.ndarray, x: np.ndarray, threshold: float) -> np.ndarray:
    """``grad`` where ``x > threshold``, else 0 (the replaced values are constants)."""
    return np.where(x > threshold, grad_out, 0).astype(grad_out.dtype, copy=False)
