"""Every op of the fast backend equals the reference (cnnlab.functional), forward and backward.

Each case names the strategy of the fast path it makes run and the thresholds it forces
to get there (patched small, rather than using huge arrays); every case runs on 1, 2 and
3 threads with ``MIN_PART_WORK = 1``, so that even these small jobs are split. Inputs are
seeded random float64 (float32 in a few cases); results must agree to float rounding.
``test_the_cases_reach_every_strategy`` checks that the cases do reach every strategy.
"""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab import backend
from cnnlab.functional.pooling import PoolWindow

FAST, REFERENCE = backend.ops("fast"), backend.ops("reference")
# The globals the fast ops run with (patch these: pytest's doctests may import a module twice).
PACKAGE = FAST.conv2d.__globals__  # cnnlab.backend.fast's own namespace
CONV = PACKAGE["_conv"].conv2d.__globals__  # KEEP_COLS_BYTES
CONV_BACKWARD = FAST.conv_backward.__globals__  # TRANSPOSED_MIN_CHANNELS, input_rows
CHUNKS = CONV["chunk_size"].__globals__  # CHUNK_BYTES
IM2COL = CONV["ColumnLayout"].create.__func__.__globals__  # FULL_ROWS_MIN_USE
GRID = CONV["channel_grid"].__globals__  # GRID_MAX_ELEMENTS
PARALLEL = CONV["parallel_for"].__globals__  # MIN_PART_WORK
POOLING = FAST.max_pool.__globals__  # CACHE_BLOCK_BYTES
ACTIVATIONS = PACKAGE["_activations"].__dict__  # BLOCK_ELEMENTS
LINEAR = FAST.linear.__globals__  # FEATURES_PER_CHUNK
TOLERANCE = {np.float64: dict(rtol=1e-10, atol=1e-10), np.float32: dict(rtol=2e-5, atol=2e-5)}
THREADS = [1, 2, 3]
WHERE = {  # the globals each threshold lives in
    "KEEP_COLS_BYTES": CONV, "TRANSPOSED_MIN_CHANNELS": CONV_BACKWARD,
    "input_rows": CONV_BACKWARD, "CHUNK_BYTES": CHUNKS, "FULL_ROWS_MIN_USE": IM2COL,
    "GRID_MAX_ELEMENTS": GRID, "CACHE_BLOCK_BYTES": POOLING,
}  # fmt: skip


@pytest.fixture(params=THREADS, ids=lambda count: f"{count}-threads")
def threads(request, monkeypatch):
    """Run the test on 1, 2 and 3 threads, splitting even the smallest job."""
    monkeypatch.setitem(PARALLEL, "MIN_PART_WORK", 1)
    before = backend.get_num_threads()
    backend.set_num_threads(request.param)
    yield request.param
    backend.set_num_threads(before)


def force(monkeypatch, thresholds: dict) -> None:
    """Set each threshold (or function) ``{NAME: value}`` where the fast ops read it."""
    for name, value in thresholds.items():
        monkeypatch.setitem(WHERE[name], name, value)


def assert_same(fast, reference, dtype=np.float64, name="") -> None:
    if reference is None:
        assert fast is None, name
        return
    assert fast.shape == reference.shape and fast.dtype == reference.dtype, name
    scale = max(1.0, float(np.max(np.abs(reference), initial=0.0)))
    tol = TOLERANCE[dtype]
    np.testing.assert_allclose(fast, reference, rtol=tol["rtol"], atol=tol["atol"] * scale,
                               err_msg=name)  # fmt: skip


# ---------------------------------------------------------------------------- convolution
KEEP = {"KEEP_COLS_BYTES": 1 << 40}
REBUILD = {"KEEP_COLS_BYTES": 0}
ONE_IMAGE_CHUNKS = {"CHUNK_BYTES": 1}
FULL_ROWS = {"FULL_ROWS_MIN_USE": 0.0}
COMPACT_ROWS = {"FULL_ROWS_MIN_USE": 2.0}
TRANSPOSED = {"TRANSPOSED_MIN_CHANNELS": 1}
NO_TRANSPOSED = {"TRANSPOSED_MIN_CHANNELS": 10**6}
NOT_SHARED = {**TRANSPOSED, "input_rows": lambda *args: None}
BROADCAST_BIAS = {"GRID_MAX_ELEMENTS": 0}

# name: (geometry, thresholds forced); geometry as conv_inputs' arguments.
CONV_CASES = {
    "pointwise": (dict(c_in=6, c_out=4, kernel_size=1), {}),
    "pointwise-strided-groups": (dict(c_in=6, c_out=4, kernel_size=1, stride=2, groups=2), {}),
    "pointwise-1d": (dict(dims=1, kernel_size=1, stride=2), {}),
    "pointwise-broadcast-bias": (dict(kernel_size=1), BROADCAST_BIAS),
    "kept-columns-full-rows-col2im-direct": (
        dict(padding=1), {**KEEP, **FULL_ROWS, **NO_TRANSPOSED}),
    "rebuilt-columns-compact-rows": (
        dict(padding=1), {**REBUILD, **COMPACT_ROWS, **NO_TRANSPOSED}),
    "one-image-chunks": (dict(N=5, padding=(2, 1), dilation=2), {**ONE_IMAGE_CHUNKS, **REBUILD}),
    "one-image-chunks-kept": (dict(N=5, stride=2, padding=1), {**ONE_IMAGE_CHUNKS, **KEEP}),
    "col2im-strided": (dict(stride=2, padding=1, dilation=(1, 2)), KEEP),
    "col2im-shifted-reflect": (dict(padding=2, padding_mode="reflect"), NO_TRANSPOSED),
    "col2im-circular-groups": (
        dict(c_in=4, c_out=6, padding=1, groups=2, padding_mode="circular"), NO_TRANSPOSED),
    "col2im-replicate-1d": (
        dict(dims=1, size=11, kernel_size=4, padding=3, padding_mode="replicate", stride=3), {}),
    "shared-columns": (dict(padding=1), TRANSPOSED),
    "shared-columns-same-even-kernel": (
        dict(kernel_size=(2, 4), padding="same"), {**TRANSPOSED, **ONE_IMAGE_CHUNKS}),
    "shared-columns-groups-float32": (
        dict(c_in=4, c_out=4, groups=2, padding=1, dtype=np.float32), TRANSPOSED),
    "dx-by-convolution-unpadded": (dict(kernel_size=3), TRANSPOSED),
    "dx-by-convolution-not-shared": (dict(padding=1, dilation=2, bias=False), NOT_SHARED),
    "dx-by-convolution-1d": (
        dict(dims=1, size=13, kernel_size=5, padding=2), {**TRANSPOSED, **REBUILD}),
    "depthwise-broadcast-bias": (
        dict(c_in=4, c_out=8, groups=4, padding=1), {**BROADCAST_BIAS, **KEEP}),
    "float32-rebuilt": (dict(padding=1, stride=(1, 2), dtype=np.float32), REBUILD),
}  # fmt: skip


def conv_inputs(dims=2, N=4, c_in=3, c_out=5, size=9, kernel_size=3, stride=1, padding=0,
                dilation=1, groups=1, padding_mode="zeros", bias=True, dtype=np.float64,
                seed=0):  # fmt: skip
    """Seeded random arguments of one convolution (a sum of the case's name seeds it)."""
    rng = np.random.default_rng(seed)
    kernel = (kernel_size,) * dims if isinstance(kernel_size, int) else kernel_size
    spatial = (size,) * dims if dims == 1 else (size, size + 2)
    x = rng.standard_normal((N, c_in, *spatial)).astype(dtype)
    weight = rng.standard_normal((c_out, c_in // groups, *kernel)).astype(dtype)
    b = rng.standard_normal(c_out).astype(dtype) if bias else None
    return dims, x, weight, b, dict(stride=stride, padding=padding, dilation=dilation,
                                    groups=groups, padding_mode=padding_mode)  # fmt: skip


def run_conv(ops, dims, x, weight, bias, options, grad_seed=1, input_grad=True):
    convolve = ops.conv2d if dims == 2 else ops.conv1d
    y, ctx = convolve(x, weight, bias, **options, scratch={})
    grad = np.random.default_rng(grad_seed).standard_normal(y.shape).astype(y.dtype)
    return (y, *ops.conv_backward(grad, ctx, input_grad=input_grad)), ctx


@pytest.mark.parametrize("case", list(CONV_CASES))
def test_fast_convolution_equals_the_reference(case, threads, monkeypatch):
    geometry, patches = CONV_CASES[case]
    force(monkeypatch, patches)
    dims, x, weight, bias, options = conv_inputs(**geometry, seed=len(case))
    dtype = geometry.get("dtype", np.float64)
    fast, _ = run_conv(FAST, dims, x, weight, bias, options)
    reference, _ = run_conv(REFERENCE, dims, x, weight, bias, options)
    for name, mine, theirs in zip(["output", "dx", "dW", "db"], fast, reference, strict=True):
        assert_same(mine, theirs, dtype, name)


@pytest.mark.parametrize("case", ["pointwise", "rebuilt-columns-compact-rows", "shared-columns"])
def test_fast_convolution_without_the_input_gradient_equals_the_reference(case, monkeypatch):
    geometry, patches = CONV_CASES[case]
    force(monkeypatch, patches)
    dims, x, weight, bias, options = conv_inputs(**geometry)
    fast, _ = run_conv(FAST, dims, x, weight, bias, options, input_grad=False)
    reference, _ = run_conv(REFERENCE, dims, x, weight, bias, options, input_grad=False)
    for name, mine, theirs in zip(["output", "dx", "dW", "db"], fast, reference, strict=True):
        assert_same(mine, theirs, np.float64, name)  # dx: None from both


def strategies(ctx, batch: int) -> set[str]:
    """The strategies the fast convolution took for ``ctx``, by name."""
    if type(ctx).__name__ == "PointwiseContext":
        return {"pointwise"}
    taken = {"full rows" if ctx.layout.full_rows else "compact rows"}
    taken.add("one-image chunks" if ctx.chunk == 1 < batch else "whole-batch chunks")
    padding = CONV_BACKWARD["_transposed_padding"](ctx)
    if padding is not None:
        shared = CONV_BACKWARD["input_rows"](ctx, padding) is not None
        taken.add("shared columns" if shared else "dx by convolution, dW from x's columns")
    elif ctx.layout.stride == (1, 1):
        taken.add("shifted col2im, direct" if ctx.padding_mode == "zeros" else "shifted col2im")
    else:
        taken.add("strided col2im")
    if padding is None or not shared:
        taken.add("kept columns" if ctx.cols is not None else "rebuilt columns")
    return taken


ALL_STRATEGIES = {
    "pointwise", "full rows", "compact rows", "one-image chunks", "whole-batch chunks",
    "shared columns", "dx by convolution, dW from x's columns", "shifted col2im, direct",
    "shifted col2im", "strided col2im", "kept columns", "rebuilt columns",
}  # fmt: skip


def test_the_cases_reach_every_strategy(monkeypatch):
    seen = set()
    for case, (geometry, patches) in CONV_CASES.items():
        with monkeypatch.context() as patch:
            force(patch, patches)
            dims, x, weight, bias, options = conv_inputs(**geometry)
            convolve = FAST.conv2d if dims == 2 else FAST.conv1d
            _, ctx = convolve(x, weight, bias, **options, scratch={})
            seen |= strategies(ctx, len(x))
    assert seen == ALL_STRATEGIES


@pytest.mark.parametrize("dims", [1, 2])
def test_an_empty_batch_convolves_to_an_empty_output_on_both_backends(dims):
    shape = (0, 3) + (8,) * dims
    weight = np.ones((4, 3) + (3,) * dims)
    for ops in (FAST, REFERENCE):
        (y, dx, dw, db), _ = run_conv(ops, dims, np.zeros(shape), weight, np.ones(4), {})
        assert y.shape == (0, 4) + (6,) * dims and dx.shape == shape
        np.testing.assert_array_equal(dw, np.zeros_like(weight))
        np.testing.assert_array_equal(db, np.zeros(4))


# -------------------------------------------------------------------------------- pooling
POOL_CASES = {
    "tiling-windows": (dict(kernel_size=2), (6, 3, 8, 10), {}),
    "windows-apart": (dict(kernel_size=2, stride=3), (6, 3, 9, 9), {}),
    "overlapping-padded": (dict(kernel_size=3, stride=2, padding=1), (6, 3, 9, 8), {}),
    "dilated": (dict(kernel_size=2, stride=1, dilation=2), (5, 2, 7, 7), {}),
    "one-image-blocks": (dict(kernel_size=2), (6, 3, 8, 8), {"CACHE_BLOCK_BYTES": 1}),
    "one-image-blocks-overlapping": (
        dict(kernel_size=3, stride=1, padding=1), (5, 2, 6, 6), {"CACHE_BLOCK_BYTES": 1}),
    "1d": (dict(kernel_size=3, stride=2), (4, 3, 15), {}),
}  # fmt: skip


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("case", list(POOL_CASES))
def test_fast_max_pooling_equals_the_reference(case, ties, threads, monkeypatch):
    arguments, shape, patches = POOL_CASES[case]
    force(monkeypatch, patches)
    window = PoolWindow.create(len(shape) - 2, **arguments)
    rng = np.random.default_rng(len(case))
    x = rng.integers(-2, 3, shape).astype(float) if ties else rng.standard_normal(shape)
    results = []
    for ops in (FAST, REFERENCE):
        y, ctx = ops.max_pool(x, window)
        grad = np.random.default_rng(1).standard_normal(y.shape)
        results.append((y, ops.max_pool_backward(grad, ctx)))
    for name, mine, theirs in zip(["output", "dx"], *results, strict=True):
        np.testing.assert_array_equal(mine, theirs, err_msg=name)  # no arithmetic: same bits


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_an_empty_batch_pools_to_an_empty_output_on_both_backends(kind):
    window = PoolWindow.create(2, 2)
    x = np.zeros((0, 3, 8, 8))
    for ops in (FAST, REFERENCE):
        pool, backward = (ops.max_pool, ops.max_pool_backward) if kind == "max" else (
            ops.avg_pool, ops.avg_pool_backward)  # fmt: skip
        y, ctx = pool(x, window)
        assert y.shape == (0, 3, 4, 4)
        assert backward(np.zeros(y.shape), ctx).shape == x.shape


# ---------------------------------------------------------------- ReLU, linear, batch norm
@pytest.mark.parametrize("layout", ["contiguous", "strided"])
def test_fast_relu_equals_the_reference(layout, threads, monkeypatch):
    monkeypatch.setitem(ACTIVATIONS, "BLOCK_ELEMENTS", 50)  # several blocks of work
    x = np.random.default_rng(3).standard_normal((4, 3, 10, 12)).astype(np.float32)
    x[0, 0, 0, :3] = 0.0  # the gradient at zero is zero
    if layout == "strided":
        x = x[:, :, ::2]  # not contiguous: the plain np.maximum
    grad = np.random.default_rng(4).standard_normal(x.shape).astype(np.float32)
    y = FAST.relu(x)
    np.testing.assert_array_equal(y, REFERENCE.relu(x))
    np.testing.assert_array_equal(FAST.relu_backward(grad, y), REFERENCE.relu_backward(grad, y))
    in_place = x.copy()
    assert FAST.relu_in_place(in_place) and not REFERENCE.relu_in_place(x.copy())
    np.testing.assert_array_equal(in_place, y)


def test_fast_add_in_place_writes_the_same_sum_over_its_first_operand():
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((2, 3, 5, 5)).astype(np.float32), rng.standard_normal((2, 3, 5, 5))
    b = b.astype(np.float32)
    total = a.copy()
    assert FAST.add_in_place(total, b) and not REFERENCE.add_in_place(a.copy(), b)
    np.testing.assert_array_equal(total, np.add(a, b))  # the same bits as a new sum


@pytest.mark.parametrize(
    "other",
    [np.ones((3, 1, 1), np.float32), np.ones((2, 3, 5, 5)), 1.0],
    ids=["broadcast", "wider-dtype", "scalar"],
)
def test_fast_add_in_place_refuses_a_sum_of_another_shape_or_dtype(other):
    a = np.zeros((2, 3, 5, 5), np.float32)
    assert not FAST.add_in_place(a, other)
    assert not a.any()  # left as it was


@pytest.mark.parametrize("shape", [(7, 20), (3, 4, 20)], ids=["2d", "3d"])
def test_fast_linear_equals_the_reference(shape, threads, monkeypatch):
    monkeypatch.setitem(LINEAR, "FEATURES_PER_CHUNK", 1)  # every thread gets features
    rng = np.random.default_rng(5)
    x, w, b = rng.standard_normal(shape), rng.standard_normal((9, 20)), rng.standard_normal(9)
    y = FAST.linear(x, w, b)
    assert_same(y, REFERENCE.linear(x, w, b), name="output")
    grad = rng.standard_normal(y.shape)
    for flag in (True, False):
        fast = FAST.linear_backward(grad, x, w, True, flag)
        reference = REFERENCE.linear_backward(grad, x, w, True, flag)
        for name, mine, theirs in zip(["dx", "dW", "db"], fast, reference, strict=True):
            assert_same(mine, theirs, name=name)


BN_SHAPES = {"4d": (5, 3, 6, 7), "4d-one-image": (1, 3, 6, 7), "3d": (4, 3, 9), "2d": (8, 3)}


@pytest.mark.parametrize("affine", [True, False], ids=["affine", "plain"])
@pytest.mark.parametrize("shape", list(BN_SHAPES))
def test_fast_batch_norm_equals_the_reference(shape, affine, monkeypatch):
    rng = np.random.default_rng(6)
    x = rng.normal(2.0, 3.0, BN_SHAPES[shape])
    weight, bias = (rng.standard_normal(3), rng.standard_normal(3)) if affine else (None, None)
    grad = rng.standard_normal(x.shape)
    fast = FAST.batch_norm_train(x, weight, bias)
    reference = REFERENCE.batch_norm_train(x, weight, bias)
    for name, mine, theirs in zip(["y", "xhat", "invstd", "mean", "var"], fast, reference):
        assert_same(mine, theirs, name=name)
    backward = [ops.batch_norm_train_backward(grad, r[1], r[2], weight) for ops, r in
                ((FAST, fast), (REFERENCE, reference))]  # fmt: skip
    for name, mine, theirs in zip(["dx", "dW", "db"], *backward, strict=True):
        assert_same(mine, theirs, name=name)
    mean, var = rng.standard_normal(3), rng.uniform(0.5, 2.0, 3)
    for grid in (1 << 20, 0):  # per-channel grids, then the broadcast view
        force(monkeypatch, {"GRID_MAX_ELEMENTS": grid})
        expected = REFERENCE.batch_norm_eval(x, mean, var, weight, bias)
        assert_same(FAST.batch_norm_eval(x, mean, var, weight, bias), expected, name="eval")
        in_place = x.copy()
        assert FAST.batch_norm_eval_in_place(in_place, mean, var, weight, bias)
        assert_same(in_place, expected, name="eval in place")
    for name, mine, theirs in zip(
        ["dx", "dW", "db"],
        FAST.batch_norm_eval_backward(grad, x, mean, var, weight),
        REFERENCE.batch_norm_eval_backward(grad, x, mean, var, weight),
        strict=True,
    ):
        assert_same(mine, theirs, name=f"eval {name}")
