"""im2col and col2im: an image's sliding windows as the columns of a matrix, and back.

For a padded image ``x`` ``(N, C, H, W)`` and a ``KH x KW`` kernel with stride ``(sh, sw)``
and dilation ``(dh, dw)``, the column of output pixel ``(i, j)`` holds the window the
kernel covers there::

    cols[n, (c, a, b), (i, j)] = x[n, c, i * sh + a * dh, j * sw + b * dw]

Rows ``(c, a, b)`` run channel-major, as in the flattened weight ``(C_out, C * KH * KW)``,
so that a convolution is one matrix product. col2im is the adjoint: it adds every entry
of the columns back onto the pixel it came from (a pixel in several windows gets several).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._shapes import conv_output_size


def output_shape(image_shape, kernel_size, stride, dilation) -> tuple[int, int]:
    """``(H_out, W_out)`` of an unpadded ``(H, W)`` image: the windows that fit."""
    geometry = zip(image_shape, kernel_size, stride, dilation, strict=True)
    return tuple(conv_output_size(n, k, s, 0, d) for n, k, s, d in geometry)


def im2col(x: np.ndarray, kernel_size, stride=(1, 1), dilation=(1, 1)) -> np.ndarray:
    """The windows of ``x`` ``(N, C, H, W)`` as columns ``(N, C * KH * KW, H_out * W_out)``.

    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> im2col(x, (2, 2))[0]  # one column per 2x2 window
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    (N, C), (KH, KW) = x.shape[:2], kernel_size
    (sh, sw), (dh, dw) = stride, dilation
    H_out, W_out = output_shape(x.shape[2:], kernel_size, stride, dilation)
    span = (dh * (KH - 1) + 1, dw * (KW - 1) + 1)  # the dilated kernel's extent
    windows = sliding_window_view(x, span, axis=(2, 3))  # (N, C, H', W', span_h, span_w)
    windows = windows[:, :, ::sh, ::sw, ::dh, ::dw]  # (N, C, H_out, W_out, KH, KW)
    cols = windows.transpose(0, 1, 4, 5, 2, 3)  # (N, C, KH, KW, H_out, W_out)
    return cols.reshape(N, C * KH * KW, H_out * W_out)  # a copy


def col2im(cols: np.ndarray, image_shape, kernel_size, stride=(1, 1), dilation=(1, 1)):
    """Adjoint of :func:`im2col`: add ``cols`` back into an image of ``image_shape``.

    One strided slice add per kernel offset ``(a, b)``: it lands on the pixels
    ``(i * sh + a * dh, j * sw + b * dw)`` of every output pixel ``(i, j)`` at once.

    >>> cols = im2col(np.ones((1, 1, 3, 3)), (2, 2))
    >>> col2im(cols, (1, 1, 3, 3), (2, 2))[0, 0]  # how many windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    (N, C, H, W), (KH, KW) = image_shape, kernel_size
    (sh, sw), (dh, dw) = stride, dilation
    H_out, W_out = output_shape((H, W), kernel_size, stride, dilation)
    cols = cols.reshape(N, C, KH, KW, H_out, W_out)
    x = np.zeros(image_shape, dtype=cols.dtype)
    for a in range(KH):
        rows = slice(a * dh, a * dh + sh * (H_out - 1) + 1, sh)
        for b in range(KW):
            columns = slice(b * dw, b * dw + sw * (W_out - 1) + 1, sw)
            x[:, :, rows, columns] += cols[:, :, a, b]
    return x
