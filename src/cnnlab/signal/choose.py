"""Choosing between the direct and the FFT method from an estimate of their running times.

The direct method costs one pass over the output per entry of the smaller array, about
``min(a.size, v.size) * out.size`` multiply-adds; the FFT method costs three transforms of
the padded size ``L``, about ``3 L log2 L``. The constants turn both counts into seconds;
they were measured with NumPy 2.4 on the project's 2-core development machine, and only
their ratio matters. The direct passes are memory-bound, so they scale with the itemsize.
"""

from __future__ import annotations

import math

import numpy as np

from ._modes import Window, check_inputs
from .fft import fft_lengths

DIRECT_PASS_SECONDS = 5e-6  # Python overhead of one pass of the N-D loop
DIRECT_BYTE_SECONDS = 2.5e-10  # one multiply-add of one output element, per byte of it
DIRECT_1D_MAC_SECONDS = 1.5e-10  # one multiply-add inside np.convolve
COMPLEX_DIRECT_FACTOR = 1.5  # beyond the itemsize: four real products per complex one
FFT_CALL_SECONDS = 3e-5  # overhead of the three transform calls
FFT_ELEMENT_SECONDS = 3.5e-10  # per element and per log2 of the transform length
COMPLEX_FFT_FACTOR = 2.0  # fftn instead of rfftn; NumPy's float32 FFT is no faster
# Integer sums must come out of the FFT within 0.5 of the exact value to round correctly.
INTEGER_ERROR_LIMIT = 0.05


def estimate_seconds(
    a_shape: tuple[int, ...], v_shape: tuple[int, ...], window: Window, dtype=np.float64
) -> tuple[float, float]:
    """Estimated running times ``(direct, fft)`` in seconds; ``window`` is the output box.

    >>> from cnnlab.signal._modes import output_window
    >>> a, v = np.zeros((512, 512)), np.zeros((3, 3))
    >>> direct, fft = estimate_seconds(a.shape, v.shape, output_window(a, v, "same"))
    >>> bool(direct < fft)
    True
    """
    dtype = np.dtype(dtype)
    a_size, v_size = math.prod(a_shape), math.prod(v_shape)
    if len(a_shape) == 1:
        (m,), (n,) = a_shape, v_shape
        macs = m * n if window.start[0] < min(m, n) - 1 else (abs(m - n) + 1) * min(m, n)
        direct = DIRECT_1D_MAC_SECONDS * macs
    else:
        big = a_shape if a_size >= v_size else v_shape
        touched = math.prod(min(b, w) for b, w in zip(big, window.shape, strict=True))
        pass_seconds = DIRECT_PASS_SECONDS + DIRECT_BYTE_SECONDS * dtype.itemsize * touched
        direct = min(a_size, v_size) * pass_seconds
    lengths = fft_lengths(a_shape, v_shape, window)
    transformed = [m > 1 and n > 1 for m, n in zip(a_shape, v_shape, strict=True)]
    elements = math.prod(
        L if t else max(m, n)
        for L, t, m, n in zip(lengths, transformed, a_shape, v_shape, strict=True)
    )
    transform_size = math.prod(L for L, t in zip(lengths, transformed, strict=True) if t)
    fft = FFT_CALL_SECONDS + 3 * FFT_ELEMENT_SECONDS * elements * math.log2(max(transform_size, 2))
    if dtype.kind == "c":
        direct, fft = direct * COMPLEX_DIRECT_FACTOR, fft * COMPLEX_FFT_FACTOR
    return direct, fft


def choose_method(a, v, mode: str = "full") -> str:
    """The faster method, ``"direct"`` or ``"fft"``, for ``convolve(a, v, mode)``.

    The FFT is chosen when its estimated time is lower, except for booleans, for integers
    whose sums could be too large to round back exactly, and for input holding NaN or Inf
    (the FFT would spread them over the whole output; the direct sum keeps them local).

    Parameters
    ----------
    a, v : array_like
        The two inputs, with the same number of dimensions.
    mode : {"full", "same", "valid"}
        The output size, as in `convolve`.

    Returns
    -------
    str
        ``"direct"`` or ``"fft"``.

    Examples
    --------
    >>> image = np.ones((512, 512))
    >>> choose_method(image, np.ones((3, 3)), "same"), choose_method(image, np.ones((31, 31)))
    ('direct', 'fft')
    """
    a, v, window = check_inputs(a, v, mode)
    return choose_for_window(a, v, window)


def choose_for_window(a: np.ndarray, v: np.ndarray, window: Window) -> str:
    dtype = np.result_type(a, v)
    direct, fft = estimate_seconds(a.shape, v.shape, window, dtype)
    if direct <= fft:
        return "direct"
    kind = dtype.kind
    if kind == "b":
        return "direct"
    if kind in "iu" and _integer_fft_error(a, v) > INTEGER_ERROR_LIMIT:
        return "direct"
    if kind in "fc" and not (np.isfinite(a).all() and np.isfinite(v).all()):
        return "direct"
    return "fft"


def _integer_fft_error(a: np.ndarray, v: np.ndarray) -> float:
    """A bound on the FFT's rounding error for integers: ``eps log2(L) |a|_2 |v|_2``, times 8."""
    norms = [math.sqrt(x.size) * float(np.max(np.abs(x.astype(np.float64)))) for x in (a, v)]
    return float(np.finfo(np.float64).eps) * math.log2(a.size + v.size) * 8 * norms[0] * norms[1]
