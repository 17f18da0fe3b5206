"""Pooling layers: MaxPool1d/2d and AvgPool1d/2d (adaptive pooling: ``adaptive_pooling``).

Arguments are PyTorch's; ``ceil_mode=True`` lets the last window hang over the input's
end (:mod:`cnnlab.nn.ceil_mode`).
"""

from __future__ import annotations

import numpy as np

from ..functional.pooling import IntOrTuple, PoolWindow
from ._backend import backward_ops, forward_ops
from .ceil_mode import average_rescale, crop_end, end_padding, pad_end
from .module import Module


def _short(values: tuple[int, ...]) -> int | tuple[int, ...]:
    return values[0] if len(set(values)) == 1 else values


def _window_repr(window: PoolWindow, ceil_mode: bool = False) -> str:
    text = f"kernel_size={_short(window.kernel_size)}, stride={_short(window.stride)}"
    if any(window.padding):
        text += f", padding={_short(window.padding)}"
    if any(d != 1 for d in window.dilation):
        text += f", dilation={_short(window.dilation)}"
    return text + (", ceil_mode=True" if ceil_mode else "")


class _MaxPoolNd(Module):
    spatial_dims = 0

    def __init__(
        self,
        kernel_size: IntOrTuple,
        stride: IntOrTuple | None = None,
        padding: IntOrTuple = 0,
        dilation: IntOrTuple = 1,
        *,
        ceil_mode: bool = False,
    ):
        super().__init__()
        self.window = PoolWindow.create(self.spatial_dims, kernel_size, stride, padding, dilation)
        self.ceil_mode = bool(ceil_mode)

    def forward(self, x: np.ndarray) -> np.ndarray:
        if self.ceil_mode:  # the last window may hang over the end: pad it with -inf
            self.extra = end_padding(self.window, self.window.check_input(x).shape[2:])
            x = pad_end(x, self.extra, -np.inf)
        y, self.context = forward_ops(self).max_pool(x, self.window)
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        grad = backward_ops(self).max_pool_backward(grad_out, self.context)
        return crop_end(grad, self.extra) if self.ceil_mode else grad

    def extra_repr(self) -> str:
        return _window_repr(self.window, self.ceil_mode)


class MaxPool1d(_MaxPoolNd):
    """Largest value of each window of ``(N, C, L)``, as ``torch.nn.MaxPool1d``.

    >>> MaxPool1d(2)(np.array([[[1.0, 3.0, 2.0, 0.0]]]))
    array([[[3., 2.]]])
    """

    spatial_dims = 1


class MaxPool2d(_MaxPoolNd):
    """Largest value of each window of ``(N, C, H, W)``, as ``torch.nn.MaxPool2d``.

    ``stride`` defaults to ``kernel_size``; the padding counts as ``-inf`` and is at most
    half the kernel. On a tie the gradient goes to the first largest element (row-major).

    >>> pool = MaxPool2d(2)
    >>> pool
    MaxPool2d(kernel_size=2, stride=2)
    >>> pool(np.zeros((64, 6, 28, 28), dtype=np.float32)).shape
    (64, 6, 14, 14)
    """

    spatial_dims = 2


class _AvgPoolNd(Module):
    spatial_dims = 0

    def __init__(
        self,
        kernel_size: IntOrTuple,
        stride: IntOrTuple | None = None,
        padding: IntOrTuple = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ):
        super().__init__()
        self.window = PoolWindow.create(self.spatial_dims, kernel_size, stride, padding)
        self.count_include_pad = bool(count_include_pad)
        self.ceil_mode = bool(ceil_mode)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self.window.check_input(x)
        self.extra = end_padding(self.window, x.shape[2:]) if self.ceil_mode else ()
        if not any(self.extra):
            self.rescale = None
            y, self.context = forward_ops(self).avg_pool(x, self.window, self.count_include_pad)
            return y
        # whole-window means over an end padded with 0, then torch's divisors
        y, self.context = forward_ops(self).avg_pool(pad_end(x, self.extra, 0), self.window, True)
        self.rescale = average_rescale(
            self.window, x.shape[2:], self.extra, self.count_include_pad, y.dtype
        )
        return y * self.rescale

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self.rescale is None:
            return backward_ops(self).avg_pool_backward(grad_out, self.context)
        grad = backward_ops(self).avg_pool_backward(grad_out * self.rescale, self.context)
        return crop_end(grad, self.extra)

    def extra_repr(self) -> str:
        text = _window_repr(self.window, self.ceil_mode)
        return text if self.count_include_pad else text + ", count_include_pad=False"


class AvgPool1d(_AvgPoolNd):
    """Mean of each window of ``(N, C, L)``, as ``torch.nn.AvgPool1d``.

    >>> AvgPool1d(2)(np.array([[[1.0, 3.0, 2.0, 0.0]]]))
    array([[[2., 1.]]])
    """

    spatial_dims = 1


class AvgPool2d(_AvgPoolNd):
    """Mean of each window of ``(N, C, H, W)``, as ``torch.nn.AvgPool2d``.

    ``count_include_pad=True`` (PyTorch's default) divides by the whole window, padding
    zeros included; ``False`` by the number of input elements in the window.

    >>> AvgPool2d(2, stride=1, padding=1, count_include_pad=False)
    AvgPool2d(kernel_size=2, stride=1, padding=1, count_include_pad=False)
    """

    spatial_dims = 2
