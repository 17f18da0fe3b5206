"""The direct method: the convolution sum itself, evaluated with whole-array operations.

For arrays of two or more dimensions, the loop runs over the entries ``v[k]`` of the
smaller array (convolution is symmetric in its arguments) and adds ``v[k]`` times the
shifted larger array into the output: ``out[i] += v[k] * a[i - k]``. Each pass is one
multiply and one add over the whole output, so the cost is about ``v.size`` passes over
the output, fast for the small kernels of image filtering. One-dimensional arrays go to
``np.convolve``, whose compiled loop does the same sum.
"""

from __future__ import annotations

import numpy as np

from ._modes import Window


def convolve_direct(a: np.ndarray, v: np.ndarray, window: Window) -> np.ndarray:
    """The box ``window`` of the full convolution of ``a`` with ``v``, summed directly.

    ``a`` and ``v`` have the same number of dimensions (at least one). The result has
    ``window.shape`` and dtype ``np.result_type(a, v)``: integers stay integers (and wrap
    on overflow as NumPy integers do), booleans give the OR of ANDs.

    >>> from cnnlab.signal._modes import output_window
    >>> a, v = np.array([[1, 2], [3, 4]]), np.array([[1, -1]])
    >>> convolve_direct(a, v, output_window(a, v, "full"))
    array([[ 1,  1, -2],
           [ 3,  1, -4]])
    """
    dtype = np.result_type(a, v)
    a, v = a.astype(dtype, copy=False), v.astype(dtype, copy=False)
    if a.ndim == 1:
        return _convolve_1d(a, v, window)
    if v.size > a.size:
        a, v = v, a
    out = np.zeros(window.shape, dtype)
    product = np.empty(window.shape, dtype)
    # Entry k of v adds v[k] * a[i - (k - start)] to out[i] wherever that index is inside a.
    shifts = np.indices(v.shape).reshape(v.ndim, -1).T - window.start  # (v.size, ndim)
    lows = np.maximum(shifts, 0)
    highs = np.minimum(shifts + a.shape, window.shape)
    overlapping = np.all(lows < highs, axis=1)
    for weight, low, high, shift in zip(
        v.reshape(-1)[overlapping],
        lows[overlapping].tolist(),
        highs[overlapping].tolist(),
        shifts[overlapping].tolist(),
        strict=True,
    ):
        target = out[tuple(slice(l, h) for l, h in zip(low, high, strict=True))]
        source = a[tuple(slice(l - s, h - s) for l, h, s in zip(low, high, shift, strict=True))]
        term = product[tuple(slice(0, h - l) for l, h in zip(low, high, strict=True))]
        np.multiply(source, weight, out=term)
        np.add(target, term, out=target)
    return out


def _convolve_1d(a: np.ndarray, v: np.ndarray, window: Window) -> np.ndarray:
    (start,), (length,) = window
    first_valid = min(a.size, v.size) - 1
    # np.convolve's own "valid" box is [first_valid, max size); it skips the partial overlaps.
    if start >= first_valid and start + length <= max(a.size, v.size):
        offset = start - first_valid
        return np.convolve(a, v, "valid")[offset : offset + length]
    return np.convolve(a, v, "full")[start : start + length]
