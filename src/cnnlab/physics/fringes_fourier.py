"""``fourier_spacing``: the classical estimate of a fringe spacing, from the power spectrum.

Straight fringes ``cos(2 pi k.x + phi)`` put a pair of peaks at ``+-k`` in the 2-D power
spectrum; their distance from the origin is ``1 / spacing``. Circular fringes of constant
spacing ``cos(2 pi r / spacing + phi)`` are a plane wave along the radius: found by their
centre of symmetry, averaged over rings into a profile ``I(r)``, and the peak of that
profile's 1-D power spectrum gives ``1 / spacing``. (The peak of the 2-D spectrum's ring
itself moves by up to a third of the spacing with the phase ``phi``, so it is not used.)
"""

from __future__ import annotations

import numpy as np

from .._validation import check_choice, check_float_array, check_interval, received
from .fringes import SPACING

#: Images transformed at once (bounds the memory of the padded spectra).
CHUNK = 256
#: Zero-padding of the 2-D spectrum of straight fringes and the 1-D spectrum of ring profiles.
PAD_2D, PAD_1D = 2, 8
#: Width of the rings, in pixels, that circular fringes are averaged over.
RING_WIDTH = 0.5


def fourier_spacing(images, kind="straight", *, spacing=SPACING) -> np.ndarray:
    """Estimate each image's fringe spacing from the peak of a power spectrum.

    Straight fringes: the image minus its window-weighted mean, times a Hann window,
    zero-padded to twice its size; the strongest point of ``|F|^2`` with ``1/hi <= |k| <=
    1/lo`` (``k`` in cycles per pixel), refined to below a frequency bin by a parabola
    through the log power along each axis, gives ``spacing = 1 / |k|``. Circular fringes:
    the centre is the peak of the image convolved with itself (at twice the centre, by the
    point symmetry), the image is averaged over rings 1/2 pixel wide about it out to half
    the image side, and the same peak search on the profile's 1-D spectrum gives ``1 / k``.

    Parameters
    ----------
    images : array, shape ``(N, 1, H, W)``
    kind : "straight", "circular", or an ``(N,)`` array of them
        The fringes' geometry: told, not guessed (the estimator is given that much).
    spacing : (lo, hi), default (4, 16)
        The spacings searched, in pixels; the estimate always lies within them.

    Returns
    -------
    ndarray, shape ``(N,)``
        Spacing in pixels, float64.

    Examples
    --------
    >>> from cnnlab.physics.fringes import make_fringes
    >>> fringes = make_fringes(4, noise=0, photons=None, rng=1)
    >>> estimate = fourier_spacing(fringes.images, fringes.kind)
    >>> bool(np.all(np.abs(estimate / fringes.spacing - 1) < 0.01))
    True
    """
    x = check_float_array("images", images, layout="(N, 1, H, W)")
    if x.shape[1] != 1:
        raise ValueError(f"`images` must have one channel, (N, 1, H, W). {received(images=x)}")
    N, _, H, W = x.shape
    kinds = np.asarray(kind)
    if kinds.ndim > 1 or (kinds.ndim == 1 and len(kinds) != N):
        raise ValueError(
            f"`kind` must be one string or one per image ({N}). Received: kind with shape "
            f"{kinds.shape}."
        )
    kinds = np.broadcast_to(kinds, (N,))
    for value in set(kinds.tolist()):
        check_choice("kind", value, ("straight", "circular"))
    lo, hi = check_interval("spacing", spacing)
    if lo <= 0:
        raise ValueError(
            f"`spacing` must be a range of positive numbers. {received(spacing=spacing)}"
        )
    band = (1 / hi, 1 / lo)
    estimate = np.empty(N)
    for start in range(0, N, CHUNK):
        part = x[start : start + CHUNK, 0].astype(np.float64)
        circular = kinds[start : start + CHUNK] == "circular"
        k = np.empty(len(part))
        if (~circular).any():
            k[~circular] = _plane_wave_frequency(part[~circular], band)
        if circular.any():
            k[circular] = _ring_frequency(part[circular], band)
        estimate[start : start + len(part)] = 1 / k
    # the refinement may step a fraction of a bin past the band's edge
    return np.clip(estimate, lo, hi)


def _plane_wave_frequency(x: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """``|k|`` of the strongest point of the 2-D power spectrum within ``band``."""
    H, W = x.shape[1:]
    window = np.outer(np.hanning(H), np.hanning(W))
    mean = (x * window).sum(axis=(1, 2), keepdims=True) / window.sum()
    shape = (PAD_2D * H, PAD_2D * W)
    log_power = np.log(np.abs(np.fft.fft2((x - mean) * window, s=shape)) ** 2 + 1e-300)
    k = np.hypot(np.fft.fftfreq(shape[0])[:, None], np.fft.fftfreq(shape[1])[None, :])
    row, col = _refined_peak(log_power, (k < band[0]) | (k > band[1]))
    # fractional indices -> signed frequencies in [-1/2, 1/2)
    fy, fx = row / shape[0], col / shape[1]
    return np.hypot(fy - np.round(fy), fx - np.round(fx))


def _ring_frequency(x: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """``1 / spacing`` of circular fringes: centre, profile over rings, 1-D spectrum peak."""
    n, H, W = x.shape
    x = x - x.mean(axis=(1, 2), keepdims=True)
    shape = (2 * H, 2 * W)  # no wrap-around in the self-convolution
    spectrum = np.fft.rfft2(x, s=shape)
    twice_row, twice_col = _refined_peak(np.fft.irfft2(spectrum * spectrum, s=shape))
    rows = np.arange(H)[None, :, None] - twice_row[:, None, None] / 2
    cols = np.arange(W)[None, None, :] - twice_col[:, None, None] / 2
    rings = int(min(H, W) / 2 / RING_WIDTH)
    ring = np.minimum((np.hypot(rows, cols) / RING_WIDTH).astype(np.int64), rings)  # rings: out
    index = (np.arange(n)[:, None, None] * (rings + 1) + ring).ravel()
    sums = np.bincount(index, weights=x.ravel(), minlength=n * (rings + 1))
    counts = np.bincount(index, minlength=n * (rings + 1))
    sums, counts = (a.reshape(n, rings + 1)[:, :rings] for a in (sums, counts))
    filled = counts > 0
    profile = sums / np.maximum(counts, 1)
    mean = profile.sum(axis=1, keepdims=True) / filled.sum(axis=1, keepdims=True)
    profile = np.where(filled, profile - mean, 0.0) * np.hanning(rings)
    length = PAD_1D * rings
    log_power = np.log(np.abs(np.fft.rfft(profile, n=length)) ** 2 + 1e-300)
    k = np.fft.rfftfreq(length, d=RING_WIDTH)
    peak = np.where((k < band[0]) | (k > band[1]), -np.inf, log_power).argmax(axis=1)
    peak = np.clip(peak, 1, len(k) - 2)
    batch = np.arange(n)
    left, centre, right = (log_power[batch, peak + d] for d in (-1, 0, 1))
    return (peak + _vertex(left, centre, right)) / (length * RING_WIDTH)


def _refined_peak(values: np.ndarray, outside: np.ndarray | None = None):
    """Fractional (row, column) of each array's maximum (``(n, R, C)``, periodic), masked."""
    n, R, C = values.shape
    search = values if outside is None else np.where(outside, -np.inf, values)
    row, col = np.divmod(search.reshape(n, -1).argmax(axis=1), C)
    batch = np.arange(n)
    centre = values[batch, row, col]
    up, down = values[batch, (row - 1) % R, col], values[batch, (row + 1) % R, col]
    left, right = values[batch, row, (col - 1) % C], values[batch, row, (col + 1) % C]
    return row + _vertex(up, centre, down), col + _vertex(left, centre, right)


def _vertex(left: np.ndarray, centre: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Offset in [-1/2, 1/2] of the vertex of the parabola through three equally spaced values."""
    curvature = left - 2 * centre + right
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = 0.5 * (left - right) / curvature
    return np.clip(np.nan_to_num(offset), -0.5, 0.5)
