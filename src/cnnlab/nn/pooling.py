"""Pooling layers: MaxPool1d/2d, AvgPool1d/2d and global AdaptiveAvgPool1d/2d.

Arguments are PyTorch's. Only ``ceil_mode=False`` is implemented; ``ceil_mode=True`` is
refused rather than ignored.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array, received
from ..functional.pooling import LAYOUTS, IntOrTuple, PoolWindow
from ._backend import backward_ops, forward_ops
from .module import Module


def _refuse_ceil_mode(ceil_mode: bool) -> None:
    if ceil_mode:
        raise ValueError(
            "`ceil_mode=True` is not supported: cnnlab pools with the floor formula "
            f"(ceil_mode=False) only. {received(ceil_mode=ceil_mode)}"
        )


def _short(values: tuple[int, ...]) -> int | tuple[int, ...]:
    return values[0] if len(set(values)) == 1 else values


def _window_repr(window: PoolWindow) -> str:
    text = f"kernel_size={_short(window.kernel_size)}, stride={_short(window.stride)}"
    if any(window.padding):
        text += f", padding={_short(window.padding)}"
    if any(d != 1 for d in window.dilation):
        text += f", dilation={_short(window.dilation)}"
    return text


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
        _refuse_ceil_mode(ceil_mode)
        self.window = PoolWindow.create(self.spatial_dims, kernel_size, stride, padding, dilation)

    def forward(self, x: np.ndarray) -> np.ndarray:
        y, self.context = forward_ops(self).max_pool(x, self.window)
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).max_pool_backward(grad_out, self.context)

    def extra_repr(self) -> str:
        return _window_repr(self.window)


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
        _refuse_ceil_mode(ceil_mode)
        self.window = PoolWindow.create(self.spatial_dims, kernel_size, stride, padding)
        self.count_include_pad = bool(count_include_pad)

    def forward(self, x: np.ndarray) -> np.ndarray:
        y, self.context = forward_ops(self).avg_pool(x, self.window, self.count_include_pad)
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).avg_pool_backward(grad_out, self.context)

    def extra_repr(self) -> str:
        text = _window_repr(self.window)
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


class _GlobalAvgPoolNd(Module):
    spatial_dims = 0

    def __init__(self, output_size: IntOrTuple):
        super().__init__()
        ones = (1,) * self.spatial_dims
        if (
            isinstance(output_size, bool)
            or not isinstance(output_size, (int, tuple, list))
            or output_size not in (1, ones, list(ones))
        ):
            raise ValueError(
                f"{type(self).__name__} supports only `output_size=1` (global average "
                f"pooling). {received(output_size=output_size)}"
            )
        self.output_size = output_size

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = check_float_array("input", x, layout=LAYOUTS[self.spatial_dims])
        self.input_shape = x.shape
        return forward_ops(self).global_avg_pool(x)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).global_avg_pool_backward(grad_out, self.input_shape)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_GlobalAvgPoolNd):
    """Mean over the length: ``(N, C, L) -> (N, C, 1)``; only ``output_size=1``.

    >>> AdaptiveAvgPool1d(1)(np.array([[[1.0, 3.0]]]))
    array([[[2.]]])
    """

    spatial_dims = 1


class AdaptiveAvgPool2d(_GlobalAvgPoolNd):
    """Global average pooling ``(N, C, H, W) -> (N, C, 1, 1)``; only ``output_size=1``.

    >>> AdaptiveAvgPool2d((1, 1))(np.ones((2, 3, 7, 7))).shape
    (2, 3, 1, 1)
    """

    spatial_dims = 2
