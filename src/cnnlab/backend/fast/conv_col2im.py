"""The input gradient by col2im, for convolutions whose dx is not a convolution of dy.

``dx = col2im(W.T @ dy)``, chunk by chunk, then folded back by ``pad_backward``. With
stride 1 the col2im is :func:`~cnnlab.backend.fast.im2col.shifted_col2im` (a few long 1-D
additions over channel-major planes) and, with zero padding, its result goes straight
into the input's gradient. :func:`~cnnlab.backend.fast.conv_backward.conv_backward` uses
it for strides above 1, other padding modes and few input channels per group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...functional.padding import pad_backward
from .im2col import ColumnLayout, col2im, shifted_col2im

if TYPE_CHECKING:
    from .conv_backward import ConvContext


class Col2imInputGradient:
    """``dx = col2im(W.T @ dy)`` built chunk by chunk, then folded by ``pad_backward``."""

    def __init__(self, ctx: ConvContext, chunk: int):
        self.ctx, layout, weight, groups = ctx, ctx.layout, ctx.weight, ctx.groups
        (batch, channels), (c_out, c_group, kh, kw) = ctx.planes.shape[:2], weight.shape
        self.shifted = layout.stride == (1, 1)
        if self.shifted:  # rows (kh, kw, c) for shifted_col2im
            w_t = weight.reshape(groups, c_out // groups, c_group, kh, kw).transpose(0, 3, 4, 2, 1)
        else:  # rows (c, kh, kw) for col2im
            w_t = weight.reshape(groups, c_out // groups, -1).transpose(0, 2, 1)
        self.w_t = np.ascontiguousarray(w_t).reshape(groups, -1, c_out // groups)
        columns = chunk * (layout.plane_size if self.shifted else layout.positions)
        self.sizes = {  # per part of the batch: buffers for one chunk
            "grad_rows": c_out * columns,
            "grad_cols": c_group * groups * kh * kw * columns,
            "grad_chunk": channels * chunk * layout.plane_size,  # planes, channel-major
        }
        get = ctx.workspace.get
        self.direct = self.shifted and ctx.padding_mode == "zeros"
        if self.direct:  # (N, C, H, W)
            self.image = np.empty((batch, channels) + self._input_size(), weight.dtype)
        else:  # (N, C, H_pad, W_pad), the gradient of the padded input, inside planes
            planes = get("grad_planes", ctx.planes.size, weight.dtype)
            self.planes = planes.reshape(ctx.planes.shape)
            self.image = layout.image(self.planes)

    def _input_size(self) -> tuple[int, int]:
        shape = self.ctx.input_shape
        return shape[2:] if len(shape) == 4 else (1, shape[2])

    def _buffer(self, name: str, worker: int) -> np.ndarray:
        return self.ctx.workspace.get(f"{name}.{worker}", self.sizes[name], self.w_t.dtype)

    def add(self, part: slice, grad_out: np.ndarray, rows: np.ndarray, worker: int = 0) -> None:
        """The gradient of the images ``part``, from their ``grad_out`` and its ``rows``.

        ``worker`` names the scratch buffers of the thread that calls.
        """
        layout, groups = self.ctx.layout, self.ctx.groups
        images, channels = grad_out.shape[0], self.ctx.planes.shape[1]
        if self.shifted:
            rows = plane_rows(grad_out, rows, layout, self._buffer("grad_rows", worker))
        rows = rows.reshape(groups, -1, rows.shape[1])
        grad_cols = self._buffer("grad_cols", worker)
        grad_cols = grad_cols[: self.w_t.shape[0] * self.w_t.shape[1] * rows.shape[2]]
        grad_cols = grad_cols.reshape(groups, self.w_t.shape[1], -1)
        np.matmul(self.w_t, rows, out=grad_cols)
        if not self.shifted:
            planes = self.planes[part]
            planes.fill(0)
            col2im(grad_cols.reshape(-1, grad_cols.shape[2]), layout, planes)
            return
        scratch = self._buffer("grad_chunk", worker)[: channels * images * layout.plane_size]
        planes = shifted_col2im(grad_cols, layout, scratch.reshape(channels, images, -1))
        image = layout.image(planes).transpose(1, 0, 2, 3)  # (n, C, H_pad, W_pad)
        if self.direct:
            (top, _), (left, _) = self.ctx.padding
            height, width = self._input_size()
            image = image[..., top : top + height, left : left + width]
        self.image[part] = image

    def result(self) -> np.ndarray:
        if self.direct:
            return self.image
        grad = pad_backward(self.image, self.ctx.padding, self.ctx.padding_mode)
        return grad.copy() if self.ctx.padding_mode == "zeros" else grad


def image_to_rows(image: np.ndarray, layout: ColumnLayout, out: np.ndarray) -> np.ndarray:
    """``image`` ``(n, C, H_out, W_out)`` as rows ``(C, n * H_out * row_width)`` in ``out``.

    The adjoint of ``_rows_to_image`` (forward): thrown-away columns are zero. ``out`` is a
    buffer of at least ``C * n * layout.positions`` elements.
    """
    batch, channels = image.shape[:2]
    out_h, out_w = layout.output_shape
    grid = out[: channels * batch * layout.positions].reshape(channels, batch, out_h, -1)
    grid[..., :out_w] = image.transpose(1, 0, 2, 3)
    grid[..., out_w:] = 0
    return grid.reshape(channels, -1)


def plane_rows(
    image: np.ndarray, rows: np.ndarray, layout: ColumnLayout, out: np.ndarray
) -> np.ndarray:
    """``image`` ``(n, C, H_out, W_out)`` as rows ``(C, n * plane_size)`` in ``out`` (stride 1).

    Output pixel ``(r, w)`` goes to plane position ``r * W_pad + w``, where its window
    starts; every other position is zero: the column space of ``shifted_col2im``. With
    full rows, ``rows`` (the same image from :func:`image_to_rows`) already hold the
    first ``H_out * W_pad`` positions of each plane and are copied whole.
    """
    batch, channels = image.shape[:2]
    (out_h, out_w), padded_w = layout.output_shape, layout.padded_shape[1]
    planes = out[: channels * batch * layout.plane_size].reshape(channels, batch, -1)
    if layout.full_rows:
        planes[..., : layout.positions] = rows.reshape(channels, batch, -1)
        planes[..., layout.positions :] = 0
    else:
        planes.fill(0)
        grid = planes[..., : out_h * padded_w].reshape(channels, batch, out_h, padded_w)
        grid[..., :out_w] = image.transpose(1, 0, 2, 3)
    return planes.reshape(channels, -1)
