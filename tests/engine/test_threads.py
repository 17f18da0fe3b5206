"""cnnlab's own threads: split work exactly, give the same bits as one thread, fail clearly."""

import numpy as np
import pytest

import cnnlab
from cnnlab import functional as F
from cnnlab.functional import _threads
from cnnlab.functional.padding import pad


@pytest.fixture
def many_threads(monkeypatch):
    """Three threads, and every step split however little work it has."""
    before = _threads.get_num_threads()
    monkeypatch.setattr(_threads, "MIN_PART_ELEMENTS", 1)
    _threads.set_num_threads(3)
    yield
    _threads.set_num_threads(before)


def run_with_threads(count, function):
    before = _threads.get_num_threads()
    _threads.set_num_threads(count)
    try:
        return function()
    finally:
        _threads.set_num_threads(before)


def test_split_covers_the_range_in_order_without_overlap(many_threads):
    parts = _threads.split(10, 10)
    assert [(p.start, p.stop) for p in parts] == [(0, 3), (3, 6), (6, 10)]


def test_split_keeps_small_work_on_one_thread():
    assert _threads.split(64, _threads.MIN_PART_ELEMENTS - 1) == [slice(0, 64)]
    assert _threads.split(0, 10**9) == [slice(0, 0)]


def test_split_never_makes_more_parts_than_items(many_threads):
    assert len(_threads.split(2, 10**9)) == 2


def test_an_error_in_a_worker_thread_reaches_the_caller(many_threads):
    def fail_late(part):
        if part.start > 0:
            raise RuntimeError(f"part {part.start} failed")

    with pytest.raises(RuntimeError, match="failed"):
        _threads.parallel_for(fail_late, 9, 9)


def test_thread_count_must_be_positive():
    with pytest.raises(ValueError, match="count.*Received: count=0"):
        cnnlab.set_num_threads(0)


def test_bad_thread_count_in_the_environment_is_named(monkeypatch):
    monkeypatch.setenv("CNNLAB_NUM_THREADS", "two")
    with pytest.raises(ValueError, match="CNNLAB_NUM_THREADS.*'two'"):
        _threads._default_threads()
    monkeypatch.setenv("CNNLAB_NUM_THREADS", "3")
    assert _threads._default_threads() == 3


CONVS = {
    "3x3 stride 1 (full rows)": dict(shape=(5, 4, 12, 12), weight=(6, 4, 3, 3), padding=1),
    "stride 2": dict(shape=(5, 4, 11, 13), weight=(6, 4, 3, 3), stride=2, padding=1),
    "groups, reflect": dict(
        shape=(3, 6, 9, 9), weight=(6, 2, 3, 3), groups=3, padding=1, padding_mode="reflect"
    ),
    "dilated, circular": dict(
        shape=(4, 2, 10, 10), weight=(3, 2, 3, 3), dilation=2, padding=2, padding_mode="circular"
    ),
    "1x1": dict(shape=(4, 8, 7, 7), weight=(5, 8, 1, 1)),
    "one image (split by channel)": dict(shape=(1, 4, 12, 12), weight=(6, 4, 3, 3), padding=1),
}


@pytest.mark.parametrize("case", CONVS, ids=str)
def test_convolution_on_threads_equals_one_thread_bit_for_bit(monkeypatch, case):
    monkeypatch.setattr(_threads, "MIN_PART_ELEMENTS", 1)
    options = dict(CONVS[case])
    rng = np.random.default_rng(0)
    x = rng.standard_normal(options.pop("shape")).astype(np.float32)
    w = rng.standard_normal(options.pop("weight")).astype(np.float32)
    b = rng.standard_normal(w.shape[0]).astype(np.float32)

    def forward_backward():
        y, ctx = F.conv2d(x, w, b, **options)
        grad = np.cos(y)
        return (y.copy(), *F.conv_backward(grad, ctx))

    one, three = run_with_threads(1, forward_backward), run_with_threads(3, forward_backward)
    for a, c in zip(one, three, strict=True):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize("batch", [7, 1], ids=["split by image", "split by channel"])
def test_relu_pooling_padding_and_batch_norm_on_threads_equal_one_thread(monkeypatch, batch):
    monkeypatch.setattr(_threads, "MIN_PART_ELEMENTS", 1)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((batch, 3, 9, 9)).astype(np.float32)
    grad = rng.standard_normal((batch, 3, 4, 4)).astype(np.float32)
    mean, var, weight, bias = rng.random((4, 3)).astype(np.float32)

    def steps():
        y = F.relu(x)
        pooled, ctx = F.max_pool2d(y, 3, stride=2)
        return (
            y,
            F.relu_backward(x, y),
            pooled,
            F.max_pool_backward(grad, ctx),
            pad(x, [(1, 2), (2, 1)], "zeros"),
            F.batch_norm_eval(x, mean, var, weight, bias),
        )

    for a, c in zip(run_with_threads(1, steps), run_with_threads(3, steps), strict=True):
        np.testing.assert_array_equal(a, c)
