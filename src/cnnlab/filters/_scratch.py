"""Scratch arrays kept between calls, one set per thread.

Touching a freshly allocated array of a megabyte or so is slow: the kernel maps and zeroes
it one 4 KiB page at a time, which for a 512x512 float32 image costs more than filtering it
(about 0.8 ms against 0.4 ms on our 2-core VM). The padded image and the other temporaries
of a filter therefore live in buffers that are reused; results are always fresh arrays.
Each slot keeps at most ``MAX_BYTES``; larger arrays are mapped as huge pages by NumPy,
whose first touch is cheap, so they are allocated afresh.
"""

from __future__ import annotations

import math
import threading

import numpy as np

MAX_BYTES = 1 << 23  # larger temporaries are allocated each time (NumPy maps them as huge pages)

_local = threading.local()


def scratch(slot: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """An uninitialised array of ``shape`` that stays valid until ``slot`` is asked for again.

    >>> a = scratch("doctest", (2, 3), np.dtype(np.float32))
    >>> a.shape, a.dtype
    ((2, 3), dtype('float32'))
    """
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > MAX_BYTES:
        return np.empty(shape, dtype=dtype)
    buffers = _local.__dict__.setdefault("buffers", {})
    buffer = buffers.get(slot)
    if buffer is None or buffer.nbytes < nbytes:
        buffer = buffers[slot] = np.empty(nbytes, dtype=np.uint8)
    return buffer[:nbytes].view(dtype).reshape(shape)
