"""cnnlab's own threads: a batch split across cores, with BLAS on one thread inside.

NumPy's BLAS parallelises each matrix product by itself. A convolution makes many small
products (one per image) and copies around them (padding, im2col, reordering), so that
costs a synchronisation per product while the copies run on one core. Like PyTorch,
cnnlab instead splits the batch: each thread runs whole images, copies and products,
while BLAS is held to one thread, and writes into its own slice of the output. Where
threads' results are summed (weight gradients), they add up in fixed runs of the batch
(:func:`segment_length`), so results do not depend on the number of threads.

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

import _signal  # signal's C functions: signal.signal() wraps them in enum lookups
import contextvars
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import NamedTuple, TypeVar

from ..._validation import check_positive_int
from ._workers import Worker

__all__ = [
    "ELEMENT_WORK",
    "get_num_threads",
    "parallel_for",
    "segment_length",
    "set_num_threads",
    "single_threaded_blas",
]

T = TypeVar("T")
MIN_PART_WORK = 3_000_000  # multiply-adds: below this a job runs on the calling thread
# (3 million split LeNet-5's convolutions: its training step 3 to 10% faster than with 10)
ELEMENT_WORK = 20  # an element read or written by a copy-like job, in multiply-adds
SIGINT = int(signal.SIGINT)
_main_thread_id = threading.main_thread().ident  # the thread Python runs signal handlers in
_ctrl_c_frames: list = []  # where Ctrl-C was pressed while held back
SUM_SEGMENTS = 8  # a sum over the batch adds up in this many fixed runs, then together


class _ThreadState(threading.local):
    worker = False  # True inside a part (a class default: reading it raises nothing)


_state = _ThreadState()
_lock = threading.Lock()  # guards the BLAS thread counts
_busy = threading.Lock()  # held while the workers run a job (or are being replaced)
_num_threads: int | None = None
_workers: list[Worker] = []  # get_num_threads() - 1 of them once started
_blas: list | None = None  # threadpoolctl's controllers of the loaded BLAS libraries
_blas_imports = -1  # len(sys.modules) when they were found: an import may load another
_blas_depth = 0  # nested single_threaded_blas() sections
_blas_held: list = []  # the libraries the outermost section holds to one thread
_blas_saved: list[int] = []  # and their thread counts before it


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
    global _num_threads
    count = check_positive_int("count", count)
    with _busy:  # waits for a job in flight
        if count != _num_threads:
            for worker in _workers:
                worker.stop()
            _workers.clear()
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
    if threads == 1 or _state.worker:
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
    handler = _hold_back_ctrl_c()  # so that the hand-off to the workers is never cut in two
    try:
        if _busy.acquire(blocking=False):
            try:
                return _run_parts(function, bounds)
            finally:
                _busy.release()
    finally:
        _let_ctrl_c_through(handler)
    return [function(0, count, 0)]  # another thread's job has the workers


def _run_parts(function: Callable[[int, int, int], T], bounds: list[int]) -> list[T]:
    """Run part ``i`` over ``bounds[i]:bounds[i + 1]``, the first here; hold ``_busy``."""
    with single_threaded_blas():
        workers = _started_workers()[: len(bounds) - 2]
        for part, worker in enumerate(workers, start=1):  # each in the caller's context:
            run = contextvars.copy_context().run  # its np.errstate, for one
            worker.start(partial(run, function, bounds[part], bounds[part + 1], part))
        try:  # this thread runs the first part while the workers wake up
            first = _as_part(function, bounds[0], bounds[1], 0)
        finally:
            outcomes = [_outcome(worker) for worker in workers]  # all have finished
        for outcome in outcomes:
            if isinstance(outcome, _Failure):
                raise outcome.error
        return [first, *outcomes]


def _hold_back_ctrl_c():
    """From now on Ctrl-C's ``KeyboardInterrupt`` is only noted, until
    :func:`_let_ctrl_c_through` gets the handler this returns.

    Python raises it in the main thread between any two steps, so it could fall between
    handing a task to a worker and noting that, or between taking a worker's result and
    noting that: a worker never waited for, or one waited for twice, which waits for good.
    While held back Ctrl-C is only noted; once the workers are all idle again, the
    handler that was in place runs. (Python runs signal handlers in the main thread
    only, so other threads need nothing held back.) The handler is swapped with the
    ``_signal`` module's functions: ``signal.signal`` and ``getsignal`` turn each handler
    into an enum member (for a function, by raising and catching a ValueError), which
    tripled the cost of a swap. Returns None where nothing was swapped.
    """
    if threading.get_ident() != _main_thread_id:
        return None
    handler = _signal.getsignal(SIGINT)
    if not callable(handler) or handler is _note_ctrl_c:  # SIG_DFL / SIG_IGN, or held already
        return None
    _signal.signal(SIGINT, _note_ctrl_c)
    return handler


def _let_ctrl_c_through(handler) -> None:
    """Put ``handler`` back; run it now if Ctrl-C was pressed while it was held back."""
    if handler is None:
        return
    _signal.signal(SIGINT, handler)
    if _ctrl_c_frames:
        frame = _ctrl_c_frames[0]
        _ctrl_c_frames.clear()
        handler(SIGINT, frame)


def _note_ctrl_c(signum, frame) -> None:
    _ctrl_c_frames.append(frame)


def segment_length(chunks: int) -> int:
    """Chunks per run when a sum over ``chunks`` chunks adds up in ``SUM_SEGMENTS`` runs.

    Each run is summed in order into its own accumulator, and the runs in order at the
    end: a fixed order whatever the number of threads, with at most ``SUM_SEGMENTS``
    accumulators whatever the batch size. Give :func:`parallel_for` ``chunk`` times this
    as its ``chunk``, so that every run lies inside one part.

    >>> segment_length(64), segment_length(5)
    (8, 1)
    """
    return -(-chunks // min(chunks, SUM_SEGMENTS))


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold the loaded BLAS libraries to one thread inside the ``with`` block."""
    global _blas_depth
    with _lock:
        if _blas_depth == 0:
            _blas_held[:] = _blas_libraries()
            _blas_saved[:] = [library.num_threads for library in _blas_held]
            for library in _blas_held:
                library.set_num_threads(1)
        _blas_depth += 1
    try:
        yield
    finally:
        with _lock:
            _blas_depth -= 1
            if _blas_depth == 0:
                for library, count in zip(_blas_held, _blas_saved, strict=True):
                    library.set_num_threads(count)


def _as_part(function, start, stop, part):
    """Run one part here, marked so that calls inside it do not split again."""
    inside = _state.worker
    _state.worker = True
    try:
        return function(start, stop, part)
    finally:
        _state.worker = inside


class _Failure(NamedTuple):
    error: BaseException


def _outcome(worker: Worker):
    try:
        return worker.finish()
    except BaseException as error:  # raised by the caller once every part has finished
        return _Failure(error)


def _mark_as_part() -> None:
    _state.worker = True  # a worker's thread only ever runs parts


def _started_workers() -> list[Worker]:
    """The ``get_num_threads() - 1`` workers (the caller runs a part too); hold ``_busy``."""
    while len(_workers) < get_num_threads() - 1:
        _workers.append(Worker(f"cnnlab-{len(_workers) + 1}", on_start=_mark_as_part))
    return _workers


def _after_fork_in_child() -> None:
    """A forked child has none of the parent's threads: start again with no workers."""
    global _lock, _busy, _blas_depth, _state, _workers, _main_thread_id
    _lock, _busy, _blas_depth = threading.Lock(), threading.Lock(), 0
    _state, _workers = _ThreadState(), []
    _main_thread_id = threading.get_ident()  # the thread that forked is the child's main


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _blas_libraries() -> list:
    """The loaded BLAS libraries, looked up again after imports (SciPy or torch may bring
    their own), but not inside a single_threaded_blas() section."""
    global _blas, _blas_imports
    if _blas is None or (_blas_depth == 0 and len(sys.modules) != _blas_imports):
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController().select(user_api="blas").lib_controllers
        _blas_imports = len(sys.modules)
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
    # inside single_threaded_blas() the counts to follow are the ones it saved
    counts = list(_blas_saved) if _blas_depth else [lib.num_threads for lib in _blas_libraries()]
    if counts:
        return max(counts)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
