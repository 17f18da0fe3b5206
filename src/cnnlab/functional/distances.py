"""Distances and similarities between pairs of vectors: p-norm distance, cosine.

Both inputs broadcast against each other (PyTorch's rule); each backward returns one
gradient per input, summed back to that input's shape.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_axis, check_float_array, received


def _pair(x1, x2) -> tuple[np.ndarray, np.ndarray]:
    x1, x2 = check_float_array("x1", x1), check_float_array("x2", x2)
    try:
        np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise ValueError(
            f"`x1` and `x2` must broadcast against each other. "
            f"Received: x1 with shape {x1.shape}, x2 with shape {x2.shape}."
        ) from None
    return x1, x2


def sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Undo broadcasting: sum ``grad`` over the axes that broadcasting added or stretched."""
    grad = grad.sum(axis=tuple(range(grad.ndim - len(shape))))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad


def check_norm_degree(p) -> float:
    """A norm degree: a positive real number or ``inf``."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating, np.integer)):
        raise TypeError(f"`p` must be a positive number or inf. {received(p=p)}")
    if not p > 0:
        raise ValueError(f"`p` must be a positive number or inf. {received(p=p)}")
    return float(p)


def vector_norm(v: np.ndarray, p: float, keepdims: bool = False) -> np.ndarray:
    """``(sum |v|**p) ** (1/p)`` over the last axis; ``max |v|`` for ``p = inf``."""
    a = np.abs(v)
    if p == np.inf:
        return a.max(axis=-1, keepdims=keepdims, initial=0.0)
    if p == 2:
        return np.sqrt(np.sum(v * v, axis=-1, keepdims=keepdims))
    if p == 1:
        return a.sum(axis=-1, keepdims=keepdims)
    return np.sum(a**p, axis=-1, keepdims=keepdims) ** (1 / p)


def vector_norm_backward(grad_out: np.ndarray, v: np.ndarray, p: float) -> np.ndarray:
    """``grad * sign(v) * |v|**(p-1) / norm**(p-1)``; zero where the norm is zero.

    For ``p = inf`` the gradient is shared equally by the entries of largest ``|v|``.
    """
    norm = vector_norm(v, p, keepdims=True)
    g = np.expand_dims(grad_out, -1)
    safe = np.where(norm == 0, 1, norm)
    if p == np.inf:
        top = (np.abs(v) == norm) & (norm > 0)
        share = top / np.maximum(top.sum(axis=-1, keepdims=True), 1)
        return g * np.sign(v) * share.astype(v.dtype)
    if p == 1:
        return g * np.sign(v)
    if p == 2:
        return g * v / safe
    return g * np.sign(v) * (np.abs(v) / safe) ** (p - 1)


def pairwise_distance(
    x1: np.ndarray, x2: np.ndarray, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> np.ndarray:
    """``|| x1 - x2 + eps ||_p`` along the last axis, as ``F.pairwise_distance``.

    ``eps`` is added to every difference (PyTorch's convention), so equal vectors are
    ``eps * D**(1/p)`` apart rather than 0.

    >>> pairwise_distance(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]), eps=0.0)
    array([5.])
    """
    x1, x2 = _pair(x1, x2)
    distance = np.asarray(vector_norm(x1 - x2 + eps, check_norm_degree(p)))  # 0-d, not a scalar
    return np.expand_dims(distance, -1) if keepdim else distance


def pairwise_distance_backward(
    grad_out: np.ndarray,
    x1: np.ndarray,
    x2: np.ndarray,
    p: float = 2.0,
    eps: float = 1e-6,
    keepdim: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of :func:`pairwise_distance` w.r.t. ``x1`` and ``x2`` (opposite signs)."""
    grad_out = np.asarray(grad_out)
    if keepdim:
        grad_out = grad_out[..., 0]
    grad = vector_norm_backward(grad_out, x1 - x2 + eps, p)
    return sum_to_shape(grad, x1.shape), -sum_to_shape(grad, x2.shape)


def _norms(x: np.ndarray, dim: int, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """The norm clamped below at ``eps``, and the unit vector ``x / |x|`` (0 for x = 0)."""
    norm = np.sqrt(np.sum(x * x, axis=dim, keepdims=True))
    unit = x / np.where(norm == 0, 1, norm)
    return np.maximum(norm, eps), unit


def cosine_similarity(
    x1: np.ndarray, x2: np.ndarray, dim: int = 1, eps: float = 1e-8
) -> np.ndarray:
    """``x1 . x2 / (max(|x1|, eps) * max(|x2|, eps))`` along ``dim``.

    >>> cosine_similarity(np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]]))
    array([0.70710678])
    """
    x1, x2 = _pair(x1, x2)
    ndim = max(x1.ndim, x2.ndim)
    dim = check_axis("dim", dim, ndim) - ndim  # counted from the end, for broadcasting
    (n1, _), (n2, _) = _norms(x1, dim, eps), _norms(x2, dim, eps)
    return np.asarray(np.sum((x1 / n1) * (x2 / n2), axis=dim))  # 0-d for vectors, not a scalar


def cosine_similarity_backward(
    grad_out: np.ndarray, x1: np.ndarray, x2: np.ndarray, dim: int = 1, eps: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of :func:`cosine_similarity` w.r.t. ``x1`` and ``x2``.

    ``d cos / d x1 = (x2 / n2 - cos * x1 / |x1|) / n1`` with ``n = max(|x|, eps)``. Like
    PyTorch, the clamp at ``eps`` is left out of the derivative of the norm
    (``d|x1| / dx1 = x1 / |x1|`` even when the clamp holds).
    """
    ndim = max(x1.ndim, x2.ndim)
    dim = check_axis("dim", dim, ndim) - ndim
    (n1, unit1), (n2, unit2) = _norms(x1, dim, eps), _norms(x2, dim, eps)
    u1, u2 = x1 / n1, x2 / n2
    cos = np.sum(u1 * u2, axis=dim, keepdims=True)
    g = np.expand_dims(np.asarray(grad_out), dim)
    grad1 = g * (u2 - cos * unit1) / n1
    grad2 = g * (u1 - cos * unit2) / n2
    return sum_to_shape(grad1, x1.shape), sum_to_shape(grad2, x2.shape)
