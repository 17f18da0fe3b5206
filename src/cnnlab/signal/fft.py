"""The FFT method: the convolution theorem on zero-padded arrays of a fast length.

The discrete Fourier transform turns circular convolution into a product. Padding both
arrays with zeros to a length ``L`` makes the circular convolution equal the linear one
at every index whose wrapped-around partners fall outside the full result; for the box a
mode keeps (see ``_modes``) that needs only ``L >= start + length`` and
``L >= full - start`` on every axis, which for 'valid' mode is just the larger input. ``L``
is then rounded up to a 5-smooth number (``2**i 3**j 5**k``), where FFTs are fastest.
Real input uses the real transforms ``rfftn``/``irfftn``, which do half the work.
"""

from __future__ import annotations

import numpy as np

from ._modes import Window


def next_fast_len(n: int) -> int:
    """The smallest 5-smooth number (``2**i * 3**j * 5**k``) that is at least ``n``.

    >>> [next_fast_len(n) for n in (1, 7, 97, 1000, 1025)]
    [1, 8, 100, 1000, 1080]
    """
    if n <= 6:
        return max(int(n), 1)
    best = 1 << (n - 1).bit_length()
    power_of_5 = 1
    while power_of_5 < best:
        odd_part = power_of_5
        while odd_part < best:
            quotient = -(-n // odd_part)
            best = min(best, odd_part << (quotient - 1).bit_length())
            odd_part *= 3
        power_of_5 *= 5
    return best


def fft_lengths(a_shape, v_shape, window: Window) -> list[int]:
    """Per axis, the fast transform length that gives the box of ``window`` exactly."""
    return [
        next_fast_len(max(b + n, m + k - 1 - b))
        for m, k, b, n in zip(a_shape, v_shape, window.start, window.shape, strict=True)
    ]


def convolve_fft(a: np.ndarray, v: np.ndarray, window: Window) -> np.ndarray:
    """The box ``window`` of the full convolution of ``a`` with ``v``, through the FFT.

    The result has dtype ``np.result_type(a, v)``; integer and boolean results are
    rounded to the nearest integer first, so they equal the direct method's while the
    FFT's rounding error stays below 0.5 (``choose_method`` checks a bound on it).

    >>> from cnnlab.signal._modes import output_window
    >>> a, v = np.array([1, 2, 3]), np.array([0, 1, 2])
    >>> convolve_fft(a, v, output_window(a, v, "full"))
    array([0, 1, 4, 7, 6])
    """
    dtype = np.result_type(a, v)
    # Axes on which either array has length 1 need no transform: the product broadcasts.
    axes = [ax for ax in range(a.ndim) if a.shape[ax] > 1 and v.shape[ax] > 1]
    if not axes:
        return np.multiply(a, v, dtype=dtype)[window.slices].copy()
    work = np.float64 if dtype.kind in "biu" else np.float32 if dtype == np.float16 else dtype
    a, v = a.astype(work, copy=False), v.astype(work, copy=False)
    lengths = [fft_lengths(a.shape, v.shape, window)[ax] for ax in axes]
    if np.iscomplexobj(a) or np.iscomplexobj(v):
        forward, inverse = np.fft.fftn, np.fft.ifftn
    else:
        forward, inverse = np.fft.rfftn, np.fft.irfftn
    spectrum = forward(a, s=lengths, axes=axes) * forward(v, s=lengths, axes=axes)
    box = inverse(spectrum, s=lengths, axes=axes)[window.slices]
    if dtype.kind in "iu":
        # Through int64, so that sums too large for a narrow type wrap as in the direct sum.
        return np.rint(box).astype(np.int64).astype(dtype)
    return (np.rint(box) if dtype == np.bool_ else box).astype(dtype)
