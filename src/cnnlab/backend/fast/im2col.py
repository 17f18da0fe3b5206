"""im2col and col2im: a convolution's sliding windows as the columns of one matrix.

For a kernel of size ``(KH, KW)`` over ``C`` channels, ``im2col`` copies every window of the
padded input into one column of a ``(C * KH * KW, N * H_out * W_out)`` matrix, rows
ordered ``(c, kh, kw)`` like the flattened weight ``(C_out, C * KH * KW)``, so the
convolution becomes the single matrix product ``weight_matrix @ cols``. ``col2im`` is its
adjoint: it adds every column back onto the window it came from.

What makes it fast (measured on the LeNet-5 and VGG layer shapes):

- No loop over pixels: all windows are one strided view of the padded input, so im2col
  is a single copy, and col2im loops only over the ``KH * KW`` kernel offsets.
- Full rows. With stride 1, each output row is computed for every column of the padded
  row (``row_width = W_pad`` instead of ``W_out``): then the windows at one offset are a
  single contiguous run of the flattened input plane, copied as a few long runs instead
  of many short ones. The extra ``W_pad - W_out`` columns of each row read into the next
  row (and into a small zero tail after the plane); they are computed and thrown away.
  The input lives as *planes*, ``(N, C, plane_size)``: the padded ``H_pad * W_pad``
  image followed by that zero tail.
- With stride 1, :func:`shifted_col2im` adds whole kernel offsets as 1-D shifts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...functional._shapes import conv_output_size

FULL_ROWS_MIN_USE = 0.8  # full rows only when this share of each row is output (measured:
# 28 of 32 and 32 of 34 gain, 10 of 14 loses)


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
        Columns computed per output row: ``W_out``, or ``W_pad`` for full rows (stride 1).
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

        Full rows need stride 1; they pay when most of each padded row is output (the
        thrown-away columns are computed too) and there is more than one row.
        """
        geometry = zip(padded_shape, kernel_size, stride, dilation, strict=True)
        output_shape = tuple(conv_output_size(n, k, s, 0, d) for n, k, s, d in geometry)
        (out_h, out_w), padded_w = output_shape, padded_shape[1]
        if full_rows is None:
            full_rows = out_h > 1 and out_w >= FULL_ROWS_MIN_USE * padded_w
        row_width = padded_w if full_rows and tuple(stride) == (1, 1) else out_w
        return cls(
            tuple(kernel_size), tuple(stride), tuple(dilation), tuple(padded_shape),
            output_shape, row_width,
        )  # fmt: skip

    @property
    def full_rows(self) -> bool:
        return self.row_width != self.output_shape[1]

    @property
    def plane_size(self) -> int:
        """Elements per input plane: the padded image, and for full rows the tail they read.

        The last full row of the last kernel offset ends ``(KW - 1) * dilation`` elements
        past the image.
        """
        padded_h, padded_w = self.padded_shape
        tail = (self.kernel_size[1] - 1) * self.dilation[1] if self.full_rows else 0
        return padded_h * padded_w + tail

    @property
    def positions(self) -> int:
        """Columns per image: ``H_out * row_width``."""
        return self.output_shape[0] * self.row_width

    def new_planes(self, batch: int, channels: int, dtype, buffer=None) -> np.ndarray:
        """Planes ``(batch, channels, plane_size)``: image uninitialised, tail zeroed.

        ``buffer`` (1-D, at least that many elements, e.g. from a
        :class:`~cnnlab.backend.fast.workspace.Workspace`) holds them when given.
        """
        shape = (batch, channels, self.plane_size)
        size = batch * channels * self.plane_size
        planes = np.empty(shape, dtype) if buffer is None else buffer[:size].reshape(shape)
        planes[..., self.padded_shape[0] * self.padded_shape[1] :] = 0
        return planes

    def image(self, planes: np.ndarray) -> np.ndarray:
        """The padded images ``(N, C, H_pad, W_pad)`` inside ``planes`` (a view)."""
        size = self.padded_shape[0] * self.padded_shape[1]
        return planes[..., :size].reshape(planes.shape[:2] + self.padded_shape)

    def windows(self, planes: np.ndarray, writeable: bool = False) -> np.ndarray:
        """View ``(C, KH, KW, N, H_out, row_width)`` of every window of ``planes``.

        Element ``[c, i, j, n, r, w]`` is ``image[n, c, r * sh + i * dh, w * sw + j * dw]``
        (for full rows ``w`` runs past ``W_out`` into the next row and the tail). One
        strided view, so im2col is a single copy; ``plane_size`` keeps its last element
        inside the plane. Windows overlap: write through it (``writeable``) one kernel
        offset at a time.
        """
        (sh, sw), (dh, dw) = self.stride, self.dilation
        padded_w = self.padded_shape[1]
        batch_step, channel_step, step = planes.strides
        if step != planes.itemsize:
            raise ValueError("`planes` must be contiguous along its last axis.")
        return np.lib.stride_tricks.as_strided(
            planes,
            shape=(planes.shape[1], *self.kernel_size, planes.shape[0], self.output_shape[0],
                   self.row_width),
            strides=(channel_step, dh * padded_w * step, dw * step, batch_step,
                     sh * padded_w * step, sw * step),
            writeable=writeable,
        )  # fmt: skip


def im2col(planes: np.ndarray, layout: ColumnLayout, out: np.ndarray | None = None) -> np.ndarray:
    """Copy every window of ``planes`` into a column.

    Parameters
    ----------
    planes : ndarray, shape (N, C, layout.plane_size)
        Padded input (see :meth:`ColumnLayout.new_planes` and :meth:`ColumnLayout.image`).
    layout : ColumnLayout
    out : ndarray, optional
        1-D buffer of at least ``C * KH * KW * N * layout.positions`` elements to write
        into (the columns are a view of its start).

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
    rows = channels * layout.kernel_size[0] * layout.kernel_size[1]
    windows = layout.windows(planes)  # (C, KH, KW, N, H_out, row_width)
    return _copy_windows(windows, (rows, batch * layout.positions), out)


def image_columns(
    planes: np.ndarray, layout: ColumnLayout, out: np.ndarray | None = None
) -> np.ndarray:
    """:func:`im2col` image by image: ``(N, C * KH * KW, H_out * row_width)``.

    Each image's columns form their own matrix, so a batched product with the weight
    gives the output already in image order ``(N, C_out, H_out, row_width)``. ``out`` is a
    1-D buffer of at least ``N * C * KH * KW * layout.positions`` elements.

    >>> layout = ColumnLayout.create((3, 3), (2, 2), full_rows=False)
    >>> planes = np.arange(18.0).reshape(2, 1, 9)
    >>> image_columns(planes, layout)[1]   # the windows of the second image
    array([[ 9., 10., 12., 13.],
           [10., 11., 13., 14.],
           [12., 13., 15., 16.],
           [13., 14., 16., 17.]])
    """
    return copy_columns(image_windows(planes, layout), out)


def image_windows(planes: np.ndarray, layout: ColumnLayout) -> np.ndarray:
    """View ``(N, C, KH, KW, H_out, row_width)`` of every window, image by image.

    Made once for a batch and sliced per chunk (a slice is cheaper than a new view),
    then copied by :func:`copy_columns`.
    """
    return layout.windows(planes).transpose(3, 0, 1, 2, 4, 5)


def copy_columns(windows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Image windows ``(n, C, KH, KW, H_out, row_width)`` copied as ``(n, C * KH * KW, positions)``.

    ``out`` is a 1-D buffer of at least as many elements as ``windows``.
    """
    n, channels, kh, kw, out_h, width = windows.shape
    return _copy_windows(windows, (n, channels * kh * kw, out_h * width), out)


def _copy_windows(windows: np.ndarray, shape: tuple[int, ...], out) -> np.ndarray:
    """The ``windows`` view copied, in its order, into a new array (or ``out``) of ``shape``."""
    size = math.prod(shape)
    cols = np.empty(size, windows.dtype) if out is None else out[:size]
    cols.reshape(windows.shape)[...] = windows
    return cols.reshape(shape)


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
    kh, kw = layout.kernel_size
    out_w = layout.output_shape[1]
    windows = layout.windows(planes, writeable=True)
    cols = cols.reshape(windows.shape)
    cols[..., out_w:] = 0  # full rows: keep the thrown-away columns out of the sum
    for i in range(kh):
        for j in range(kw):  # the windows at one offset do not overlap each other
            window = windows[:, i, j]
            window += cols[:, i, j]  # not window[...] += (that copies the sum back again)
    return planes


def shifted_col2im(cols: np.ndarray, layout: ColumnLayout, out: np.ndarray) -> np.ndarray:
    """col2im for stride 1, as ``KH * KW`` contiguous 1-D additions.

    With stride 1 the element at offset ``(kh, kw)`` of a window lies ``kh * dh * W_pad +
    kw * dw`` plane positions after the window's start. Lay the columns over whole planes
    (each output pixel at its window's start ``r * W_pad + w``, zeros elsewhere) and keep
    the result channel-major: then adding back one offset's columns is a single shifted
    addition over the flattened planes, which NumPy does several times faster than adding
    into strided windows. The last positions of a plane hold no output pixel, so what
    spills over into the next plane is zero.

    Parameters
    ----------
    cols : ndarray, shape (G, KH * KW * C_g, n * plane_size)
        Per group, rows ordered ``(kh, kw, c)``; columns ``(n, plane position)``.
    layout : ColumnLayout
    out : ndarray, shape (G * C_g, n, plane_size)
        Channel-major planes, overwritten with the result and returned.
    """
    groups = cols.shape[0]
    kh, kw = layout.kernel_size
    (dh, dw), padded_w = layout.dilation, layout.padded_shape[1]
    flat = out.reshape(groups, -1)  # (G, C_g * n * plane_size)
    size = flat.shape[1]
    shifted = cols.reshape(groups, kh * kw, size)
    for group in range(groups):
        flat[group] = shifted[group, 0]
        for index in range(1, kh * kw):
            i, j = divmod(index, kw)
            offset = i * dh * padded_w + j * dw
            target = flat[group, offset:]
            target += shifted[group, index, : size - offset]
    return out
