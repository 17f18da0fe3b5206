"""Linear against PyTorch, float64 finite differences, and what it shows."""

import math

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab.nn import Linear, ReLU, Sequential

DTYPES = [np.float32, np.float64]
SHAPES = {
    "batch": (4, 7),
    "batch-of-one": (1, 7),
    "extra-leading-axes": (2, 3, 7),
    "unbatched": (7,),
}


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no-bias"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_matches_torch(on_backend, dtype, shape, bias):
    x = np.random.default_rng(0).standard_normal(shape)
    assert_matches_torch(Linear(7, 5, bias=bias, rng=1), torch.nn.Linear(7, 5, bias=bias), x, dtype)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no-bias"])
@pytest.mark.parametrize("shape", [(3, 6), (1, 6), (2, 2, 6)], ids=["batch", "one", "3-d"])
def test_linear_gradients_match_finite_differences(on_backend, shape, bias):
    check_gradients(Linear(6, 4, bias=bias, rng=2), np.random.default_rng(3).standard_normal(shape))


def test_linear_initialisation_follows_pytorch_bounds():
    layer = Linear(400, 120, rng=0)
    bound = 1 / math.sqrt(400)
    for parameter in (layer.weight, layer.bias):
        assert np.abs(parameter.data).max() <= bound
        # A uniform draw of thousands of values comes close to both ends of the interval.
        assert parameter.data.max() > 0.9 * bound and parameter.data.min() < -0.9 * bound
    assert layer.weight.shape == (120, 400) and layer.bias.shape == (120,)


def test_linear_with_the_same_seed_draws_the_same_weights():
    a, b, c = Linear(5, 3, rng=7), Linear(5, 3, rng=7), Linear(5, 3, rng=8)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert not np.array_equal(a.weight.data, c.weight.data)


def test_linear_feature_mismatch_names_expected_and_received_shape():
    with pytest.raises(
        ValueError,
        match=r"^expected 400 input features\. Received: input with shape \(64, 256\)",
    ):
        Linear(400, 120, rng=0)(np.zeros((64, 256), dtype=np.float32))


def test_linear_feature_mismatch_inside_sequential_names_the_layer():
    net = Sequential(Linear(256, 400, rng=0), ReLU(), Linear(300, 120, rng=0))
    with pytest.raises(
        ValueError,
        match=r"^layer 2 \(Linear\(300 -> 120\)\) in Sequential: expected 300 input features\. "
        r"Received: input with shape \(64, 400\)",
    ):
        net(np.zeros((64, 256), dtype=np.float32))


def test_linear_refuses_a_scalar_input():
    with pytest.raises(ValueError, match="expected 3 input features"):
        Linear(3, 2, rng=0)(np.float32(1.0))


def test_linear_repr_and_state_dict_keys_follow_pytorch():
    assert repr(Linear(400, 120, rng=0)) == "Linear(400 -> 120)"
    assert repr(Linear(3, 2, bias=False, rng=0)) == "Linear(3 -> 2, bias=False)"
    assert list(Linear(3, 2, rng=0).state_dict()) == list(torch.nn.Linear(3, 2).state_dict())
    assert list(Linear(3, 2, bias=False, rng=0).state_dict()) == ["weight"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_keeps_the_parameter_dtype(dtype):
    layer = Linear(4, 3, rng=0, dtype=dtype)
    assert layer.weight.dtype == dtype and layer.bias.dtype == dtype
    assert layer(np.ones((2, 4), dtype=dtype)).dtype == dtype


def test_linear_computes_integer_inputs_in_the_weight_dtype():
    layer = Linear(4, 3, rng=0)
    y = layer(np.arange(8, dtype=np.uint8).reshape(2, 4))
    assert y.dtype == np.float32
    assert layer.backward(np.ones_like(y)).dtype == np.float32


def test_linear_backward_accumulates_parameter_gradients():
    layer = Linear(3, 2, rng=0)
    x = np.ones((5, 3), dtype=np.float32)
    for _ in range(2):
        layer(x)
        layer.backward(np.ones((5, 2), dtype=np.float32))
    np.testing.assert_allclose(layer.bias.grad, [10.0, 10.0])
    np.testing.assert_allclose(layer.weight.grad, np.full((2, 3), 10.0))


def test_linear_rejects_non_positive_sizes():
    with pytest.raises(ValueError, match=r"`in_features` must be a positive int\. Received"):
        Linear(0, 3)
