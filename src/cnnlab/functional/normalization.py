"""Batch normalisation maths: per-channel statistics, normalisation and its gradient.

Channels are axis 1 of ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)``; the statistics of
each channel are taken over every other axis, ``M`` values per channel::

    training    mean = sum(x) / M,   var = sum((x - mean)**2) / M   (biased)
                xhat = (x - mean) / sqrt(var + eps),   y = weight * xhat + bias
    evaluation  the same with the running statistics in place of the batch's

Per-channel vectors ``(C,)`` broadcast along axis 1 as ``(C, 1, ..., 1)``.
"""

from __future__ import annotations

import numpy as np


def _axes(x: np.ndarray) -> tuple[int, ...]:
    """Every axis but the channel axis 1."""
    return (0, *range(2, x.ndim))


def _per_channel(v, ndim: int):
    """A (C,) vector shaped to broadcast along axis 1 of an ``ndim``-dimensional array."""
    return np.reshape(v, (-1,) + (1,) * (ndim - 2))


def _affine(xhat: np.ndarray, weight, bias) -> np.ndarray:
    """``weight * xhat + bias``, each per channel and optional: always a new array."""
    scale = 1 if weight is None else _per_channel(weight, xhat.ndim)
    shift = 0 if bias is None else _per_channel(bias, xhat.ndim)
    return xhat * scale + shift


def batch_norm_train(
    x: np.ndarray,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    eps: float = 1e-5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Normalise each channel with the batch's own statistics, then scale and shift.

    Parameters
    ----------
    x : ndarray, shape (N, C, *)
    weight, bias : ndarray, shape (C,), optional
    eps : float

    Returns
    -------
    y, xhat : ndarray, shape of ``x``
    invstd, mean, var : ndarray, shape (C,); ``invstd = 1 / sqrt(var + eps)``

    Examples
    --------
    >>> y, xhat, invstd, mean, var = batch_norm_train(np.array([[1.0], [3.0]]), eps=0.0)
    >>> y.ravel(), mean, var
    (array([-1.,  1.]), array([2.]), array([1.]))
    """
    mean = x.mean(axis=_axes(x))
    centred = x - _per_channel(mean, x.ndim)
    var = (centred * centred).mean(axis=_axes(x))
    invstd = 1 / np.sqrt(var + x.dtype.type(eps))
    xhat = centred * _per_channel(invstd, x.ndim)
    return _affine(xhat, weight, bias), xhat, invstd, mean, var


def batch_norm_train_backward(
    grad_out: np.ndarray, xhat: np.ndarray, invstd: np.ndarray, weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`batch_norm_train` with respect to ``x``, ``weight`` and ``bias``.

    The batch mean and variance depend on ``x``, which gives the compact form, with
    ``g = grad_out * weight`` and sums per channel::

        grad_x = invstd / M * (M * g - sum(g) - xhat * sum(g * xhat))

    Returns
    -------
    grad_x : ndarray, shape of ``xhat``
    grad_weight, grad_bias : ndarray, shape (C,): ``sum(grad_out * xhat)``, ``sum(grad_out)``

    Examples
    --------
    >>> y, xhat, invstd, _, _ = batch_norm_train(np.array([[1.0], [3.0]]), eps=0.0)
    >>> batch_norm_train_backward(np.array([[1.0], [1.0]]), xhat, invstd)
    (array([[0.], [0.]]), array([0.]), array([2.]))
    """
    axes, ndim = _axes(xhat), xhat.ndim
    count = xhat.size // xhat.shape[1]  # M
    grad_bias = grad_out.sum(axis=axes)
    grad_weight = (grad_out * xhat).sum(axis=axes)
    g = grad_out if weight is None else grad_out * _per_channel(weight, ndim)
    g_sum = g.sum(axis=axes, keepdims=True)
    g_xhat_sum = (g * xhat).sum(axis=axes, keepdims=True)
    grad_x = _per_channel(invstd / count, ndim) * (count * g - g_sum - xhat * g_xhat_sum)
    return grad_x.astype(grad_out.dtype, copy=False), grad_weight, grad_bias


def batch_norm_eval(
    x: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    eps: float = 1e-5,
) -> np.ndarray:
    """Batch norm with fixed (running) statistics: ``weight * xhat + bias``.

    Examples
    --------
    >>> batch_norm_eval(np.array([[1.0], [3.0]]), np.array([2.0]), np.array([1.0]), eps=0.0)
    array([[-1.],
           [ 1.]])
    """
    invstd = 1 / np.sqrt(np.asarray(running_var, dtype=x.dtype) + x.dtype.type(eps))
    mean = np.asarray(running_mean, dtype=x.dtype)
    xhat = (x - _per_channel(mean, x.ndim)) * _per_channel(invstd, x.ndim)
    return _affine(xhat, weight, bias)


def batch_norm_eval_backward(
    grad_out: np.ndarray,
    x: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    weight: np.ndarray | None = None,
    eps: float = 1e-5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`batch_norm_eval`: the statistics are constants here.

    ``grad_x = grad_out * weight * invstd``, ``grad_weight = sum(grad_out * xhat)``,
    ``grad_bias = sum(grad_out)``.

    Examples
    --------
    >>> batch_norm_eval_backward(np.ones((2, 1)), np.array([[1.0], [3.0]]), np.array([2.0]),
    ...                          np.array([1.0]), eps=0.0)
    (array([[1.], [1.]]), array([0.]), array([2.]))
    """
    axes, ndim = _axes(x), x.ndim
    invstd = 1 / np.sqrt(np.asarray(running_var, dtype=x.dtype) + x.dtype.type(eps))
    mean = np.asarray(running_mean, dtype=x.dtype)
    xhat = (x - _per_channel(mean, ndim)) * _per_channel(invstd, ndim)
    scale = invstd if weight is None else invstd * weight
    grad_x = grad_out * _per_channel(scale.astype(grad_out.dtype, copy=False), ndim)
    return grad_x, (grad_out * xhat).sum(axis=axes), grad_out.sum(axis=axes)


def update_running_stats(
    running_mean: np.ndarray,
    running_var: np.ndarray,
    mean: np.ndarray,
    var: np.ndarray,
    count: int,
    momentum: float,
) -> None:
    """Move the running statistics towards a batch's, in place, as PyTorch does.

    ``running = (1 - momentum) * running + momentum * batch``, where the batch variance
    is the unbiased one, ``var * count / (count - 1)``, ``count`` values per channel.

    Examples
    --------
    >>> running_mean, running_var = np.zeros(1), np.ones(1)
    >>> update_running_stats(running_mean, running_var, np.array([2.0]), np.array([1.0]), 2, 0.5)
    >>> running_mean, running_var
    (array([1.]), array([1.5]))
    """
    unbiased = var * (count / (count - 1))
    running_mean *= 1.0 - momentum
    running_mean += momentum * mean
    running_var *= 1.0 - momentum
    running_var += momentum * unbiased
