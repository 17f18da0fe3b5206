"""Average pooling over 1-D and 2-D windows, and global average pooling.

The windows are :class:`~cnnlab.functional.pooling.PoolWindow`'s, as for max pooling;
each forward is beside its backward. Only ``ceil_mode=False`` (PyTorch's default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_float_array, check_same_shape, received
from .pooling import IntOrTuple, PoolWindow


@dataclass
class AvgPoolContext:
    """What average-pool backward needs: the geometry and each window's divisor."""

    window: PoolWindow
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    divisor: int | np.ndarray  # an int, or the input elements in each window (*out_spatial)


def avg_pool(
    x: np.ndarray, window: PoolWindow, count_include_pad: bool = True
) -> tuple[np.ndarray, AvgPoolContext]:
    """Average pooling over ``window``; see :func:`avg_pool2d`."""
    x = window.check_input(x)
    padded = window.pad(x, 0)
    out_spatial = window.output_shape(x.shape[2:])
    slices = window.offsets(out_spatial)
    total = padded[slices[0]].copy()
    for index in slices[1:]:
        total += padded[index]
    if count_include_pad or not any(window.padding):
        divisor = int(np.prod(window.kernel_size))
    else:  # count the input elements of each window: pool a padded image of ones
        ones = window.pad(np.ones((1, 1) + x.shape[2:], dtype=x.dtype), 0)
        divisor = sum(ones[index] for index in slices)[0, 0]
    total /= divisor
    return total, AvgPoolContext(window, x.shape, total.shape, divisor)


def avg_pool_backward(grad_out: np.ndarray, ctx: AvgPoolContext) -> np.ndarray:
    """Gradient of :func:`avg_pool`: each window spreads ``grad / divisor`` over itself."""
    check_same_shape("grad_out", grad_out, "output", np.broadcast_to(0.0, ctx.output_shape))
    share = grad_out / ctx.divisor
    grad = np.zeros(ctx.window.padded_shape(ctx.input_shape), dtype=share.dtype)
    overlapping = ctx.window.overlapping
    for index in ctx.window.offsets(ctx.output_shape[2:]):
        if overlapping:
            grad[index] += share
        else:
            grad[index] = share
    return grad[ctx.window.interior(ctx.input_shape)]


def avg_pool1d(
    x: np.ndarray,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    count_include_pad: bool = True,
) -> tuple[np.ndarray, AvgPoolContext]:
    """1-D average pooling of ``(N, C, L)``; returns the output and the backward context.

    >>> avg_pool1d(np.array([[[1.0, 3.0, 2.0, 0.0]]]), 2)[0]
    array([[[2., 1.]]])
    """
    window = PoolWindow.create(1, kernel_size, stride, padding)
    return avg_pool(x, window, count_include_pad)


def avg_pool2d(
    x: np.ndarray,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    count_include_pad: bool = True,
) -> tuple[np.ndarray, AvgPoolContext]:
    """2-D average pooling of ``(N, C, H, W)``, as ``torch.nn.functional.avg_pool2d``.

    ``count_include_pad=True`` divides by the whole window, zeros of the padding included;
    ``False`` by the number of input elements in the window. Only ``ceil_mode=False``.

    >>> x = np.ones((1, 1, 2, 2))
    >>> avg_pool2d(x, 2, stride=1, padding=1)[0][0, 0]
    array([[0.25, 0.5 , 0.25],
           [0.5 , 1.  , 0.5 ],
           [0.25, 0.5 , 0.25]])
    >>> avg_pool2d(x, 2, stride=1, padding=1, count_include_pad=False)[0][0, 0]
    array([[1., 1., 1.],
           [1., 1., 1.],
           [1., 1., 1.]])
    """
    window = PoolWindow.create(2, kernel_size, stride, padding)
    return avg_pool(x, window, count_include_pad)


def global_avg_pool(x: np.ndarray) -> np.ndarray:
    """Mean over every spatial axis, keeping them as size 1: ``(N, C, H, W) -> (N, C, 1, 1)``.

    PyTorch's ``adaptive_avg_pool2d(x, 1)`` (and ``1d`` for ``(N, C, L)``).

    >>> y = global_avg_pool(np.arange(8.0).reshape(1, 2, 2, 2))
    >>> y.shape, y.ravel()
    ((1, 2, 1, 1), array([1.5, 5.5]))
    """
    x = check_float_array("input", x)
    if x.ndim < 3:
        raise ValueError(f"`input` must have spatial axes after (N, C). {received(input=x)}")
    return x.mean(axis=tuple(range(2, x.ndim)), keepdims=True)


def global_avg_pool_backward(grad_out: np.ndarray, input_shape: tuple[int, ...]) -> np.ndarray:
    """Gradient of :func:`global_avg_pool`: ``grad / (H * W)`` at every position."""
    grad = np.empty(input_shape, dtype=grad_out.dtype)
    grad[...] = grad_out / int(np.prod(input_shape[2:]))
    return grad
