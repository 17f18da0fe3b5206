"""im2col and col2im: a convolution's sliding windows as the columns of one matrix.

For a kernel of size ``(KH, KW)`` over ``C`` channels, ``im2col`` copies every window of the
padded input into one column of a ``(C * KH * KW, N * H_out * W_out)`` matrix, rows
ordered ``(c, kh, kw)`` like the flattened weight ``(C_out, C * KH * KW)``, so the
convolution becomes the single matrix product ``weight_matrix @ cols``. ``col2im`` is its
adjoint: it adds every column back onto the window it came from.

Two choices make this fast (they are measured in ``benchmarks/``):

- The loops run over the ``KH * KW`` kernel offsets, never over pixels: the element at
  offset ``(kh, kw)`` of every window is one strided view of the padded input.
- Full rows. With a horizontal stride of 1, each output row is computed for every column
  of the padded row (``row_width = W_pad`` instead of ``W_out``): then the windows at one
  offset are a single contiguous run of the flattened input plane, and copying them is a
  few long memcpy's instead of many short ones. The extra ``W_pad - W_out`` columns of
  each row read into the next row (and into a small zero tail after the plane); they are
  computed and thrown away. The input lives as *planes*, ``(N, C, plane_size)``: the
  padded ``H_pad * W_pad`` image followed by that zero tail.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._shapes import conv_output_size

FULL_ROWS_MIN_USE = 0.7  # full rows only when at least this share of each row is output


@dataclass(frozen=True)
class ColumnLayout:
    """Where the columns of im2col read from the padded input planes (2-D geometry).

    Attributes
    ----------
    kernel_size, stride, dilation : (int, int)
    padded_shape : (int, int)
        ``(H_pad, W_pad)``, the input after padding.
    output_shape : (int, int)
        ``(H_out, W_out)``.
    row_width : int
        Columns computed per output row: ``W_out``, or ``W_pad`` for full rows.
    """

    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    padded_shape: tuple[int, int]
    output_shape: tuple[int, int]
    row_width: int

    @classmethod
    def create(
        cls,
        padded_shape: tuple[int, int],
        kernel_size: tuple[int, int],
        stride: tuple[int, int] = (1, 1),
        dilation: tuple[int, int] = (1, 1),
        full_rows: bool | None = None,
    ) -> ColumnLayout:
        """The layout for an already padded input; ``full_rows=None`` decides by speed.

        Full rows need a horizontal stride of 1; they pay when most of each padded row is
        output (the thrown-away columns are computed too) and there is more than one row.
        """
        geometry = zip(padded_shape, kernel_size, stride, dilation, strict=True)
        output_shape = tuple(conv_output_size(n, k, s, 0, d) for n, k, s, d in geometry)
        (out_h, out_w), padded_w = output_shape, padded_shape[1]
        if full_rows is None:
            full_rows = out_h > 1 and out_w >= FULL_ROWS_MIN_USE * padded_w
        row_width = padded_w if full_rows and stride[1] == 1 else out_w
        return cls(
            tuple(kernel_size), tuple(stride), tuple(dilation), tuple(padded_shape),
            output_shape, row_width,
        )  # fmt: skip

    @property
    def plane_size(self) -> int:
        """Elements per input plane: the padded image plus the tail full rows read."""
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.stride, self.dilation
        padded_h, padded_w = self.padded_shape
        last_offset = (kh - 1) * dh * padded_w + (kw - 1) * dw
        last_read = last_offset + (self.output_shape[0] - 1) * sh * padded_w
        last_read += (self.row_width - 1) * sw
        return max(padded_h * padded_w, last_read + 1)

    @property
    def positions(self) -> int:
        """Columns per image: ``H_out * row_width``."""
        return self.output_shape[0] * self.row_width

    def new_planes(self, batch: int, channels: int, dtype) -> np.ndarray:
        """Uninitialised planes ``(batch, channels, plane_size)`` with a zeroed tail."""
        planes = np.empty((batch, channels, self.plane_size), dtype=dtype)
        planes[..., self.padded_shape[0] * self.padded_shape[1] :] = 0
        return planes

    def image(self, planes: np.ndarray) -> np.ndarray:
        """The padded images ``(N, C, H_pad, W_pad)`` inside ``planes`` (a view)."""
        size = self.padded_shape[0] * self.padded_shape[1]
        return planes[..., :size].reshape(planes.shape[:2] + self.padded_shape)

    def windows(self, planes: np.ndarray, kh: int, kw: int) -> np.ndarray:
        """View ``(N, C, H_out, row_width)``: the element at offset (kh, kw) of each window.

        Built with ``as_strided`` on a plane; ``plane_size`` guarantees that the last
        element read lies inside the plane, so the view never leaves the array.
        """
        (sh, sw), (dh, dw) = self.stride, self.dilation
        padded_w, item = self.padded_shape[1], planes.itemsize
        start = planes[..., kh * dh * padded_w + kw * dw :]
        return np.lib.stride_tricks.as_strided(
            start,
            shape=planes.shape[:2] + (self.output_shape[0], self.row_width),
            strides=planes.strides[:2] + (sh * padded_w * item, sw * item),
        )


def im2col(planes: np.ndarray, layout: ColumnLayout, out: np.ndarray | None = None) -> np.ndarray:
    """Copy every window of ``planes`` into a column.

    Parameters
    ----------
    planes : ndarray, shape (N, C, layout.plane_size)
        Padded input (see :meth:`ColumnLayout.new_planes` and :meth:`ColumnLayout.image`).
    layout : ColumnLayout
    out : ndarray, optional
        Contiguous buffer of at least ``C * KH * KW * N * layout.positions`` elements to
        write into (the columns are a view of its start).

    Returns
    -------
    cols : ndarray, shape (C * KH * KW, N * H_out * row_width)
        Rows ordered ``(c, kh, kw)``, columns ``(n, h_out, w)``.

    Examples
    --------
    >>> layout = ColumnLayout.create((3, 3), (2, 2), full_rows=False)
    >>> planes = np.arange(9.0).reshape(1, 1, 9)
    >>> im2col(planes, layout)  # the four 2x2 windows of [[0 1 2] [3 4 5] [6 7 8]]
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    batch, channels = planes.shape[:2]
    kh, kw = layout.kernel_size
    shape = (channels, kh, kw, batch) + (layout.output_shape[0], layout.row_width)
    size = int(np.prod(shape))
    cols = np.empty(shape, planes.dtype) if out is None else out.ravel()[:size].reshape(shape)
    for i in range(kh):
        for j in range(kw):
            cols[:, i, j] = layout.windows(planes, i, j).transpose(1, 0, 2, 3)
    return cols.reshape(channels * kh * kw, batch * layout.positions)


def col2im(cols: np.ndarray, layout: ColumnLayout, planes: np.ndarray) -> np.ndarray:
    """Add each column of ``cols`` onto the window it came from (the adjoint of im2col).

    Parameters
    ----------
    cols : ndarray, shape (C * KH * KW, N * H_out * row_width)
        Its thrown-away columns (``w >= W_out`` of each row) are set to zero first.
    layout : ColumnLayout
    planes : ndarray, shape (N, C, layout.plane_size)
        Accumulated into (``+=``) and returned.

    Examples
    --------
    >>> layout = ColumnLayout.create((3, 3), (2, 2), full_rows=False)
    >>> planes = np.zeros((1, 1, 9))
    >>> col2im(np.ones((4, 4)), layout, planes).reshape(3, 3)  # windows covering each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    batch, channels = planes.shape[:2]
    kh, kw = layout.kernel_size
    out_h, out_w = layout.output_shape
    cols = cols.reshape(channels, kh, kw, batch, out_h, layout.row_width)
    cols[..., out_w:] = 0  # full rows: keep the thrown-away columns out of the sum
    for i in range(kh):
        for j in range(kw):
            window = layout.windows(planes, i, j).transpose(1, 0, 2, 3)
            window += cols[:, i, j]  # not window[...] += (that copies the sum back again)
    return planes
