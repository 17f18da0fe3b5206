"""AdaptiveAvgPool1d/2d: average pooling to any output size, as torch's.

``output_size=1`` is global average pooling (a mean over every position). Any other
size averages PyTorch's adaptive windows along each axis separately: ``y = P_h @ x @
P_w.T`` (2-D) or ``y = x @ P.T`` (1-D), so forward and backward are matrix products
whatever the input size.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array, received
from ..functional.adaptive_pooling import adaptive_weights
from ..functional.avg_pooling import global_avg_pool, global_avg_pool_backward
from ..functional.pooling import LAYOUTS
from .module import Module


def _check_output_size(name: str, value, dims: int) -> tuple[int | None, ...]:
    sizes = value if isinstance(value, (tuple, list)) else (value,) * dims
    if len(sizes) != dims or not all(
        s is None or (isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s > 0)
        for s in sizes
    ):
        raise ValueError(
            f"`output_size` of {name} must be a positive int or {dims} of them (None keeps "
            f"that axis's size). {received(output_size=value)}"
        )
    return tuple(None if s is None else int(s) for s in sizes)


class _AdaptiveAvgPoolNd(Module):
    spatial_dims = 0

    def __init__(self, output_size):
        super().__init__()
        self.sizes = _check_output_size(type(self).__name__, output_size, self.spatial_dims)
        self.output_size = output_size

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = check_float_array("input", x, layout=LAYOUTS[self.spatial_dims])
        self.input_shape = x.shape
        out = [n if s is None else s for n, s in zip(x.shape[2:], self.sizes, strict=True)]
        if all(s == 1 for s in out):
            self.weights = None
            return global_avg_pool(x)
        self.weights = [
            adaptive_weights(n, s, x.dtype) for n, s in zip(x.shape[2:], out, strict=True)
        ]
        if self.spatial_dims == 1:
            return x @ self.weights[0].T
        rows, cols = self.weights  # (out_h, H), (out_w, W)
        return np.matmul(np.matmul(rows, x), cols.T)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self.weights is None:
            return global_avg_pool_backward(grad_out, self.input_shape)
        if self.spatial_dims == 1:
            return grad_out @ self.weights[0]
        rows, cols = self.weights
        return np.matmul(np.matmul(rows.T, grad_out), cols)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Mean over adaptive windows of ``(N, C, L)`` to ``output_size`` positions.

    >>> AdaptiveAvgPool1d(1)(np.array([[[1.0, 3.0]]]))
    array([[[2.]]])
    >>> AdaptiveAvgPool1d(2)(np.array([[[1.0, 3.0, 5.0]]]))
    array([[[2., 4.]]])
    """

    spatial_dims = 1


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Mean over adaptive windows of ``(N, C, H, W)`` to an ``output_size`` grid.

    ``(1, 1)`` is global average pooling (ResNet's head); ``(7, 7)`` is VGG's.

    >>> AdaptiveAvgPool2d((1, 1))(np.ones((2, 3, 7, 7))).shape
    (2, 3, 1, 1)
    >>> pool = AdaptiveAvgPool2d((2, 3))
    >>> pool, pool(np.ones((1, 4, 7, 7), dtype=np.float32)).shape
    (AdaptiveAvgPool2d(output_size=(2, 3)), (1, 4, 2, 3))
    """

    spatial_dims = 2


#: The former name of AdaptiveAvgPool2d with an output grid other than 1x1.
AdaptiveAvgPool2dGrid = AdaptiveAvgPool2d
