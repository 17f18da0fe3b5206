"""Boundary modes: how an image is extended past its edges before filtering.

The five modes and their names are those of ``scipy.ndimage``. Shown on one row
``a b c d`` padded by three samples on each side:

========  ===========================  =============================================
mode      padded row                   also known as
========  ===========================  =============================================
reflect   ``c b a | a b c d | d c b``  half-sample symmetric, ``np.pad`` 'symmetric'
mirror    ``d c b | a b c d | c b a``  whole-sample symmetric, ``np.pad`` 'reflect'
nearest   ``a a a | a b c d | d d d``  edge, ``np.pad`` 'edge'
wrap      ``b c d | a b c d | a b c``  periodic, ``np.pad`` 'wrap'
constant  ``k k k | a b c d | k k k``  the constant ``cval``
========  ===========================  =============================================

A pad wider than the row keeps going with the same rule (reflect and mirror are periodic
with period ``2n`` and ``2n - 2``), exactly as ``scipy.ndimage`` does for long kernels.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_choice

MODES = ("reflect", "constant", "nearest", "mirror", "wrap")


def source_indices(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """Which sample of a length-``n`` row each position of the padded row copies.

    Parameters
    ----------
    n : int
        Length of the row (at least 1).
    before, after : int
        Number of samples added on each side.
    mode : str
        One of ``MODES`` other than 'constant'.

    Returns
    -------
    ndarray of int, shape (before + n + after,)

    Examples
    --------
    >>> source_indices(4, 3, 3, "reflect")
    array([2, 1, 0, 0, 1, 2, 3, 3, 2, 1])
    >>> source_indices(4, 3, 3, "mirror")
    array([3, 2, 1, 0, 1, 2, 3, 2, 1, 0])
    """
    position = np.arange(-before, n + after)
    if mode == "nearest":
        return np.clip(position, 0, n - 1)
    if mode == "wrap":
        return position % n
    if mode == "reflect":
        folded = position % (2 * n)
        return np.where(folded < n, folded, 2 * n - 1 - folded)
    if mode == "mirror":
        if n == 1:
            return np.zeros_like(position)
        folded = position % (2 * n - 2)
        return np.where(folded < n, folded, 2 * n - 2 - folded)
    raise ValueError(f"no source indices for mode {mode!r}")  # callers check the mode


def pad(
    plane: np.ndarray,
    widths: tuple[tuple[int, int], tuple[int, int]],
    mode: str = "reflect",
    cval: float = 0.0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Extend a 2-D array past its edges, like ``np.pad`` with scipy's mode names.

    Parameters
    ----------
    plane : ndarray, shape (H, W)
        A non-empty array.
    widths : ((top, bottom), (left, right))
        Samples to add on each side.
    mode : str
        One of ``MODES``; see the module docstring.
    cval : float
        The fill value of mode 'constant'.
    out : ndarray, shape (top + H + bottom, left + W + right), optional
        Where to write the result (for instance a window of a larger FFT buffer).

    Returns
    -------
    ndarray, shape (top + H + bottom, left + W + right)

    Examples
    --------
    >>> pad(np.array([[1, 2, 3]]), ((0, 0), (2, 2)), "reflect")
    array([[2, 1, 1, 2, 3, 3, 2]])
    >>> pad(np.array([[1, 2, 3]]), ((1, 0), (1, 1)), "constant", cval=9)
    array([[9, 9, 9, 9, 9],
           [9, 1, 2, 3, 9]])
    """
    check_choice("mode", mode, MODES)
    (top, bottom), (left, right) = widths
    H, W = plane.shape
    shape = (top + H + bottom, left + W + right)
    if out is None:
        out = np.empty(shape, dtype=plane.dtype)
    out[top : top + H, left : left + W] = plane
    if mode == "constant":
        out[:top] = cval
        out[top + H :] = cval
        out[:, :left] = cval
        out[:, left + W :] = cval
        return out
    rows = source_indices(H, top, bottom, mode)
    out[:top, left : left + W] = plane[rows[:top]]
    out[top + H :, left : left + W] = plane[rows[top + H :]]
    # Columns are copied from the already padded rows, so the corners follow both rules.
    columns = left + source_indices(W, left, right, mode)
    out[:, :left] = out[:, columns[:left]]
    out[:, left + W :] = out[:, columns[left + W :]]
    return out
