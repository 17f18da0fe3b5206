"""cnnlab's own threads: a batch split across cores, with BLAS on one thread inside.

NumPy's BLAS parallelises each matrix product by itself. A convolution makes many small
products (one per image) and copies around them (padding, im2col, reordering), so that
costs a synchronisation per product while the copies run on one core. Like PyTorch,
cnnlab instead splits the batch: each thread runs whole images, copies and products,
while BLAS is held to one thread, and writes into its own slice of the output. Where
threads' results are summed (weight gradients), they are summed per fixed chunk of the
batch, so results do not depend on the number of threads.

The number of threads starts at ``CNNLAB_NUM_THREADS`` when set, else at the BLAS's own
thread count (which follows ``OMP_NUM_THREADS`` and ``OPENBLAS_NUM_THREADS``).

>>> import cnnlab
>>> before = cnnlab.get_num_threads()
>>> cnnlab.set_num_threads(2)
>>> cnnlab.get_num_threads()
2
>>> parallel_for(lambda start, stop, part: (start, stop), 10, chunk=3)
[(0, 6), (6, 10)]
>>> cnnlab.set_num_threads(before)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from ._validation import check_positive_int

__all__ = [
    "ELEMENT_WORK",
    "get_num_threads",
    "parallel_for",
    "set_num_threads",
    "single_threaded_blas",
]

T = TypeVar("T")
MIN_PART_WORK = 10_000_000  # multiply-adds: below this a job runs on the calling thread
ELEMENT_WORK = 20  # an element read or written by a copy-like job, in multiply-adds

_state = threading.local()  # .worker: True inside one of the pool's threads
_lock = threading.Lock()
_num_threads: int | None = None
_pool: ThreadPoolExecutor | None = None
_blas: list | None = None  # threadpoolctl's controllers of the loaded BLAS libraries
_blas_depth = 0  # nested single_threaded_blas() sections
_blas_saved: list[int] = []


def get_num_threads() -> int:
    """How many threads cnnlab's batch-parallel operations use."""
    global _num_threads
    if _num_threads is None:
        _num_threads = _default_threads()
    return _num_threads


def set_num_threads(count: int) -> None:
    """Use ``count`` threads for cnnlab's batch-parallel work (as ``torch.set_num_threads``).

    One thread leaves BLAS to parallelise each matrix product by itself.
    """
    global _num_threads, _pool
    count = check_positive_int("count", count)
    with _lock:
        if _pool is not None and count != _num_threads:
            _pool.shutdown(wait=True)
            _pool = None
        _num_threads = count


def parallel_for(
    function: Callable[[int, int, int], T], count: int, chunk: int = 1, work: float | None = None
) -> list[T]:
    """Run ``function(start, stop, part)`` over ``range(count)`` cut into one part per thread.

    Part boundaries fall on multiples of ``chunk``. Parts run at once, with BLAS held to
    one thread; their results come back in order. ``work`` (multiply-adds for the whole
    range; an element copied counts ``ELEMENT_WORK``) keeps small jobs whole: each part
    gets at least ``MIN_PART_WORK``, since handing work to a thread costs tens of
    microseconds and small concurrent BLAS calls contend for its buffers. With one part
    the function runs here: as is with one thread, inside a part, or for one big chunk
    (BLAS may thread its products); a small job with BLAS on one thread, since threading
    small products costs more than it gains.
    """
    threads = get_num_threads()
    if threads == 1 or getattr(_state, "worker", False):
        return [function(0, count, 0)]
    if work is not None and work < 2 * MIN_PART_WORK:  # too small to split
        with single_threaded_blas():  # and too small for BLAS's threads
            return [function(0, count, 0)]
    chunks = -(-count // chunk)
    parts = min(threads, chunks)
    if work is not None:
        parts = min(parts, int(work // MIN_PART_WORK))
    if parts <= 1:
        return [function(0, count, 0)]
    bounds = [min(count, chunk * (chunks * part // parts)) for part in range(parts + 1)]
    with single_threaded_blas():
        futures = [
            _executor().submit(_as_worker, function, bounds[part], bounds[part + 1], part)
            for part in range(1, parts)
        ]  # the pool's threads wake up while this thread runs the first part
        try:
            first = _as_worker(function, bounds[0], bounds[1], 0)
        finally:
            others = [future.result() for future in futures]  # never leave parts running
        return [first, *others]


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold the loaded BLAS libraries to one thread inside the ``with`` block."""
    global _blas_depth
    with _lock:
        if _blas_depth == 0:
            _blas_saved[:] = [library.num_threads for library in _blas_libraries()]
            for library in _blas_libraries():
                library.set_num_threads(1)
        _blas_depth += 1
    try:
        yield
    finally:
        with _lock:
            _blas_depth -= 1
            if _blas_depth == 0:
                for library, count in zip(_blas_libraries(), _blas_saved, strict=True):
                    library.set_num_threads(count)


def _as_worker(function, start, stop, part):
    """Run one part, marked as a part so that calls inside it do not split again."""
    inside = getattr(_state, "worker", False)
    _state.worker = True
    try:
        return function(start, stop, part)
    finally:
        _state.worker = inside


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            workers = max(1, get_num_threads() - 1)  # the calling thread runs a part too
            _pool = ThreadPoolExecutor(workers, thread_name_prefix="cnnlab")
        return _pool


def _blas_libraries() -> list:
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController().select(user_api="blas").lib_controllers
    return _blas


def _default_threads() -> int:
    setting = os.environ.get("CNNLAB_NUM_THREADS")
    if setting:
        try:
            return check_positive_int("CNNLAB_NUM_THREADS", int(setting))
        except ValueError:
            raise ValueError(
                f"CNNLAB_NUM_THREADS must be a positive integer. Received: {setting!r}."
            ) from None
    counts = [library.num_threads for library in _blas_libraries()]
    if counts:
        return max(counts)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
