"""AdaptiveAvgPool2dGrid: average pooling to any output grid, as torch's AdaptiveAvgPool2d.

``AdaptiveAvgPool2d`` in :mod:`cnnlab.nn.pooling` is the global (``output_size=1``) case;
this layer takes any ``(out_h, out_w)``, as AlexNet (6x6) and VGG (7x7) need.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_float_array, check_int_tuple
from .module import Module


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


class AdaptiveAvgPool2dGrid(Module):
    """Average ``(N, C, H, W)`` over an ``output_size`` grid of adaptive windows.

    Each axis is averaged separately, ``y = P_h @ x @ P_w.T``, so forward and backward
    are two matrix products whatever the input size.

    >>> pool = AdaptiveAvgPool2dGrid((2, 3))
    >>> pool
    AdaptiveAvgPool2dGrid(output_size=(2, 3))
    >>> pool(np.ones((1, 4, 7, 7), dtype=np.float32)).shape
    (1, 4, 2, 3)
    """

    def __init__(self, output_size: int | tuple[int, int]):
        super().__init__()
        self.output_size = check_int_tuple("output_size", output_size, 2)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = check_float_array("input", x, layout="(N, C, H, W)")
        (H, W), (out_h, out_w) = x.shape[2:], self.output_size
        self.rows = adaptive_weights(H, out_h, x.dtype)  # (out_h, H)
        self.cols = adaptive_weights(W, out_w, x.dtype)  # (out_w, W)
        return np.matmul(np.matmul(self.rows, x), self.cols.T)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return np.matmul(np.matmul(self.rows.T, grad_out), self.cols)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
