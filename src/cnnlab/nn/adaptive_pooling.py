"""AdaptiveAvgPool2dGrid: average pooling to any output grid, as torch's AdaptiveAvgPool2d.

``AdaptiveAvgPool2d`` in :mod:`cnnlab.nn.pooling` is the global (``output_size=1``) case;
this layer takes any ``(out_h, out_w)``, as AlexNet (6x6) and VGG (7x7) need.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int_tuple
from ._backend import backward_ops, forward_ops
from .module import Module


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
        y, self.context = forward_ops(self).adaptive_avg_pool2d(x, self.output_size)
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).adaptive_avg_pool2d_backward(grad_out, self.context)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
