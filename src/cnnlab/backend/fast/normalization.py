"""Batch normalisation, computed for speed; the maths is :mod:`cnnlab.functional.normalization`'s.

Channels are axis 1 of ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)``; statistics are
taken over every other axis. Per-channel sums go through ``einsum`` on an ``(N, C, -1)``
view: on a 64x64x56x56 float32 batch it is 1.6x faster than ``x.sum(axis=(0, 2, 3))``,
and ``einsum("nci,nci->c", a, b)`` is 3.5x faster than ``(a * b).sum(axis=(0, 2, 3))``
because it never builds the product array.
"""

from __future__ import annotations

import numpy as np

from ...functional.normalization import update_running_stats  # noqa: F401  (the ops table)
from .channel_grid import channel_grid


def _channel_sum(a: np.ndarray) -> np.ndarray:
    """Sum over every axis but axis 1: shape (C,)."""
    return np.einsum("nci->c", a.reshape(a.shape[0], a.shape[1], -1))


def _channel_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``sum(a * b)`` over every axis but axis 1, without building ``a * b``."""
    shape = (a.shape[0], a.shape[1], -1)
    return np.einsum("nci,nci->c", a.reshape(shape), b.reshape(shape))


def _per_channel(v: np.ndarray, ndim: int) -> np.ndarray:
    """Shape a (C,) vector to broadcast along axis 1 of an ``ndim``-dimensional array."""
    return v.reshape((-1,) + (1,) * (ndim - 2))


def batch_norm_train(
    x: np.ndarray,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    eps: float = 1e-5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`cnnlab.functional.batch_norm_train`; the per-channel sums without
    temporaries (``_channel_sum``, ``_channel_dot``).
    """
    count = x.dtype.type(x.size // x.shape[1])
    mean = _channel_sum(x) / count
    xhat = x - _per_channel(mean, x.ndim)
    var = _channel_dot(xhat, xhat) / count
    invstd = 1.0 / np.sqrt(var + x.dtype.type(eps))
    xhat *= _per_channel(invstd, x.ndim)
    if weight is None and bias is None:
        return xhat, xhat, invstd, mean, var
    y = xhat.copy() if weight is None else xhat * _per_channel(weight, x.ndim)
    if bias is not None:
        y += _per_channel(bias, x.ndim)
    return y, xhat, invstd, mean, var


def batch_norm_train_backward(
    grad_out: np.ndarray, xhat: np.ndarray, invstd: np.ndarray, weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`cnnlab.functional.batch_norm_train_backward`, the two terms through the
    batch statistics folded per channel.
    """
    ndim = xhat.ndim
    grad_bias = _channel_sum(grad_out)
    grad_weight = _channel_dot(grad_out, xhat)
    scale = invstd if weight is None else invstd * weight  # d y / d x at fixed statistics
    count = xhat.size // xhat.shape[1]
    grad_x = grad_out * _per_channel(scale.astype(grad_out.dtype, copy=False), ndim)
    # The two terms that flow through the batch mean and variance, folded per channel.
    grad_x -= xhat * _per_channel(scale * grad_weight / count, ndim)
    grad_x -= _per_channel(scale * grad_bias / count, ndim)
    return grad_x, grad_weight, grad_bias


def _scale_shift(mean, var, weight, bias, eps, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel ``scale`` and ``shift`` with ``x * scale + shift = weight * xhat + bias``."""
    scale = 1.0 / np.sqrt(np.asarray(var, dtype=dtype) + dtype.type(eps))
    if weight is not None:
        scale = scale * weight
    shift = -np.asarray(mean, dtype=dtype) * scale
    if bias is not None:
        shift = shift + bias
    return scale, shift


def batch_norm_eval(
    x: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    eps: float = 1e-5,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Batch norm with fixed (running) statistics, folded into ``y = x * scale + shift``.

    ``out`` (which may be ``x`` itself) receives the result when given.

    Folding the four per-channel steps into one multiply-add makes it 3x faster on a
    32x64x56x56 float32 batch. For more than one image, ``scale`` and ``shift`` are
    spread over the pixels first (:func:`~cnnlab.backend.fast.channel_grid.channel_grid`):
    0.96 -> 0.56 ms on an 8x64x56x56 float32 batch, 0.60 -> 0.28 ms on 8x2048x7x7.

    Examples
    --------
    >>> batch_norm_eval(np.array([[1.0], [3.0]]), np.array([2.0]), np.array([1.0]), eps=0.0)
    array([[-1.],
           [ 1.]])
    """
    scale, shift = _scale_shift(running_mean, running_var, weight, bias, eps, x.dtype)
    if x.ndim > 2 and x.shape[0] > 1:  # spread over the pixels once, used for every image
        scale, shift = channel_grid(scale, x.shape[2:]), channel_grid(shift, x.shape[2:])
    else:
        scale, shift = _per_channel(scale, x.ndim), _per_channel(shift, x.ndim)
    y = np.multiply(x, scale, out=out)
    return np.add(y, shift, out=y)


def batch_norm_eval_backward(
    grad_out: np.ndarray,
    x: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    weight: np.ndarray | None = None,
    eps: float = 1e-5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`cnnlab.functional.batch_norm_eval_backward`."""
    ndim = x.ndim
    invstd = 1.0 / np.sqrt(np.asarray(running_var, dtype=x.dtype) + x.dtype.type(eps))
    xhat = (x - _per_channel(np.asarray(running_mean, dtype=x.dtype), ndim)) * _per_channel(
        invstd, ndim
    )
    scale = invstd if weight is None else invstd * weight
    grad_x = grad_out * _per_channel(scale.astype(grad_out.dtype, copy=False), ndim)
    return grad_x, _channel_dot(grad_out, xhat), _channel_sum(grad_out)


def batch_norm_eval_in_place(x, running_mean, running_var, weight=None, bias=None, eps=1e-5):
    """:func:`batch_norm_eval` written over ``x`` when the result has ``x``'s dtype.

    Returns whether it did (a float32 input with float64 parameters would be rounded).
    """
    if weight is not None and np.result_type(x, weight) != x.dtype:
        return False
    batch_norm_eval(x, running_mean, running_var, weight, bias, eps, out=x)
    return True
