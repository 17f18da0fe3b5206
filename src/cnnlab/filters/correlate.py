"""Correlation and convolution of images with a 2-D kernel, exactly as ``scipy.ndimage``.

``correlate`` slides the kernel over the image as it is; ``convolve`` slides it flipped,
which is what the word means in mathematics (and what ``scipy.ndimage.convolve`` does)::

    correlate:  out[i, j] = sum over a, b of  K[a, b] * in[i + a - ca, j + b - cb]
    convolve:   out[i, j] = sum over a, b of  K[a, b] * in[i - a + ca', j - b + cb']

The kernel's centre is ``ca = kh // 2`` (and ``cb = kw // 2``); for an even size
``convolve`` uses ``ca' = (kh - 1) // 2``, mirroring ``correlate``, as scipy does.

How the sum is computed is chosen per call (``method="auto"``): a kernel of rank 1 (Gaussian,
mean, Sobel) as two 1-D passes, a small kernel directly as banded matrix products, a large one
through the FFT. Images holding NaN or Inf are always summed directly, one weight at a time,
so that a NaN only reaches the outputs whose window contains it.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_choice, check_not_empty, check_real
from . import _direct, _fft
from ._image import as_image, map_planes
from ._scratch import scratch
from .boundary import MODES, pad

METHODS = ("auto", "direct", "fft")


def correlate(
    image: np.ndarray,
    kernel: np.ndarray,
    mode: str = "reflect",
    cval: float = 0.0,
    method: str = "auto",
) -> np.ndarray:
    """Correlate an image with a 2-D kernel (slide it without flipping).

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        Grayscale or channels-last colour image; colour is filtered per channel.
    kernel : array_like, shape (kh, kw)
        Finite weights. Its centre is ``(kh // 2, kw // 2)``.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}
        How the image is extended past its edges (see ``cnnlab.filters.boundary``).
    cval : float
        Value outside the image in mode 'constant'.
    method : {'auto', 'direct', 'fft'}
        How to compute the sum; all give the same values up to rounding.

    Returns
    -------
    ndarray, same shape as ``image``
        Float images keep their dtype; integer and boolean images give float64.

    Examples
    --------
    >>> image = np.array([[0, 0, 1, 0]], dtype=float)
    >>> correlate(image, [[1, 2, 3]], mode="constant")
    array([[0., 3., 2., 1.]])
    """
    image, kernel, mode, cval, method = _check(image, kernel, mode, cval, method)
    widths = tuple((k // 2, (k - 1) // 2) for k in kernel.shape)
    return map_planes(
        lambda plane: _correlate_plane(plane, kernel, widths, mode, cval, method), image
    )


def convolve(
    image: np.ndarray,
    kernel: np.ndarray,
    mode: str = "reflect",
    cval: float = 0.0,
    method: str = "auto",
) -> np.ndarray:
    """Convolve an image with a 2-D kernel (slide it flipped), like ``scipy.ndimage.convolve``.

    Parameters and returns are those of `correlate`; ``convolve(image, K)`` equals
    ``correlate(image, K[::-1, ::-1])`` for odd-sized kernels.

    Examples
    --------
    >>> image = np.array([[0, 0, 1, 0]], dtype=float)
    >>> convolve(image, [[1, 2, 3]], mode="constant")
    array([[0., 1., 2., 3.]])
    """
    image, kernel, mode, cval, method = _check(image, kernel, mode, cval, method)
    widths = tuple(((k - 1) // 2, k // 2) for k in kernel.shape)
    flipped = np.ascontiguousarray(kernel[::-1, ::-1])
    return map_planes(
        lambda plane: _correlate_plane(plane, flipped, widths, mode, cval, method), image
    )


def correlate_along(
    plane: np.ndarray, weights: np.ndarray, axis: int, mode: str, cval: float
) -> np.ndarray:
    """1-D correlation of a ``(H, W)`` plane along ``axis``, like ``ndimage.correlate1d``.

    ``weights`` must be in the plane's dtype; its centre is ``len(weights) // 2``.
    """
    k = len(weights)
    kernel = weights.reshape((k, 1) if axis == 0 else (1, k))
    widths = ((k // 2, (k - 1) // 2), (0, 0)) if axis == 0 else ((0, 0), (k // 2, (k - 1) // 2))
    return _correlate_plane(plane, kernel, widths, mode, cval, "direct")


def _check(image, kernel, mode, cval, method):
    image = as_image(image)
    kernel = check_array("kernel", kernel, ndim=2, finite=True, allow_complex=False)
    check_not_empty("kernel", kernel)
    mode = check_choice("mode", mode, MODES)
    cval = check_real("cval", cval)
    method = check_choice("method", method, METHODS)
    return image, kernel.astype(np.float64), mode, cval, method


def _rank_one(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(column, row)`` with ``np.outer(column, row) == kernel``, or None if rank > 1.

    The factors are a row and a scaled column of the kernel through its largest entry, so
    integer kernels such as Sobel's split exactly (an SVD would give 0.999... factors).
    """
    i, j = np.unravel_index(np.argmax(np.abs(kernel)), kernel.shape)
    if kernel[i, j] == 0:
        return None
    column, row = kernel[:, j] / kernel[i, j], kernel[i, :]
    residual = np.abs(kernel - np.outer(column, row)).sum()
    if residual > 4 * np.finfo(kernel.dtype).eps * np.abs(kernel).sum():
        return None
    return column, row


def _correlate_plane(plane, kernel, widths, mode, cval, method):
    """Correlate one C-contiguous float plane; ``widths`` place the kernel's centre."""
    kernel = kernel.astype(plane.dtype)
    kh, kw = kernel.shape
    finite = np.isfinite(plane.sum())  # False for NaN or Inf (or a sum that overflows)
    factors = _rank_one(kernel) if kh > 1 and kw > 1 else None
    if finite and method != "direct" and (method == "fft" or factors is None):
        tile, fft_seconds = _fft.plan((plane.shape[0] + kh - 1, plane.shape[1] + kw - 1), (kh, kw))
        if method == "fft" or fft_seconds < _direct.seconds(plane.shape, (kh, kw)):
            return _fft.correlate_fft(plane, kernel, widths, mode, cval, tile)
    (top, bottom), (left, right) = widths
    padded_shape = (top + plane.shape[0] + bottom, left + plane.shape[1] + right)
    padded = pad(plane, widths, mode, cval, out=scratch("padded", padded_shape, plane.dtype))
    out = np.empty(plane.shape, dtype=plane.dtype)
    if not finite:
        return _direct.correlate_taps(padded, kernel, out)
    if kw == 1:
        return _direct.correlate_rows(padded, kernel, out)
    if kh == 1:
        return _direct.correlate_columns(padded, kernel[0], out)
    if factors is None:
        return _direct.correlate_rows(padded, kernel, out)
    column, row = factors
    partial = scratch("partial", (out.shape[0], padded.shape[1]), plane.dtype)
    _direct.correlate_rows(padded, column.reshape(kh, 1), partial)
    return _direct.correlate_columns(partial, row, out)
