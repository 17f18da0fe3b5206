"""``convolve`` and ``correlate``: discrete convolution of N-D arrays, as in SciPy.

Correlation is convolution with the kernel reversed on every axis and conjugated, so both
functions share one path: check the input, find the output box (see ``_modes``), pick a
method (see ``choose``), and run it (``direct`` or ``fft``).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_choice
from ._modes import METHODS, Window, check_inputs
from .choose import choose_for_window
from .direct import convolve_direct
from .fft import convolve_fft


def convolve(a, v, mode: str = "full", method: str = "auto") -> np.ndarray:
    """Convolve two N-dimensional arrays: ``out[i] = sum_k a[k] v[i - k]``.

    The result equals ``scipy.signal.convolve(a, v, mode, method)``: the same shape, the
    same dtype (``np.result_type(a, v)``; integer input gives integers), and the same
    values up to floating-point rounding.

    Parameters
    ----------
    a : array_like
        The first input, e.g. a signal or an image.
    v : array_like
        The second input, e.g. a kernel; it has as many dimensions as ``a``, and may be
        larger than ``a``.
    mode : {"full", "same", "valid"}
        The output size. ``"full"``: every point where the inputs overlap, shape
        ``a.shape + v.shape - 1``. ``"same"``: shape ``a.shape``, centred on the full
        output (for an even kernel, one more point is cut from the end than the start). ``"valid"``:
        only where one input covers the other completely, shape
        ``|a.shape - v.shape| + 1``; one input must be at least as large as the other in
        every dimension.
    method : {"auto", "direct", "fft"}
        ``"direct"`` sums the products; ``"fft"`` multiplies zero-padded Fourier
        transforms; ``"auto"`` picks the one estimated to be faster, and for small
        inputs the one SciPy picks (see `choose_method`). Both give the same result to
        rounding; the direct sum of integers, or of floats holding integers, is exact.

    Returns
    -------
    numpy.ndarray
        The convolution, of the shape given by ``mode``.

    Examples
    --------
    >>> convolve([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> convolve([1, 2, 3], [0, 1, 0.5], mode="same")
    array([1. , 2.5, 4. ])
    >>> convolve(np.eye(3, dtype=int), [[1, 2]], mode="valid")
    array([[2, 0],
           [1, 2],
           [0, 1]])
    """
    a, v, window = check_inputs(a, v, mode)
    return _run(a, v, mode, window, method)


def correlate(a, v, mode: str = "full", method: str = "auto") -> np.ndarray:
    """Cross-correlate two N-dimensional arrays: ``out[i] = sum_k a[k + i] conj(v[k])``.

    This is `convolve` with ``v`` reversed on every axis and conjugated, and it equals
    ``scipy.signal.correlate(a, v, mode, method)``. The index ``i`` of the full output
    runs over the lags from ``-(v.shape - 1)`` to ``a.shape - 1``; ``mode`` and
    ``method`` keep the same part of it and work the same way as in `convolve`.

    Parameters
    ----------
    a : array_like
        The first input, e.g. a signal or an image.
    v : array_like
        The template slid over ``a``, with as many dimensions as ``a``.
    mode : {"full", "same", "valid"}
        The output size, as in `convolve`.
    method : {"auto", "direct", "fft"}
        The method, as in `convolve`.

    Returns
    -------
    numpy.ndarray
        The cross-correlation, of the shape given by ``mode``.

    Examples
    --------
    The correlation of a signal with a shifted copy peaks at the shift:

    >>> signal = np.array([0.0, 1.0, 3.0, 1.0, 0.0, 0.0])
    >>> lags = np.arange(-5, 6)
    >>> int(lags[np.argmax(correlate(np.roll(signal, 2), signal))])
    2
    >>> correlate([1, 2, 3], [1j, 1])
    array([1.+0.j, 2.-1.j, 3.-2.j, 0.-3.j])
    """
    a, v, window = check_inputs(a, v, mode)
    reversed_v = v[(slice(None, None, -1),) * v.ndim]
    reversed_v = np.conj(reversed_v) if np.iscomplexobj(v) else reversed_v
    return _run(a, reversed_v, mode, window, method)


def _run(a: np.ndarray, v: np.ndarray, mode: str, window: Window, method: str) -> np.ndarray:
    method = check_choice("method", method, METHODS)
    if a.ndim == 0:
        return np.multiply(a, v)
    if method == "auto":
        method = choose_for_window(a, v, mode, window)
    return (convolve_fft if method == "fft" else convolve_direct)(a, v, window)
