"""Choosing between the direct and the FFT method from an estimate of their running times.

Small problems are decided as ``scipy.signal.choose_conv_method`` decides them (its
operation counts and constants, copied below from SciPy 1.17's ``_conv_ops`` and
``_fftconv_faster``): SciPy gives the direct sum a head start of 0.1 ms (1 ms in 1-D),
so tiny inputs are summed exactly instead of carrying the FFT's rounding, and the two
libraries return the same values. Beyond ``SMALL_SECONDS`` of SciPy's estimated direct
time, cnnlab's own model below decides, because its N-D direct sum is a loop of NumPy
passes with costs unlike SciPy's compiled loop.

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
# SciPy decides wherever its estimate of the direct time is below this.
SMALL_SECONDS = 1e-3
# SciPy's (fft, direct, offset) seconds per operation, by mode, for 1-D and for N-D input.
SCIPY_1D = {
    "valid": (1.89095737e-9, 2.1364985e-10, -1e-3),
    "full": (1.7649070e-9, 2.1414831e-10, -1e-3),
    "same": (3.2646654e-9, 2.8478277e-10, -1e-3),
}
SCIPY_1D_SAME_LONG_KERNEL = (3.21635404e-9, 1.1773253e-8, -1e-5)
SCIPY_ND = {
    "valid": (1.85927e-9, 2.11242e-8, -1e-4),
    "full": (1.99817e-9, 1.66174e-8, -1e-4),
    "same": (2.04735e-9, 1.55367e-8, -1e-4),
}


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


def scipy_seconds(
    a_shape: tuple[int, ...], v_shape: tuple[int, ...], mode: str
) -> tuple[float, float]:
    """SciPy's estimated times ``(direct, fft)`` of ``convolve(a, v, mode)``, in seconds.

    SciPy picks the FFT exactly when ``fft < direct``; the direct time includes SciPy's
    head start (a negative offset). In 'valid' mode SciPy first puts the larger input first.

    >>> direct, fft = scipy_seconds((1, 2, 2), (1, 4, 4), "same")
    >>> bool(direct < fft)
    True
    """
    if mode == "valid" and math.prod(v_shape) > math.prod(a_shape):
        a_shape, v_shape = v_shape, a_shape
    a_size, v_size = math.prod(a_shape), math.prod(v_shape)
    full = [m + n - 1 for m, n in zip(a_shape, v_shape, strict=True)]
    if len(a_shape) == 1:
        (m,), (n,) = a_shape, v_shape
        if mode == "same":
            direct_ops = m * n if m < n else m * n - (n // 2) * ((n + 1) // 2)
        else:
            direct_ops = (abs(m - n) + 1) * min(m, n) if mode == "valid" else m * n
        per_fft, per_direct, offset = (
            SCIPY_1D_SAME_LONG_KERNEL if mode == "same" and n > m else SCIPY_1D[mode]
        )
    else:
        if mode == "same":
            direct_ops = a_size * v_size
        else:
            pairs = zip(a_shape, v_shape, strict=True)
            out = full if mode == "full" else [abs(m - n) + 1 for m, n in pairs]
            direct_ops = min(a_size, v_size) * math.prod(out)
        per_fft, per_direct, offset = SCIPY_ND[mode]
    n_full = math.prod(full)
    fft_ops = 3 * n_full * math.log(n_full)
    return per_direct * direct_ops + offset, per_fft * fft_ops


def choose_method(a, v, mode: str = "full") -> str:
    """The faster method, ``"direct"`` or ``"fft"``, for ``convolve(a, v, mode)``.

    Small inputs (SciPy's direct estimate below ``SMALL_SECONDS``, 1 ms) get SciPy's
    choice, so that they are summed exactly where SciPy sums them; larger ones get the
    method that cnnlab's own timing model estimates to be faster. The direct sum is kept
    for booleans, for integers whose sums could be too large to round back exactly from
    the FFT, and for input holding NaN or Inf (the FFT would spread them over the whole
    output; the direct sum keeps them local).

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
    >>> choose_method(np.ones((1, 2, 2)), np.ones((1, 4, 4)), "same")  # small: as SciPy
    'direct'
    """
    a, v, window = check_inputs(a, v, mode)
    return choose_for_window(a, v, mode, window)


def choose_for_window(a: np.ndarray, v: np.ndarray, mode: str, window: Window) -> str:
    """`choose_method` for checked arrays and the output box ``window`` of ``mode``."""
    dtype = np.result_type(a, v)
    scipy_direct, scipy_fft = scipy_seconds(a.shape, v.shape, mode)
    if scipy_direct <= SMALL_SECONDS:
        faster = "fft" if scipy_fft < scipy_direct else "direct"
    else:
        direct, fft = estimate_seconds(a.shape, v.shape, window, dtype)
        faster = "fft" if fft < direct else "direct"
    if faster == "direct" or dtype.kind == "b":
        return "direct"
    if dtype.kind in "iu" and not _integer_fft_is_exact(a, v):
        return "direct"
    if dtype.kind in "fc" and not (np.isfinite(a).all() and np.isfinite(v).all()):
        return "direct"
    return "fft"


def _integer_fft_is_exact(a: np.ndarray, v: np.ndarray) -> bool:
    """Whether the FFT's sums of integers round back to the exact integers.

    The FFT's rounding error is at most about ``eps log2(L) |a|_2 |v|_2``; eight times
    that must stay below ``INTEGER_ERROR_LIMIT``. This is stricter than SciPy's rule
    (every sum below ``2**52``), since ``|a|_2 |v|_2 >= min(a.size, v.size) max|a| max|v|``.
    """
    peaks = [max(abs(int(x.max())), abs(int(x.min()))) for x in (a, v)]
    norms = [math.sqrt(x.size) * peak for x, peak in zip((a, v), peaks, strict=True)]
    eps = float(np.finfo(np.float64).eps)
    return eps * math.log2(a.size + v.size) * 8 * norms[0] * norms[1] <= INTEGER_ERROR_LIMIT
