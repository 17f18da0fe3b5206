"""BatchNorm1d and BatchNorm2d against PyTorch, finite differences, and what they show."""

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import TORCH_DTYPES, assert_matches_torch
from cnnlab.nn import BatchNorm1d, BatchNorm2d, Sequential

DTYPES = [np.float32, np.float64]
# (our class, torch's class, input shape); channels are always 3.
CASES = {
    "1d-batch": (BatchNorm1d, torch.nn.BatchNorm1d, (5, 3)),
    "1d-sequence": (BatchNorm1d, torch.nn.BatchNorm1d, (4, 3, 6)),
    "1d-sequence-batch-of-one": (BatchNorm1d, torch.nn.BatchNorm1d, (1, 3, 6)),
    "2d": (BatchNorm2d, torch.nn.BatchNorm2d, (4, 3, 5, 5)),
    "2d-odd-sizes": (BatchNorm2d, torch.nn.BatchNorm2d, (3, 3, 7, 1)),
    "2d-batch-of-one": (BatchNorm2d, torch.nn.BatchNorm2d, (1, 3, 4, 4)),
}
OPTIONS = {
    "default": {},
    "no-affine": {"affine": False},
    "cumulative-momentum": {"momentum": None},
    "no-running-stats": {"track_running_stats": False},
    "no-bias": {"bias": False},
}


def batch(shape, seed):
    """Inputs whose channels have different means and spreads, so a mistake shows."""
    rng = np.random.default_rng(seed)
    channels = np.arange(1, shape[1] + 1).reshape((1, -1) + (1,) * (len(shape) - 2))
    return 2.0 * channels + channels * rng.standard_normal(shape)


def make_pair(name, options, seed=0):
    ours, theirs, shape = CASES[name]
    layer = ours(3, **options)
    rng = np.random.default_rng(seed)
    if layer.weight is not None:  # away from the ones/zeros defaults
        layer.weight.data[:] = rng.uniform(0.5, 2.0, 3)
    if layer.bias is not None:
        layer.bias.data[:] = rng.standard_normal(3)
    return layer, theirs(3, **options), shape


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_batchnorm_matches_torch_in_train_then_eval_mode(on_backend, dtype, name, option):
    layer, torch_layer, shape = make_pair(name, OPTIONS[option])
    for step in range(3):  # the helper also compares the running statistics each time
        torch_layer.zero_grad()  # the helper zeroes only our gradients
        assert_matches_torch(layer.train(), torch_layer, batch(shape, step), dtype, seed=step)
    torch_layer.zero_grad()
    assert_matches_torch(layer.eval(), torch_layer, batch(shape, 9), dtype)


@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
@pytest.mark.parametrize("dtype", DTYPES)
def test_running_statistics_follow_torch_over_several_batches(on_backend, dtype, momentum):
    ours = BatchNorm2d(3, momentum=momentum, dtype=dtype)
    theirs = torch.nn.BatchNorm2d(3, momentum=momentum)
    theirs.to(TORCH_DTYPES[np.dtype(dtype)])
    for step in range(4):
        x = batch((2, 3, 4, 5), step).astype(dtype)
        ours(x)
        theirs(torch.from_numpy(x))
    state = ours.state_dict()
    assert list(state) == list(theirs.state_dict())
    for name, value in theirs.state_dict().items():
        tol = 1e-6 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(state[name], value.numpy(), rtol=tol, err_msg=name)
    assert ours.num_batches_tracked.shape == () and ours.num_batches_tracked == 4
    assert ours.num_batches_tracked.dtype == np.int64


@pytest.mark.parametrize("option", ["default", "no-affine", "no-bias"])
@pytest.mark.parametrize("name", CASES)
def test_batchnorm_train_gradients_match_finite_differences(on_backend, name, option):
    layer, _, shape = make_pair(name, OPTIONS[option], seed=1)
    check_gradients(layer, batch(shape, 2))


@pytest.mark.parametrize("name", ["1d-batch", "2d"])
def test_batchnorm_eval_gradients_match_finite_differences(on_backend, name):
    layer, _, shape = make_pair(name, {}, seed=1)
    layer.running_mean[:] = [0.5, -1.0, 2.0]
    layer.running_var[:] = [0.5, 2.0, 4.0]
    check_gradients(layer.eval(), batch(shape, 3))


def test_train_mode_output_has_zero_mean_and_unit_variance_per_channel():
    x = batch((8, 3, 6, 6), 0).astype(np.float32)
    y = BatchNorm2d(3)(x)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0.0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1.0, rtol=1e-3)


def test_eval_mode_uses_the_running_statistics_not_the_batch():
    layer = BatchNorm1d(2, eps=0.0)
    layer.running_mean[:] = [1.0, -2.0]
    layer.running_var[:] = [4.0, 0.25]
    x = np.array([[3.0, -2.0], [5.0, -1.0]], dtype=np.float32)
    y = layer.eval()(x)
    np.testing.assert_allclose(y, [[1.0, 0.0], [2.0, 2.0]])
    assert layer.num_batches_tracked == 0


@pytest.mark.parametrize("shape", [(1, 3, 5, 4), (6, 3, 5, 4), (6, 3, 7), (6, 3)])
def test_eval_mode_is_x_times_scale_plus_shift_to_the_bit_for_any_batch(shape):
    from cnnlab.backend.fast.normalization import batch_norm_eval

    rng = np.random.default_rng(4)
    x = rng.standard_normal(shape).astype(np.float32)
    mean, var, weight, bias = rng.standard_normal((4, 3)).astype(np.float32)
    var = np.abs(var)
    scale = np.float32(1.0) / np.sqrt(var + np.float32(1e-5)) * weight
    shift = -mean * scale + bias
    per_channel = (-1,) + (1,) * (x.ndim - 2)
    expected = x * scale.reshape(per_channel) + shift.reshape(per_channel)
    np.testing.assert_array_equal(batch_norm_eval(x, mean, var, weight, bias), expected)


def test_train_mode_input_gradient_sums_to_zero_per_channel():
    layer = BatchNorm2d(3)
    x = batch((2, 3, 4, 4), 1)
    layer.to(np.float64)(x)
    grad = layer.backward(np.random.default_rng(0).standard_normal(x.shape))
    np.testing.assert_allclose(grad.sum(axis=(0, 2, 3)), 0.0, atol=1e-12)


def test_state_dict_keys_and_repr_match_torch():
    for ours, theirs in [
        (BatchNorm2d(16), torch.nn.BatchNorm2d(16)),
        (
            BatchNorm1d(4, momentum=None, affine=False),
            torch.nn.BatchNorm1d(4, momentum=None, affine=False),
        ),
        (
            BatchNorm1d(4, track_running_stats=False),
            torch.nn.BatchNorm1d(4, track_running_stats=False),
        ),
        (BatchNorm2d(4, bias=False), torch.nn.BatchNorm2d(4, bias=False)),
    ]:
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert repr(ours) == repr(theirs)


def test_torch_state_loads_into_our_layer():
    theirs = torch.nn.BatchNorm2d(3)
    theirs(torch.from_numpy(batch((2, 3, 4, 4), 0).astype(np.float32)))
    ours = BatchNorm2d(3)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    np.testing.assert_array_equal(ours.running_mean, theirs.running_mean.numpy())
    assert ours.num_batches_tracked == 1 and ours.num_batches_tracked.dtype == np.int64


def test_to_float64_keeps_the_batch_counter_an_integer():
    layer = BatchNorm1d(3).to(np.float64)
    assert layer.running_var.dtype == np.float64 and layer.num_batches_tracked.dtype == np.int64


def test_channel_mismatch_names_expected_and_received():
    with pytest.raises(
        ValueError,
        match=r"^BatchNorm2d expected 16 channels on axis 1 of \(N, C, H, W\)\. "
        r"Received: input with shape \(8, 6, 10, 10\)",
    ):
        BatchNorm2d(16)(np.zeros((8, 6, 10, 10), dtype=np.float32))


def test_channel_mismatch_inside_sequential_names_the_layer():
    with pytest.raises(ValueError, match=r"^layer 0 \(BatchNorm1d\(4, eps=1e-05"):
        Sequential(BatchNorm1d(4))(np.zeros((2, 3), dtype=np.float32))


@pytest.mark.parametrize(
    "layer, shape, text",
    [(BatchNorm2d(3), (2, 3, 4), "4 dimensions"), (BatchNorm1d(3), (2, 3, 4, 4), "2 or 3")],
)
def test_wrong_number_of_dimensions_is_refused(layer, shape, text):
    with pytest.raises(ValueError, match=rf"`input` must have {text}"):
        layer(np.zeros(shape))


def test_training_on_a_single_value_per_channel_is_refused():
    with pytest.raises(ValueError, match=r"needs more than 1 value per channel"):
        BatchNorm1d(3)(np.ones((1, 3)))
    BatchNorm1d(3).eval()(np.ones((1, 3)))  # fine with running statistics


def test_integer_input_is_normalised_in_the_parameter_dtype():
    y = BatchNorm1d(2)(np.array([[0, 10], [2, 20]], dtype=np.uint8))
    assert y.dtype == np.float32
