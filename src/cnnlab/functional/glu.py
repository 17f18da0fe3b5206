"""The gated linear unit: one half of the input gates the other (Dauphin et al., 2017)."""

from __future__ import annotations

import numpy as np

from .._validation import check_axis, check_float_array, received
from .activations import sigmoid


def _halves(x: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    size = x.shape[dim]
    if size % 2:
        raise ValueError(
            f"GLU halves `dim`, so the input's size along it must be even; dimension {dim} "
            f"has size {size}. {received(input=x)}"
        )
    return np.split(x, 2, axis=dim)


def glu(x: np.ndarray, dim: int = -1) -> np.ndarray:
    """``a * sigmoid(b)``, where ``a`` and ``b`` are the first and second half along ``dim``.

    The output has half the input's size along ``dim``.

    >>> glu(np.array([[2.0, 0.0]]))
    array([[1.]])
    """
    x = check_float_array("input", x)
    dim = check_axis("dim", dim, x.ndim)
    a, b = _halves(x, dim)
    return a * sigmoid(b)


def glu_backward(grad_out: np.ndarray, x: np.ndarray, dim: int = -1) -> np.ndarray:
    """``(grad * s, grad * a * s * (1 - s))`` joined along ``dim``, with ``s = sigmoid(b)``."""
    dim = check_axis("dim", dim, x.ndim)
    a, b = _halves(x, dim)
    s = sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * a * s * (1 - s)], axis=dim)
