"""cnnlab's own threads: the batch split across threads gives the same numbers."""

import multiprocessing
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import cnnlab
from cnnlab.backend.fast import parallel
from cnnlab.backend.fast.conv import conv2d, conv_backward
from cnnlab.backend.fast.linear import linear, linear_backward
from cnnlab.backend.fast.pooling import max_pool, max_pool_backward
from cnnlab.functional.pooling import PoolWindow


@pytest.fixture
def threads(monkeypatch):
    """Set cnnlab's thread count inside a test (restored afterwards); split even small jobs."""
    monkeypatch.setattr(parallel, "MIN_PART_WORK", 1)
    before = cnnlab.get_num_threads()
    yield cnnlab.set_num_threads
    cnnlab.set_num_threads(before)


def blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_parts_cover_the_range_on_chunk_boundaries(threads):
    threads(3)
    parts = parallel.parallel_for(lambda start, stop, part: (start, stop, part), 20, chunk=3)
    assert parts == [(0, 6, 0), (6, 12, 1), (12, 20, 2)]
    assert [stop - start for start, stop, _ in parts] == [6, 6, 8]


def test_fewer_chunks_than_threads_make_fewer_parts(threads):
    threads(4)
    assert parallel.parallel_for(lambda start, stop, _: (start, stop), 5, chunk=3) == [
        (0, 3),
        (3, 5),
    ]


def test_parts_run_in_other_threads_with_blas_on_one_thread(threads):
    threads(2)
    before = blas_threads()
    seen = parallel.parallel_for(
        lambda *_: (threading.current_thread().name, blas_threads()), 8, chunk=1
    )
    names = [name for name, _ in seen]
    assert names[0] == threading.current_thread().name  # the caller runs the first part
    assert all(name.startswith("cnnlab") for name in names[1:])
    assert all(counts == [1] * len(before) for _, counts in seen)
    assert blas_threads() == before  # restored afterwards


def test_a_nested_call_runs_inside_its_part(threads):
    threads(2)

    def outer(start, stop, _):
        inner = parallel.parallel_for(lambda a, b, __: threading.current_thread().name, 8)
        return threading.current_thread().name, inner

    for name, inner in parallel.parallel_for(outer, 4):
        assert inner == [name]


def test_one_thread_runs_in_the_caller(threads):
    threads(1)
    names = parallel.parallel_for(lambda *_: threading.current_thread().name, 8)
    assert names == [threading.current_thread().name]


def test_a_blas_loaded_after_the_first_lookup_is_held_to_one_thread_too(monkeypatch):
    monkeypatch.setattr(parallel, "_blas", [])  # as found before an import brought a BLAS
    monkeypatch.setattr(parallel, "_blas_imports", len(sys.modules) - 1)
    assert blas_threads()  # NumPy's BLAS, at least
    with parallel.single_threaded_blas():
        assert blas_threads() == [1] * len(blas_threads())


def test_a_small_job_runs_here_with_blas_on_one_thread(threads, monkeypatch):
    threads(2)
    monkeypatch.setattr(parallel, "MIN_PART_WORK", 100)
    seen = parallel.parallel_for(
        lambda *_: (threading.current_thread().name, blas_threads()), 8, work=150
    )
    assert seen == [(threading.current_thread().name, [1] * len(blas_threads()))]


def test_small_jobs_stay_whole(threads, monkeypatch):
    threads(4)
    monkeypatch.setattr(parallel, "MIN_PART_WORK", 100)
    parts = [parallel.parallel_for(lambda a, b, _: (a, b), 8, work=work) for work in (99, 250)]
    assert parts == [[(0, 8)], [(0, 4), (4, 8)]]


def test_an_error_in_a_part_reaches_the_caller(threads):
    threads(2)

    def fail(start, stop, part):
        if part == 1:
            raise ValueError(f"part {part} failed")

    with pytest.raises(ValueError, match="part 1 failed"):
        parallel.parallel_for(fail, 8)


def test_bad_thread_counts_are_refused(monkeypatch):
    with pytest.raises(ValueError, match="count"):
        cnnlab.set_num_threads(0)
    monkeypatch.setattr(parallel, "_num_threads", None)
    monkeypatch.setenv("CNNLAB_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="CNNLAB_NUM_THREADS must be a positive integer.*many"):
        cnnlab.get_num_threads()
    monkeypatch.setenv("CNNLAB_NUM_THREADS", "3")
    assert cnnlab.get_num_threads() == 3


def conv_results(x, w, b, dy, padding, groups):
    y, ctx = conv2d(x, w, b, padding=padding, groups=groups)
    return (y, *conv_backward(dy, ctx))


@pytest.mark.parametrize(
    ("channels", "padding", "groups"),
    [(3, 1, 1), (32, 1, 1), (8, 0, 2), (4, 0, 1)],  # col2im, dx by convolution, groups, 1x1
)
def test_convolution_gives_the_same_bits_on_any_number_of_threads(
    threads, channels, padding, groups
):
    rng = np.random.default_rng(0)
    kernel = 1 if channels == 4 else 3
    x = rng.standard_normal((7, channels, 9, 8)).astype(np.float32)
    w = rng.standard_normal((16, channels // groups, kernel, kernel)).astype(np.float32)
    b = rng.standard_normal(16).astype(np.float32)
    out = 9 + 2 * padding - kernel + 1, 8 + 2 * padding - kernel + 1
    dy = rng.standard_normal((7, 16, *out)).astype(np.float32)
    results = {}
    for count in (1, 2, 3):
        threads(count)
        results[count] = conv_results(x, w, b, dy, padding, groups)
    for mine, theirs in zip(results[2], results[3], strict=True):
        np.testing.assert_array_equal(mine, theirs)  # the same chunks, summed in one order
    for mine, theirs in zip(results[2], results[1], strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-5)  # BLAS threads its own


def test_weight_gradient_from_shared_columns_gives_the_same_bits_on_any_thread_count(
    threads, monkeypatch
):
    # 32 input channels, 3x3, padding 1: dW comes from dx's columns, summed per run of
    # chunks; a tiny chunk size makes many chunks for the threads to split.
    monkeypatch.setitem(conv2d.__globals__["chunk_size"].__globals__, "CHUNK_BYTES", 1)
    rng = np.random.default_rng(8)
    x = rng.standard_normal((9, 32, 6, 12)).astype(np.float32)
    w = rng.standard_normal((16, 32, 3, 3)).astype(np.float32)
    dy = rng.standard_normal((9, 16, 6, 12)).astype(np.float32)
    results = {}
    for count in (1, 2, 3):
        threads(count)
        results[count] = conv_results(x, w, None, dy, 1, 1)
    for mine, theirs in zip(results[2][1:3], results[3][1:3], strict=True):
        np.testing.assert_array_equal(mine, theirs)
    for mine, theirs in zip(results[2][1:3], results[1][1:3], strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-5)


def test_linear_gives_the_same_bits_on_any_number_of_threads(threads):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((37, 50)).astype(np.float32)
    w = rng.standard_normal((40, 50)).astype(np.float32)
    b = rng.standard_normal(40).astype(np.float32)
    dy = rng.standard_normal((37, 40)).astype(np.float32)
    results = {}
    for count in (2, 3):
        threads(count)
        results[count] = (linear(x, w, b), *linear_backward(dy, x, w))
    for mine, theirs in zip(results[2], results[3], strict=True):
        np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_allclose(results[2][0], x @ w.T + b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(results[2][2], dy.T @ x, rtol=1e-5, atol=1e-4)


def test_relu_and_max_pooling_give_the_same_bits_on_any_number_of_threads(threads):
    from cnnlab.backend.fast import activations

    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 4, 90, 80)).astype(np.float32)  # three blocks of ReLU
    x[0, 0, :2, :2] = 0.0  # a tie: the first maximum takes the gradient
    g = rng.standard_normal(x.shape).astype(np.float32)
    results = {}
    for count in (1, 2, 3):
        threads(count)
        y = activations.relu(x)
        pooled, ctx = max_pool2d(y, 2)
        results[count] = (
            y,
            activations.relu_backward(g, y),
            pooled,
            max_pool_backward(np.ones_like(pooled), ctx),
        )
    for count in (2, 3):
        for mine, theirs in zip(results[count], results[1], strict=True):
            np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(results[2][0], np.maximum(x, 0))
    np.testing.assert_array_equal(results[2][1], g * (x > 0))


def test_every_part_has_finished_when_an_error_reaches_the_caller(threads):
    threads(3)
    before = blas_threads()
    finished = []

    def work(start, stop, part):
        if part == 1:
            raise ValueError("part 1 failed")
        if part == 2:
            time.sleep(0.2)
        finished.append(part)

    with pytest.raises(ValueError, match="part 1 failed"):
        parallel.parallel_for(work, 9)
    assert sorted(finished) == [0, 2]  # part 2 was not left running
    assert blas_threads() == before  # and BLAS has its threads back


def test_changing_the_thread_count_waits_for_the_job_in_flight(threads):
    threads(3)
    started, results = threading.Event(), []

    def slow(start, stop, part):
        started.set()
        time.sleep(0.2)
        return part

    job = threading.Thread(target=lambda: results.append(parallel.parallel_for(slow, 9)))
    job.start()
    started.wait()
    cnnlab.set_num_threads(2)  # must not pull the workers from under the running job
    job.join()
    assert results == [[0, 1, 2]]
    assert parallel.parallel_for(lambda start, stop, part: part, 9) == [0, 1]


def test_a_second_callers_job_runs_whole_while_the_workers_are_busy(threads):
    threads(2)
    started, release, seen = threading.Event(), threading.Event(), []

    def hold(start, stop, part):
        started.set()
        release.wait(5)
        return part

    job = threading.Thread(target=lambda: parallel.parallel_for(hold, 8))
    job.start()
    started.wait()
    seen = parallel.parallel_for(lambda start, stop, part: (start, stop), 8)
    release.set()
    job.join()
    assert seen == [(0, 8)]


def fork_child_splits_work(queue):
    queue.put(parallel.parallel_for(lambda start, stop, part: part, 8))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a POSIX call")
def test_a_forked_child_can_use_the_threads(threads):
    threads(2)
    parallel.parallel_for(lambda *_: None, 8)  # the parent's pool exists
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=fork_child_splits_work, args=(queue,))
    child.start()
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
        pytest.fail("the forked child hung")
    assert child.exitcode == 0
    assert queue.get(timeout=5) == [0, 1]


def test_the_weight_gradients_partial_sums_stay_few(threads, monkeypatch):
    import tracemalloc

    # conv2d's own globals: pytest's doctests may import a second copy of the module.
    # One image a chunk: 64 chunks.
    monkeypatch.setitem(conv2d.__globals__["chunk_size"].__globals__, "CHUNK_BYTES", 1)
    threads(2)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 64, 4, 4)).astype(np.float32)
    w = rng.standard_normal((64, 64, 3, 3)).astype(np.float32)  # 147 kB
    y, ctx = conv2d(x, w, padding=1)
    dy = np.ones_like(y)
    tracemalloc.start()
    conv_backward(dy, ctx, input_grad=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * w.nbytes  # not one weight-sized partial sum per chunk (64)


class Interrupted(Exception):
    pass


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="POSIX signals")
def test_an_interrupt_while_waiting_comes_after_every_part_has_finished(threads):
    threads(2)
    finished = []

    def work(start, stop, part):
        if part == 1:
            time.sleep(0.3)
        finished.append(part)

    def interrupt(signum, frame):
        raise Interrupted

    previous = signal.signal(signal.SIGUSR1, interrupt)
    timer = threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGUSR1))
    try:
        timer.start()
        with pytest.raises(Interrupted):
            parallel.parallel_for(work, 8)  # the caller waits for part 1 when it arrives
        assert sorted(finished) == [0, 1]
    finally:
        timer.cancel()
        signal.signal(signal.SIGUSR1, previous)
    assert parallel.parallel_for(lambda start, stop, part: part, 8) == [0, 1]


def max_pool2d(x, kernel_size):
    """The fast backend's max pooling with a square window."""
    return max_pool(x, PoolWindow.create(2, kernel_size))


def shares_of(function, *args):
    """How many batch items each thread took in ``function(*args)``'s ``parallel_for``."""
    shares = []

    def record(job, total, chunk=1, work=None):
        def part(start, stop, index):
            shares.append(stop - start)
            return job(start, stop, index)

        return parallel.parallel_for(part, total, chunk, work)

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(function.__globals__, "parallel_for", record)
        function(*args)
    return sorted(shares)


@pytest.mark.parametrize("count", [2, 4])
def test_a_split_convolution_gives_every_thread_the_same_number_of_images(threads, count):
    # 64 images of 32 -> 64 channels on 16x16: about 6 images fill a chunk's 2 MiB of
    # columns, and 11 such chunks would split 30 / 34; equal chunks split 32 / 32.
    threads(count)
    x = np.zeros((64, 32, 16, 16), np.float32)
    w = np.zeros((64, 32, 3, 3), np.float32)
    assert shares_of(conv2d, x, w, None, 1, 1) == [64 // count] * count


def test_a_split_max_pool_backward_gives_both_threads_the_same_number_of_images(threads):
    # LeNet-5's first pool: 55 images fill its 1 MiB cache block; blocks of 55 and 9
    # would leave one thread most of the work, equal blocks split 32 / 32.
    threads(2)
    pooled, ctx = max_pool2d(np.ones((64, 6, 28, 28), np.float32), 2)
    assert shares_of(max_pool_backward, np.ones_like(pooled), ctx) == [32, 32]
