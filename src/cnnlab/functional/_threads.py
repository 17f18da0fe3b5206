"""A small pool of threads for the memory-bound steps that NumPy runs on one core.

BLAS already spreads the matrix products over every core, but copies (im2col, col2im,
padding), ReLU and pooling run on one core in NumPy. Large NumPy copies and ufuncs release
the GIL, so splitting such a step into disjoint slices and running them on a few threads
uses the other cores too, as PyTorch does with OpenMP. Work below about
:data:`MIN_PART_ELEMENTS` per thread stays on the calling thread: handing it over would
cost more than it saves.

The number of threads is the number of CPUs this process may use, or
``CNNLAB_NUM_THREADS``, or what :func:`set_num_threads` says.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from .._validation import check_positive_int

MIN_PART_ELEMENTS = 1 << 16  # below this many elements per thread, one thread is faster

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_threads: int | None = None


def _default_threads() -> int:
    value = os.environ.get("CNNLAB_NUM_THREADS")
    if value is not None:
        try:
            return check_positive_int("CNNLAB_NUM_THREADS", int(value))
        except ValueError:
            raise ValueError(
                f"CNNLAB_NUM_THREADS must be a positive integer. Received: {value!r}."
            ) from None
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def get_num_threads() -> int:
    """Threads cnnlab uses for its own copies and element-wise steps (not BLAS's).

    >>> get_num_threads() >= 1
    True
    """
    global _threads
    if _threads is None:
        _threads = _default_threads()
    return _threads


def set_num_threads(count: int) -> None:
    """Use ``count`` threads for cnnlab's memory-bound steps (1: everything on the caller).

    BLAS's threads are set apart, e.g. by ``OPENBLAS_NUM_THREADS`` before NumPy starts.

    >>> before = get_num_threads()
    >>> set_num_threads(1); get_num_threads()
    1
    >>> set_num_threads(before)
    """
    global _threads, _pool
    count = check_positive_int("count", count)
    with _lock:
        if _pool is not None and count != _threads:
            _pool.shutdown(wait=True)
            _pool = None
        _threads = count


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(workers, thread_name_prefix="cnnlab")
        return _pool


def split(length: int, elements: int) -> list[slice]:
    """Slices of ``range(length)``, one per thread, for a step touching ``elements`` in all.

    >>> split(10, 10)   # too little work: one slice
    [slice(0, 10, None)]
    """
    parts = min(get_num_threads(), length, elements // MIN_PART_ELEMENTS)
    if parts <= 1:
        return [slice(0, length)]
    bounds = [length * i // parts for i in range(parts + 1)]
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def parallel_for(function: Callable[[slice], object], length: int, elements: int) -> None:
    """Call ``function(part)`` for slices ``part`` that split ``range(length)``.

    The slices run at the same time on the pool's threads (the first on the caller), when
    the step's ``elements`` are enough to pay for it. ``function`` must only write where
    its slice says, so the parts never touch the same memory.

    >>> import numpy as np
    >>> x = np.arange(6.0)
    >>> parallel_for(lambda part: np.multiply(x[part], 2, out=x[part]), len(x), x.size)
    >>> x
    array([ 0.,  2.,  4.,  6.,  8., 10.])
    """
    parts = split(length, elements)
    if len(parts) == 1:
        function(parts[0])
        return
    pool = _executor(get_num_threads() - 1)
    futures = [pool.submit(function, part) for part in parts[1:]]
    try:
        function(parts[0])
    finally:
        for future in futures:
            future.result()


def parallel_blocks(function: Callable[[tuple[slice, ...]], object], shape, elements: int) -> None:
    """Call ``function(index)`` for index tuples that split an array of ``shape``.

    Splits the first axis (images), or the second (channels) when there are fewer images
    than threads, as in inference on one image.

    >>> import numpy as np
    >>> x = np.ones((1, 4, 2))
    >>> parallel_blocks(lambda index: np.negative(x[index], out=x[index]), x.shape, x.size)
    >>> float(x.sum())
    -8.0
    """
    if len(shape) > 1 and shape[0] < get_num_threads():
        parallel_for(lambda part: function((slice(None), part)), shape[1], elements)
    else:
        parallel_for(lambda part: function((part,)), shape[0], elements)
