"""Dropout: its statistics, its gradient routing, and its identity outside training.

PyTorch draws its masks from its own generator, so only the evaluation mode (and p = 0)
can be compared value by value; the training mode is checked by what it must do.
"""

import math

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab.nn import Dropout, Linear, Sequential

DTYPES = [np.float32, np.float64]
UNITS = 200_000


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_keeps_the_expected_value(p):
    x = np.ones(UNITS, dtype=np.float32)
    y = Dropout(p, rng=0)(x)
    # Each unit is 1/(1-p) with probability 1-p, else 0: mean 1, variance p/(1-p).
    tolerance = 5 * math.sqrt(p / (1 - p) / UNITS)
    assert abs(y.mean(dtype=np.float64) - 1.0) < tolerance


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_zeroes_a_fraction_p_and_scales_the_rest(p):
    y = Dropout(p, rng=1)(np.ones(UNITS, dtype=np.float32))
    dropped = np.mean(y == 0)
    assert abs(dropped - p) < 5 * math.sqrt(p * (1 - p) / UNITS)
    np.testing.assert_allclose(y[y != 0], 1 / (1 - p), rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dropout_in_eval_mode_is_the_identity_like_torch(dtype):
    x = np.random.default_rng(0).standard_normal((3, 4, 5))
    assert_matches_torch(Dropout(0.3, rng=0).eval(), torch.nn.Dropout(0.3), x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dropout_with_p_zero_is_the_identity_in_training_like_torch(dtype):
    x = np.random.default_rng(0).standard_normal((1, 7))
    assert_matches_torch(Dropout(0.0, rng=0), torch.nn.Dropout(0.0), x, dtype)


def test_eval_mode_reaches_dropout_inside_a_sequential():
    net = Sequential(Linear(4, 4, rng=0), Dropout(0.5, rng=0)).eval()
    x = np.ones((2, 4), dtype=np.float32)
    np.testing.assert_array_equal(net(x), net[0](x))


def test_dropped_units_get_zero_gradient_and_kept_units_the_scaled_gradient():
    layer = Dropout(0.25, rng=3)
    y = layer(np.ones((8, 50)))
    grad = layer.backward(np.full((8, 50), 2.0))
    np.testing.assert_array_equal(grad[y == 0], 0.0)
    np.testing.assert_allclose(grad[y != 0], 2.0 / 0.75)
    assert (y == 0).any() and (y != 0).any()


@pytest.mark.parametrize("shape", [(4, 6), (1, 3, 4, 4)], ids=["batch", "batch-of-one-nchw"])
def test_dropout_gradient_matches_finite_differences(on_backend, shape):
    layer = Dropout(0.4)

    def same_mask_every_pass():
        layer.rng = np.random.default_rng(5)

    x = np.random.default_rng(6).standard_normal(shape)
    check_gradients(layer, x, before_forward=same_mask_every_pass)


def test_the_same_seed_drops_the_same_units():
    x = np.ones((10, 10), dtype=np.float32)
    np.testing.assert_array_equal(Dropout(0.5, rng=4)(x), Dropout(0.5, rng=4)(x))


def test_each_forward_pass_draws_a_new_mask():
    layer = Dropout(0.5, rng=4)
    x = np.ones((10, 10), dtype=np.float32)
    assert not np.array_equal(layer(x), layer(x))


@pytest.mark.parametrize("dtype", DTYPES)
def test_dropout_keeps_the_input_dtype(dtype):
    layer = Dropout(0.5, rng=0)
    y = layer(np.ones((3, 3), dtype=dtype))
    assert y.dtype == dtype and layer.backward(np.ones_like(y)).dtype == dtype


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_dropout_refuses_p_outside_zero_to_one(p):
    with pytest.raises(
        ValueError, match=rf"^`p` must be a probability in \[0, 1\)\. Received: p={p}\.$"
    ):
        Dropout(p)


def test_dropout_refuses_a_p_that_is_not_a_number():
    with pytest.raises(
        TypeError, match=r"`p` must be a probability in \[0, 1\)\. Received: p='0.5'"
    ):
        Dropout("0.5")


def test_dropout_repr_shows_p():
    assert repr(Dropout(0.25)) == "Dropout(p=0.25)"


def test_dropout_of_integer_input_scales_in_float32():
    y = Dropout(0.3, rng=0)(np.ones(100, dtype=np.int64))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y[y != 0], 1 / 0.7, rtol=1e-6)
