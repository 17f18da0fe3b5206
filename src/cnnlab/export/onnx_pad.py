"""ConstantPad1d and ConstantPad2d: a border of one value around the spatial axes.

ONNX writes a convolution's or a pooling's padding as separate amounts before and after
each axis (``pads = [top, left, bottom, right]``), which may differ; cnnlab's ``Conv2d``
and pooling layers pad both sides alike, as torch's do. An imported layer with uneven
padding becomes this layer followed by the same layer without padding (``-inf`` as the
value before a max pooling, so that the border is never the largest).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int_tuple, received
from ..nn import Module


class _ConstantPadNd(Module):
    spatial_dims = 0

    def __init__(self, padding, value: float = 0.0):
        super().__init__()
        flat = check_int_tuple("padding", padding, 2 * self.spatial_dims, minimum=0)
        self.padding = flat
        # torch's order, last axis first: (left, right, top, bottom) -> per axis, in order
        pairs = [flat[i : i + 2] for i in range(0, len(flat), 2)]
        self.pairs = tuple(reversed(pairs))
        self.value = float(value)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim != self.spatial_dims + 2:
            raise ValueError(
                f"{type(self).__name__} pads a batch of {self.spatial_dims}-D maps, an array "
                f"with {self.spatial_dims + 2} axes. {received(input=x)}"
            )
        self.input_shape = x.shape
        widths = ((0, 0), (0, 0), *self.pairs)
        return np.pad(x, widths, constant_values=np.asarray(self.value, dtype=x.dtype))

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        inside = tuple(
            slice(before, before + n)
            for (before, _), n in zip(self.pairs, self.input_shape[2:], strict=True)
        )
        return np.ascontiguousarray(grad_out[(Ellipsis, *inside)])

    def extra_repr(self) -> str:
        text = f"padding={self.padding}"
        return text if self.value == 0 else f"{text}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad ``(N, C, L)`` by ``(left, right)`` with ``value``, as ``torch.nn.ConstantPad1d``.

    >>> ConstantPad1d((1, 2), value=-1.0)(np.ones((1, 1, 2)))
    array([[[-1.,  1.,  1., -1., -1.]]])
    """

    spatial_dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad ``(N, C, H, W)`` by ``(left, right, top, bottom)``, as ``torch.nn.ConstantPad2d``.

    >>> pad = ConstantPad2d((0, 1, 1, 0))
    >>> pad
    ConstantPad2d(padding=(0, 1, 1, 0))
    >>> pad(np.ones((1, 1, 2, 2)))[0, 0]
    array([[0., 0., 0.],
           [1., 1., 0.],
           [1., 1., 0.]])
    """

    spatial_dims = 2
