"""Adaptive average pooling to any output grid, as torch's ``adaptive_avg_pool2d``.

Each axis is averaged separately, ``y = P_h @ x @ P_w.T`` with ``P`` the averaging matrix
of that axis' windows, so forward and backward are two matrix products each:
``grad_x = P_h.T @ grad_y @ P_w``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .._validation import check_float_array, check_int_tuple


class AdaptivePoolContext(NamedTuple):
    """The averaging matrices of the two axes, for the backward pass."""

    rows: np.ndarray  # (out_h, H)
    cols: np.ndarray  # (out_w, W)


def adaptive_weights(size: int, out: int, dtype) -> np.ndarray:
    """``(out, size)`` matrix averaging PyTorch's adaptive windows along one axis.

    Window ``i`` covers ``floor(i * size / out)`` up to ``ceil((i + 1) * size / out)``
    (exclusive); windows may overlap when ``size`` is not a multiple of ``out``.

    >>> adaptive_weights(5, 2, np.float64)
    array([[0.33333333, 0.33333333, 0.33333333, 0.        , 0.        ],
           [0.        , 0.        , 0.33333333, 0.33333333, 0.33333333]])
    """
    weights = np.zeros((out, size), dtype=dtype)
    for i in range(out):
        start, end = (i * size) // out, math.ceil((i + 1) * size / out)
        weights[i, start:end] = 1.0 / (end - start)
    return weights


def adaptive_avg_pool2d(
    x: np.ndarray, output_size: int | tuple[int, int]
) -> tuple[np.ndarray, AdaptivePoolContext]:
    """Average ``(N, C, H, W)`` over an ``output_size`` grid of adaptive windows.

    >>> y, ctx = adaptive_avg_pool2d(np.arange(4.0).reshape(1, 1, 1, 4), (1, 2))
    >>> y
    array([[[[0.5, 2.5]]]])
    """
    x = check_float_array("input", x, layout="(N, C, H, W)")
    out_h, out_w = check_int_tuple("output_size", output_size, 2)
    rows = adaptive_weights(x.shape[2], out_h, x.dtype)  # (out_h, H)
    cols = adaptive_weights(x.shape[3], out_w, x.dtype)  # (out_w, W)
    return np.matmul(np.matmul(rows, x), cols.T), AdaptivePoolContext(rows, cols)


def adaptive_avg_pool2d_backward(grad_out: np.ndarray, ctx: AdaptivePoolContext) -> np.ndarray:
    """Gradient of :func:`adaptive_avg_pool2d`: ``P_h.T @ grad @ P_w``."""
    return np.matmul(np.matmul(ctx.rows.T, grad_out), ctx.cols)
