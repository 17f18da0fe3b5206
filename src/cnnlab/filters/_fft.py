"""Correlation through the FFT, for kernels too large for the direct sum.

The padded plane is correlated circularly with the kernel; where the kernel never wraps
around (the 'valid' part) circular and linear correlation agree. A large plane is cut into
overlapping tiles ("overlap-save"): a tile of ``t0 x t1`` samples yields
``(t0 - kh + 1) x (t1 - kw + 1)`` outputs, the kernel's spectrum is computed once at tile
size, and the tiles go through ``numpy.fft`` in batches that stay in cache. Strips as wide
as the plane are tiles too, and a single tile is the plain FFT of the whole plane.

``norm="forward"`` on the forward transforms is not cosmetic: with the default norm,
NumPy 2.x passes the integer scale 1 to its float32 transform, which then runs its float64
loop and is about 5x slower. The scale is folded into the kernel's spectrum instead.
"""

from __future__ import annotations

import functools
import inspect
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._scratch import scratch
from .boundary import pad

TILE_SIZES = (64, 128, 256, 512)
MAX_PARTS = 8  # a side may also be cut into up to this many equal parts
BATCH_SAMPLES = 1 << 18  # samples transformed per batch of tiles: the batch stays in cache
# Time of one real 2-D transform per sample (measured on a 2-core machine, float32). Larger
# transforms fall out of cache and cost more per sample, about 25% more per doubling.
SECONDS_PER_SAMPLE = 3.3e-9
CACHED_SAMPLES = 1 << 18
TILE_SECONDS = 10e-6  # Python and copying cost of one tile
_TAKES_OUT = "out" in inspect.signature(np.fft.rfft).parameters  # NumPy >= 2.0


@functools.lru_cache(maxsize=1024)
def fast_length(n: int) -> int:
    """The smallest ``m >= n`` whose only prime factors are 2, 3 and 5.

    >>> fast_length(542), fast_length(2078)
    (576, 2160)
    """
    best = 1 << max(0, (n - 1).bit_length())  # the power of two
    power5 = 1
    while power5 < best:
        power35 = power5
        while power35 < best:
            candidate = power35
            while candidate < n:
                candidate *= 2
            best = min(best, candidate)
            power35 *= 3
        power5 *= 5
    return best


def _transform_seconds(samples: int) -> float:
    slowdown = 1 + 0.25 * max(0.0, math.log2(samples / CACHED_SAMPLES))
    return samples * SECONDS_PER_SAMPLE * slowdown


def _tile_sides(padded_side: int, k: int) -> list[int]:
    """Candidate tile sides along one axis: the plane cut in ``m`` equal parts, or a power of 2."""
    out_side = padded_side - k + 1
    parts = {fast_length(math.ceil(out_side / m) + k - 1) for m in range(1, MAX_PARTS + 1)}
    whole = fast_length(padded_side)
    return sorted(n for n in parts | set(TILE_SIZES) if n == whole or 2 * k <= n < whole)


@functools.lru_cache(maxsize=256)  # a pure function of the shapes, like an FFT plan
def plan(
    padded_shape: tuple[int, int], kernel_shape: tuple[int, int]
) -> tuple[tuple[int, int], float]:
    """Choose the tile shape for a padded plane and estimate the correlation's seconds.

    A tile side is the padded side cut into a few equal parts (one part: the plain FFT of
    the whole plane) or one of ``TILE_SIZES``, at least twice the kernel, rounded up by
    `fast_length`. Every tile costs a forward and an inverse transform, the kernel's
    spectrum half a transform.
    """
    best: tuple[tuple[int, int], float] | None = None
    for t0 in _tile_sides(padded_shape[0], kernel_shape[0]):
        for t1 in _tile_sides(padded_shape[1], kernel_shape[1]):
            tiles = math.prod(
                math.ceil((side - k + 1) / (t - k + 1))
                for side, k, t in zip(padded_shape, kernel_shape, (t0, t1), strict=True)
            )
            transform = _transform_seconds(t0 * t1)
            seconds = tiles * (2 * transform + TILE_SECONDS) + 0.5 * transform
            if best is None or seconds < best[1]:
                best = ((t0, t1), seconds)
    return best


def _spectrum(kernel: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Conjugate spectrum of ``kernel`` zero-padded to ``shape``, scaled for ``norm="forward"``.

    Only ``kh`` rows are non-zero, so the rows are transformed first and the columns are
    transformed as contiguous rows of the transpose; the result is a transposed view.
    """
    kh = kernel.shape[0]
    rows = np.fft.rfft(kernel, n=shape[1], axis=1, norm="forward")  # (kh, shape[1] // 2 + 1)
    columns = scratch("kernel_columns", (rows.shape[1], shape[0]), rows.dtype)
    columns[:, :kh] = rows.T
    columns[:, kh:] = 0
    spectrum = scratch("kernel_spectrum", columns.shape, rows.dtype)
    _into(np.fft.fft, columns, spectrum, axis=1, norm="forward")
    np.conjugate(spectrum, out=spectrum)
    spectrum *= kernel.dtype.type(float(shape[0] * shape[1]) ** 2)  # undo both 1 / size
    return spectrum.T


def correlate_fft(plane, kernel, widths, mode, cval, tile: tuple[int, int]) -> np.ndarray:
    """Pad ``plane`` by ``widths`` and correlate it with ``kernel`` by FFT (valid part).

    ``tile`` is a tile shape from `plan`; tiles overlap by the kernel's size minus one.
    Every temporary is a scratch buffer: only the result is a fresh array.
    """
    kh, kw = kernel.shape
    H, W = plane.shape
    (t0, t1), step0, step1 = tile, tile[0] - kh + 1, tile[1] - kw + 1
    n0, n1 = math.ceil(H / step0), math.ceil(W / step1)
    buffer = _padded_buffer(plane, widths, mode, cval, (n0 * step0 + kh - 1, n1 * step1 + kw - 1))
    s0, s1 = buffer.strides
    tiles = as_strided(buffer, (n0, n1, t0, t1), (step0 * s0, step1 * s1, s0, s1))
    kernel_spectrum = _spectrum(kernel, tile)
    per_batch = min(n1, max(1, BATCH_SAMPLES // (t0 * t1)))
    complex_dtype = np.result_type(plane.dtype, np.complex64)
    samples = scratch("fft_samples", (per_batch, t0, t1), plane.dtype)
    spectra = [
        scratch(f"fft_spectrum{i}", (per_batch, t0, t1 // 2 + 1), complex_dtype) for i in (0, 1)
    ]
    out = np.empty((H, W), dtype=plane.dtype)
    for i in range(n0):
        rows = min(step0, H - i * step0)  # outputs this row of tiles yields
        filled = min(t0, H + kh - 1 - i * step0)  # rows of the tiles holding the padded plane
        for j in range(0, n1, per_batch):
            n = min(n1, j + per_batch) - j
            x, a, b = samples[:n], spectra[0][:n], spectra[1][:n]
            np.copyto(x[:, :filled], tiles[i, j : j + n, :filled])  # strided tiles are slower
            _into(np.fft.rfft, x[:, :filled], a[:, :filled], axis=-1, norm="forward")
            a[:, filled:] = 0
            _into(np.fft.fft, a, b, axis=-2, norm="forward")
            b *= kernel_spectrum
            _into(np.fft.ifft, b, a, axis=-2)
            _into(np.fft.irfft, a[:, :rows], x[:, :rows], n=t1, axis=-1)
            _place(out, x[:, :rows, :step1], i * step0, j * step1)
    return out


def _place(out: np.ndarray, valid: np.ndarray, r0: int, c0: int) -> None:
    """Write the valid parts of a row of tiles, ``(n, rows, step)``, side by side into ``out``."""
    n, rows, step = valid.shape
    whole = min(n, (out.shape[1] - c0) // step)  # tiles that fit entirely
    target = out[r0 : r0 + rows, c0 : c0 + whole * step].reshape(rows, whole, step)
    target[...] = valid[:whole].transpose(1, 0, 2)
    if whole < n:
        rest = out.shape[1] - c0 - whole * step
        out[r0 : r0 + rows, c0 + whole * step :] = valid[whole, :, :rest]


def _into(transform, a: np.ndarray, out: np.ndarray, **kwargs) -> np.ndarray:
    """``transform(a, **kwargs)`` written into ``out`` (directly on NumPy 2, copied before)."""
    if _TAKES_OUT:
        return transform(a, out=out, **kwargs)
    out[...] = transform(a, **kwargs)
    return out


def _padded_buffer(plane, widths, mode, cval, shape) -> np.ndarray:
    """A zero array of ``shape`` whose top-left corner holds the padded plane."""
    (top, bottom), (left, right) = widths
    Hp, Wp = top + plane.shape[0] + bottom, left + plane.shape[1] + right
    buffer = scratch("fft", shape, plane.dtype)
    buffer[Hp:] = 0
    buffer[:Hp, Wp:] = 0
    pad(plane, widths, mode, cval, out=buffer[:Hp, :Wp])
    return buffer
