"""Direct correlation of an already padded plane, as banded matrix products.

Every function here computes the 'valid' correlation of a padded plane ``P`` of shape
``(H + kh - 1, W + kw - 1)`` with a kernel ``K`` of shape ``(kh, kw)``::

    out[i, j] = sum over a, b of  K[a, b] * P[i + a, j + b]

Eight output rows of a correlation are one product of a band matrix with the ``8 + kh - 1``
padded rows below them, so the sum runs in BLAS rather than as ``kh * kw`` passes of NumPy
arithmetic over the image: 3x faster than those passes for a 7x7 kernel on our machine.
The band matrix holds zeros, and ``0 * inf`` is NaN, so planes with NaN or Inf go through
``correlate_taps`` instead, which only ever touches a pixel's own window.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._scratch import scratch

ROWS = 8  # output rows per band-matrix product
COLUMNS = 8  # output columns per product in the horizontal pass
# OpenBLAS runs a product with m * n * k <= 2**18 on one thread. Staying under that keeps a
# filter's speed steady on a busy machine, where waiting for a second thread can cost 10x.
SINGLE_THREAD_PRODUCT = 1 << 18
STACK_BYTES = 1 << 19  # shifted copies gathered per product group: well inside L2
# Time per output sample and per entry of its band-matrix row, copies included (measured
# on a 2-core machine, float32), to weigh the direct sum against the FFT.
SECONDS_PER_TERM = 0.045e-9


def seconds(out_shape: tuple[int, int], kernel_shape: tuple[int, int]) -> float:
    """Estimated time of `correlate_rows` for an output of ``out_shape``."""
    (H, W), (kh, kw) = out_shape, kernel_shape
    return H * W * (ROWS + kh - 1) * kw * SECONDS_PER_TERM


def band_matrix(kernel: np.ndarray, rows: int) -> np.ndarray:
    """Band matrix ``M`` with ``M[r, (r + a) * kw + b] = K[a, b]``, shape ``(rows, span * kw)``.

    ``span = rows + kh - 1``. Multiplied with ``kw`` column-shifted copies of ``span`` padded
    rows (stacked as ``(span, kw, W)``), it gives ``rows`` rows of the correlation.

    >>> band_matrix(np.array([[1.0], [2.0]]), 3)
    array([[1., 2., 0., 0.],
           [0., 1., 2., 0.],
           [0., 0., 1., 2.]])
    """
    kh, kw = kernel.shape
    band = np.zeros((rows, rows + kh - 1, kw), dtype=kernel.dtype)
    for r in range(rows):
        band[r, r : r + kh] = kernel
    return band.reshape(rows, (rows + kh - 1) * kw)


def _segments(total: int, size: int) -> list[tuple[int, int, int]]:
    """Cover ``range(total)`` by ``(start, count, length)`` runs of equal blocks."""
    full, rest = divmod(total, size)
    runs = [(0, full, size)] if full else []
    return runs + [(full * size, 1, rest)] if rest else runs


def _blocks(
    array: np.ndarray,
    start: tuple[int, int],
    count: tuple[int, int],
    step: tuple[int, int],
    shape: tuple[int, ...],
) -> np.ndarray:
    """A view of ``count`` x ``count`` blocks of ``array``, ``step`` apart, each of ``shape``.

    The blocks may overlap; ``shape`` lists the block's own axes, whose strides follow
    ``array`` (a trailing axis repeated, as in ``(rows, kw, width)``, re-uses the column
    stride: that is how shifted copies are read without copying).
    """
    s0, s1 = array.strides
    inner = (s0,) + (s1,) * (len(shape) - 1)
    return as_strided(
        array[start[0] :, start[1] :],
        shape=count + shape,
        strides=(step[0] * s0, step[1] * s1) + inner,
        writeable=False,
    )


def _out_blocks(
    out: np.ndarray, start: tuple[int, int], count: tuple[int, int], shape: tuple[int, int]
) -> np.ndarray:
    """``out``'s region as ``count`` x ``count`` writable blocks of ``shape``: (n0, n1, h, w)."""
    (r0, c0), (n0, n1), (h, w) = start, count, shape
    region = out[r0 : r0 + n0 * h, c0 : c0 + n1 * w]
    return region.reshape(n0, h, n1, w).transpose(0, 2, 1, 3)


def correlate_rows(padded: np.ndarray, kernel: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Valid correlation, ``ROWS`` output rows per band-matrix product.

    ``out`` has shape ``(H, W)``; ``padded`` at least ``(H + kh - 1, W + kw - 1)``. A
    column kernel (``kw == 1``) reads the padded rows in place; wider kernels first gather
    ``kw`` column-shifted copies of the rows.
    """
    kh, kw = kernel.shape
    H, W = out.shape
    band = band_matrix(kernel, ROWS)
    width = min(W, max(COLUMNS, SINGLE_THREAD_PRODUCT // (band.size)))
    for c0, n_blocks, cols in _segments(W, width):
        for r0, n_chunks, rows in _segments(H, ROWS):
            span = rows + kh - 1
            matrix = band[:rows, : span * kw]
            targets = _out_blocks(out, (r0, c0), (n_chunks, n_blocks), (rows, cols))
            if kw == 1:
                sources = _blocks(
                    padded, (r0, c0), (n_chunks, n_blocks), (rows, cols), (span, cols)
                )
                np.matmul(matrix, sources, out=targets)
                continue
            sources = _blocks(
                padded, (r0, c0), (n_chunks, n_blocks), (rows, cols), (span, kw, cols)
            )
            group = max(1, STACK_BYTES // (n_blocks * span * kw * cols * padded.itemsize))
            stack = scratch("stack", (min(group, n_chunks), n_blocks, span, kw, cols), padded.dtype)
            for i in range(0, n_chunks, group):
                j = min(n_chunks, i + group)
                np.copyto(stack[: j - i], sources[i:j])
                shifted = stack[: j - i].reshape(j - i, n_blocks, span * kw, cols)
                np.matmul(matrix, shifted, out=targets[i:j])
    return out


def correlate_columns(padded: np.ndarray, weights: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Valid 1-D correlation along rows: ``out[i, j] = sum_b w[b] * padded[i, j + b]``.

    ``COLUMNS`` output columns are one product of the padded rows' slice with a band
    matrix; the padded plane is read in place.
    """
    (k,) = weights.shape
    H, W = out.shape
    band = band_matrix(weights.reshape(k, 1), COLUMNS).T  # (COLUMNS + k - 1, COLUMNS)
    height = min(H, max(ROWS, SINGLE_THREAD_PRODUCT // band.size))
    for r0, n_chunks, rows in _segments(H, height):
        for c0, n_blocks, cols in _segments(W, COLUMNS):
            sources = _blocks(
                padded, (r0, c0), (n_chunks, n_blocks), (rows, cols), (rows, cols + k - 1)
            )
            targets = _out_blocks(out, (r0, c0), (n_chunks, n_blocks), (rows, cols))
            np.matmul(sources, band[: cols + k - 1, :cols], out=targets)
    return out


def correlate_taps(padded: np.ndarray, kernel: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Valid correlation as one shifted slice per weight; NaN and Inf stay in their window.

    Weights no larger than float64's epsilon are skipped, as ``scipy.ndimage`` skips them.
    """
    H, W = out.shape
    out[...] = 0
    term = np.empty_like(out)
    for (a, b), weight in np.ndenumerate(kernel):
        if abs(weight) > np.finfo(np.float64).eps:
            np.multiply(padded[a : a + H, b : b + W], weight, out=term)
            out += term
    return out
