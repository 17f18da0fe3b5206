"""Activation layers against PyTorch, float64 finite differences, and what they show."""

import warnings

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab import nn

DTYPES = [np.float32, np.float64]
PAIRS = {
    "relu": (lambda: nn.ReLU(), lambda: torch.nn.ReLU()),
    "leaky_relu": (lambda: nn.LeakyReLU(), lambda: torch.nn.LeakyReLU()),
    "leaky_relu_0.2": (lambda: nn.LeakyReLU(0.2), lambda: torch.nn.LeakyReLU(0.2)),
    "sigmoid": (lambda: nn.Sigmoid(), lambda: torch.nn.Sigmoid()),
    "tanh": (lambda: nn.Tanh(), lambda: torch.nn.Tanh()),
    "softmax_dim1": (lambda: nn.Softmax(dim=1), lambda: torch.nn.Softmax(dim=1)),
    "softmax_dim0": (lambda: nn.Softmax(dim=0), lambda: torch.nn.Softmax(dim=0)),
    "softmax_last": (lambda: nn.Softmax(dim=-1), lambda: torch.nn.Softmax(dim=-1)),
    "log_softmax_dim1": (lambda: nn.LogSoftmax(dim=1), lambda: torch.nn.LogSoftmax(dim=1)),
    "log_softmax_last": (lambda: nn.LogSoftmax(dim=-1), lambda: torch.nn.LogSoftmax(dim=-1)),
}


@pytest.mark.parametrize("shape", [(2, 3, 5, 4), (1, 10)], ids=["nchw", "batch-of-one"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", PAIRS)
def test_activation_matches_torch(on_backend, name, dtype, shape):
    ours, theirs = PAIRS[name]
    x = 3 * np.random.default_rng(0).standard_normal(shape)
    assert_matches_torch(ours(), theirs(), x, dtype)


@pytest.mark.parametrize("name", PAIRS)
def test_activation_gradient_matches_finite_differences(on_backend, name):
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU's kink away from the finite differences
    check_gradients(PAIRS[name][0](), x)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softmax_dim1", "log_softmax_dim1"])
def test_activation_matches_torch_for_huge_inputs(on_backend, name):
    ours, theirs = PAIRS[name]
    x = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]])
    assert_matches_torch(ours(), theirs(), x, np.float32)


def test_relu_gradient_is_zero_for_negative_inputs():
    relu = nn.ReLU()
    relu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
    np.testing.assert_array_equal(relu.backward(np.ones(5)), [0.0, 0.0, 0.0, 1.0, 1.0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_over_many_blocks_matches_torch_bit_for_bit_in_and_out_of_place(dtype):
    from cnnlab.backend.fast.activations import BLOCK_ELEMENTS, relu

    x = np.random.default_rng(3).standard_normal(2 * BLOCK_ELEMENTS + 7).astype(dtype)
    x[:4] = [-0.0, np.nan, -np.inf, np.inf]
    expected = torch.relu(torch.from_numpy(x)).numpy()
    for _ in range(2):  # the shared block of zeros is still zeros the second time
        np.testing.assert_array_equal(relu(x), expected)
    assert not np.signbit(relu(x)[0])  # relu(-0.0) is +0.0, as in torch
    relu(x, out=x)
    np.testing.assert_array_equal(x, expected)


def test_leaky_relu_lets_a_fraction_of_the_gradient_through_for_negative_inputs():
    layer = nn.LeakyReLU(0.1)
    layer(np.array([-2.0, 3.0]))
    np.testing.assert_allclose(layer.backward(np.ones(2)), [0.1, 1.0])


def test_sigmoid_of_plus_minus_1000_is_finite_without_warnings():
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        for dtype in DTYPES:
            y = nn.Sigmoid()(np.array([-1000.0, 1000.0], dtype=dtype))
            np.testing.assert_array_equal(y, [0.0, 1.0])


def test_softmax_rows_sum_to_one_and_ignore_an_added_constant():
    x = np.random.default_rng(2).standard_normal((4, 7))
    softmax = nn.Softmax(dim=1)
    p = softmax(x)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(softmax(x + 123.0), p, rtol=1e-12)


def test_log_softmax_stays_finite_for_logits_of_1000():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = nn.LogSoftmax(dim=1)(np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 1000.0]]))
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y[0], [0.0, -1000.0, -2000.0])
    np.testing.assert_allclose(y[1], -np.log(3.0))


@pytest.mark.parametrize(
    "layer",
    [nn.ReLU(), nn.LeakyReLU(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=1), nn.LogSoftmax(dim=1)],
)
def test_activations_keep_float32_in_forward_and_backward(layer):
    x = np.random.default_rng(3).standard_normal((2, 5)).astype(np.float32)
    y = layer(x)
    assert y.dtype == np.float32
    assert layer.backward(np.ones_like(y)).dtype == np.float32


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        (nn.ReLU(), "ReLU()"),
        (nn.LeakyReLU(0.2), "LeakyReLU(negative_slope=0.2)"),
        (nn.Softmax(dim=1), "Softmax(dim=1)"),
        (nn.LogSoftmax(dim=-1), "LogSoftmax(dim=-1)"),
    ],
)
def test_repr_names_the_settings(layer, expected):
    assert repr(layer) == expected


@pytest.mark.parametrize("layer_type", [nn.Softmax, nn.LogSoftmax])
def test_softmax_needs_an_explicit_dim(layer_type):
    with pytest.raises(ValueError, match=rf"{layer_type.__name__} needs an explicit `dim`"):
        layer_type()


def test_softmax_refuses_a_dim_the_input_does_not_have():
    with pytest.raises(
        ValueError,
        match=r"`dim` must be an axis of an input with 2 dimensions, "
        r"in \[-2, 1\]. Received: dim=2.",
    ):
        nn.Softmax(dim=2)(np.zeros((3, 4)))


def test_leaky_relu_refuses_a_slope_that_is_not_a_number():
    with pytest.raises(TypeError, match="`negative_slope` must be a finite real number"):
        nn.LeakyReLU("0.1")


def test_activations_offer_no_inplace_flag():
    with pytest.raises(TypeError):
        nn.ReLU(inplace=True)
