"""Where the output of each mode sits inside the full convolution.

The full discrete convolution of arrays of shapes ``s1`` and ``s2`` has shape
``s1 + s2 - 1`` on every axis. The three modes of ``scipy.signal.convolve`` keep a box of it:

- ``full``: all of it;
- ``same``: the shape of the first array, starting at ``(s2 - 1) // 2`` (so for an even
  kernel, one more point is cut from the end than from the start);
- ``valid``: only the points where one array covers the other completely, shape
  ``|s1 - s2| + 1``, starting at ``min(s1, s2) - 1``; one array must then be at least as
  large as the other in every dimension.

Both methods compute exactly this box, so the geometry, and the checks of the inputs
that go with it, live here once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import (
    check_array,
    check_choice,
    check_nested_shapes,
    check_not_empty,
    check_same_ndim,
)

MODES = ("full", "same", "valid")
METHODS = ("auto", "direct", "fft")


class Window(NamedTuple):
    """A box of the full convolution: its first index and its length on every axis."""

    start: tuple[int, ...]
    shape: tuple[int, ...]

    @property
    def slices(self) -> tuple[slice, ...]:
        """The box as slices into the full convolution (or any array that contains it)."""
        return tuple(slice(b, b + n) for b, n in zip(self.start, self.shape, strict=True))


def output_window(a: np.ndarray, v: np.ndarray, mode: str) -> Window:
    """The box of the full convolution of ``a`` with ``v`` that ``mode`` keeps.

    >>> output_window(np.zeros(8), np.zeros(4), "same")
    Window(start=(1,), shape=(8,))
    >>> output_window(np.zeros(8), np.zeros(4), "valid")
    Window(start=(3,), shape=(5,))
    """
    pairs = list(zip(a.shape, v.shape, strict=True))
    if mode == "full":
        return Window(tuple(0 for _ in pairs), tuple(m + n - 1 for m, n in pairs))
    if mode == "same":
        return Window(tuple((n - 1) // 2 for _, n in pairs), a.shape)
    check_nested_shapes("a", a, "v", v, context=" in 'valid' mode")
    return Window(tuple(min(m, n) - 1 for m, n in pairs), tuple(abs(m - n) + 1 for m, n in pairs))


def check_inputs(a, v, mode: str) -> tuple[np.ndarray, np.ndarray, Window]:
    """Check the arguments of ``convolve`` and ``correlate``; return the arrays and the box.

    >>> check_inputs([1, 2, 3], [[1]], "full")
    Traceback (most recent call last):
    ...
    ValueError: `a` and `v` must have the same number of dimensions. Received: a with shape (3,),
    v with shape (1, 1).
    """
    mode = check_choice("mode", mode, MODES)
    a, v = check_array("a", a), check_array("v", v)
    check_same_ndim("a", a, "v", v)
    check_not_empty("a", a)
    check_not_empty("v", v)
    return a, v, output_window(a, v, mode)
