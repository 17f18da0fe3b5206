"""``ceil_mode=True`` for pooling: the last window may hang over the input's end.

PyTorch's output length with ``ceil_mode`` rounds up instead of down::

    out = ceil((L + 2 p - d (k - 1) - 1) / s) + 1,   less one if the last window would
                                                     start past the input and its padding

so the last window may reach beyond the padded input. It is computed here by padding the
input's end by just enough (``-inf`` for max pooling, 0 for average pooling) and pooling
as usual; backward crops that end off again. An average divides, as torch's does, by
the part of the window inside the padded input (``count_include_pad=True``) or inside
the input itself (``False``), so the hanging part never counts.
"""

from __future__ import annotations

import math

import numpy as np

from ..functional.pooling import PoolWindow


def end_padding(window: PoolWindow, spatial_shape: tuple[int, ...]) -> tuple[int, ...]:
    """How many elements to add after each axis's end for ``ceil_mode`` (0 where none).

    >>> end_padding(PoolWindow.create(2, 3, 2), (8, 7))
    (1, 0)
    """
    extra = []
    geometry = (window.kernel_size, window.stride, window.padding, window.dilation)
    for n, k, s, p, d in zip(spatial_shape, *geometry, strict=True):
        span = d * (k - 1) + 1
        out = max(math.ceil((n + 2 * p - span) / s), 0) + 1
        if (out - 1) * s >= n + p:  # a window must start inside the input or its padding
            out -= 1
        extra.append(max((out - 1) * s + span - (n + 2 * p), 0))
    return tuple(extra)


def pad_end(x: np.ndarray, extra: tuple[int, ...], value: float) -> np.ndarray:
    if not any(extra):
        return x
    widths = [(0, 0)] * (x.ndim - len(extra)) + [(0, e) for e in extra]
    return np.pad(x, widths, constant_values=value)


def crop_end(grad: np.ndarray, extra: tuple[int, ...]) -> np.ndarray:
    if not any(extra):
        return grad
    return grad[
        (
            Ellipsis,
            *(slice(0, n - e) for n, e in zip(grad.shape[-len(extra) :], extra, strict=True)),
        )
    ]


def average_rescale(
    window: PoolWindow, spatial_shape, extra, count_include_pad: bool, dtype
) -> np.ndarray:
    """``k_1 * k_2 / count`` per window: turns a mean over whole windows into torch's.

    ``count`` is each window's number of elements inside the padded input (or the input,
    without ``count_include_pad``); ``(*out_spatial)``.
    """
    ones = window.pad(np.ones((1, 1, *spatial_shape), dtype=dtype), 1 if count_include_pad else 0)
    padded = pad_end(ones, extra, 0)
    bare = PoolWindow(window.kernel_size, window.stride, (0,) * len(extra), window.dilation)
    slices = bare.offsets(bare.output_shape(padded.shape[2:]))
    count = sum(padded[index] for index in slices)[0, 0]
    return (int(np.prod(window.kernel_size)) / count).astype(dtype)
