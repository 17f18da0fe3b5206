"""What a filter will cost, estimated before it runs: memory and time.

A filter's cost grows with its window: a Gaussian of ``sigma=1e6`` has 8 million taps
and pads the image by 4 million pixels on every side, a median over 1001x1001 windows
sorts a million values per pixel. `filter_cost` says so before anything is allocated,
so that a caller (``cnnlab filter``) can refuse with the numbers instead of running out
of memory or running for hours.

The times use the measured constants of the direct sums (``_direct.SECONDS_PER_TERM``),
the FFT plan (``_fft.plan``) and ``SORT_SECONDS`` for the median's sorting, from our
2-core development machine; the memory counts the padded planes and the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_int_tuple, check_positive_float, check_shape
from . import _direct, _fft
from ._image import result_dtype, work_dtype
from .by_name import FILTERS, GRADIENT_OPERATORS
from .kernels import kernel

# A long kernel's band matrices outgrow the caches: each term then costs more, up to a
# memory-bound limit (measured: 2.4e-10 s at 10^4 taps, 1e-9 s at 10^5).
LONG_KERNEL_SECONDS_PER_TAP = 2e-14
MAX_SECONDS_PER_TERM = 2e-9
SORT_SECONDS = 2e-9  # per value and per log2 of the window's size, sorting the windows
MAX_TAPS = 2**62  # beyond any memory: estimates stop growing here, and stay finite
SCRATCH_BYTES = 2 << 20  # reused blocks: the median's rows of windows, the sums' stacks
NETWORK_TERMS = 20  # min/max operations per pixel of the 3x3 median network


@dataclass(frozen=True)
class Cost:
    """Estimated peak memory (bytes, beyond the image itself) and running time (seconds)."""

    nbytes: int
    seconds: float


def filter_cost(
    name: str,
    image_shape: tuple[int, ...],
    dtype=np.float32,
    *,
    size: int | tuple[int, int] = 3,
    sigma: float = 1.0,
    truncate: float = 4.0,
    kernel_shape: tuple[int, int] | None = None,
) -> Cost:
    """The cost of ``apply(image, name, ...)`` (or, with ``kernel_shape``, of `convolve`).

    Parameters
    ----------
    name : str
        A filter of `FILTERS`; ignored when ``kernel_shape`` is given.
    image_shape : tuple of int
        ``(H, W)`` or ``(H, W, C)``.
    dtype : dtype
        The image's dtype.
    size, sigma, truncate : as in `mean`, `median` and `gaussian`
    kernel_shape : (int, int), optional
        The shape of a custom kernel.

    Returns
    -------
    Cost

    Examples
    --------
    >>> cost = filter_cost("gaussian", (480, 640), sigma=1e6)
    >>> round(cost.nbytes / 2**30)  # GiB: the image padded by 4 million rows, then columns
    34
    >>> filter_cost("median", (480, 640), size=1001).seconds > 3600
    True
    """
    shape = check_shape("image_shape", image_shape)
    H, W = shape[0], shape[1] if len(shape) > 1 else 1
    planes = shape[2] if len(shape) > 2 else 1
    work = work_dtype(np.dtype(dtype))
    result_bytes = H * W * planes * result_dtype(np.dtype(dtype)).itemsize
    if kernel_shape is not None:
        kh, kw = check_int_tuple("kernel_shape", kernel_shape, 2)
        plane = _kernel_cost(H, W, kh, kw, work)
    else:
        name = check_choice("name", name, FILTERS)
        if name == "gaussian":
            radius = truncate * check_positive_float("sigma", sigma) + 0.5
            taps = 2 * int(min(radius, MAX_TAPS)) + 1  # a huge sigma's radius may overflow
            plane = _separable_cost(H, W, taps, taps, work)
        elif name == "mean":
            rows, columns = (min(n, MAX_TAPS) for n in check_int_tuple("size", size, 2))
            plane = _separable_cost(H, W, rows, columns, work)
        elif name == "median":
            rows, columns = (min(n, MAX_TAPS) for n in check_int_tuple("size", size, 2))
            plane = _median_cost(H, W, rows, columns, work)
        elif name in GRADIENT_OPERATORS:
            once = _kernel_cost(H, W, 3, 3, work)
            plane = Cost(2 * once.nbytes, 2 * once.seconds)
        else:
            plane = _kernel_cost(H, W, *kernel(name).shape, work)
    return Cost(plane.nbytes + result_bytes + SCRATCH_BYTES, planes * plane.seconds)


def _separable_cost(H: int, W: int, kh: int, kw: int, work: np.dtype) -> Cost:
    """Two 1-D passes, each over the plane padded along its own axis."""
    padded = (H + kh - 1) * W + H * (W + kw - 1)
    band = _direct.ROWS * (_direct.ROWS + max(kh, kw) - 1)
    # Each pass: a band-matrix row of ``taps + ROWS - 1`` terms per output sample.
    seconds = sum(H * W * (taps + _direct.ROWS - 1) * _seconds_per_term(taps) for taps in (kh, kw))
    return Cost((padded + 2 * H * W + band) * work.itemsize, seconds)


def _kernel_cost(H: int, W: int, kh: int, kw: int, work: np.dtype) -> Cost:
    """A 2-D kernel: the direct sum or the FFT, whichever `correlate` would pick."""
    padded = (H + kh - 1) * (W + kw - 1)
    direct = _direct.seconds((H, W), (kh, kw))
    fft = _fft.plan((H + kh - 1, W + kw - 1), (kh, kw))[1]
    # The FFT holds the padded plane, its spectrum (complex) and the kernel's.
    return Cost((4 * padded + H * W) * work.itemsize, min(direct, fft))


def _median_cost(H: int, W: int, kh: int, kw: int, work: np.dtype) -> Cost:
    """The padded plane and at least one row of windows, copied side by side and sorted."""
    n = kh * kw
    padded = (H + kh - 1) * (W + kw - 1)
    windows = W * n
    if (kh, kw) == (3, 3):
        seconds = H * W * NETWORK_TERMS * _direct.SECONDS_PER_TERM
    else:
        seconds = H * W * n * math.log2(max(n, 2)) * SORT_SECONDS
    return Cost((padded + windows + H * W) * work.itemsize, seconds)


def _seconds_per_term(taps: int) -> float:
    per_term = _direct.SECONDS_PER_TERM + LONG_KERNEL_SECONDS_PER_TAP * taps
    return min(per_term, MAX_SECONDS_PER_TERM)
