"""ELU and GELU against torch, by finite differences, and what they show."""

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab.nn import ELU, GELU

LAYERS = {
    "elu": (lambda: ELU(), lambda: torch.nn.ELU()),
    "elu_alpha_0.5": (lambda: ELU(alpha=0.5), lambda: torch.nn.ELU(alpha=0.5)),
    "gelu": (lambda: GELU(), lambda: torch.nn.GELU()),
    "gelu_tanh": (lambda: GELU("tanh"), lambda: torch.nn.GELU(approximate="tanh")),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("shape", [(4, 3, 5, 5), (1, 7)], ids=["maps", "vector"])
def test_matches_torch(name, dtype, shape):
    ours, theirs = LAYERS[name]
    x = 3 * np.random.default_rng(0).standard_normal(shape)
    assert_matches_torch(ours(), theirs(), x, dtype)


@pytest.mark.parametrize("name", LAYERS)
def test_gradient_matches_finite_differences(name):
    x = 2 * np.random.default_rng(1).standard_normal((2, 3, 4))
    check_gradients(LAYERS[name][0](), x)


def test_float64_relative_error_against_torch_is_below_1e_7():
    x = np.linspace(-8, 8, 2001)
    for name, (ours, theirs) in LAYERS.items():
        x_torch = torch.tensor(x, requires_grad=True)
        y_torch = theirs()(x_torch)
        y_torch.sum().backward()
        layer = ours()
        y = layer(x)
        grad = layer.backward(np.ones_like(x))
        # relative 1e-7; in the far negative tail both round 1 + tanh(u) to a few ulps
        np.testing.assert_allclose(y, y_torch.detach().numpy(), rtol=1e-7, atol=1e-14)
        np.testing.assert_allclose(grad, x_torch.grad.numpy(), rtol=1e-7, atol=1e-14)


def test_elu_saturates_at_minus_alpha_and_is_the_identity_above_zero():
    y = ELU(alpha=2.0)(np.array([-50.0, 0.0, 3.0]))
    np.testing.assert_allclose(y, [-2.0, 0.0, 3.0])


def test_gelu_is_x_times_the_normal_cdf_and_the_tanh_form_is_close():
    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    exact, approx = GELU()(x), GELU("tanh")(x)
    np.testing.assert_allclose(exact, x * 0.5 * (1 + torch.erf(torch.tensor(x) / 2**0.5)).numpy())
    assert np.max(np.abs(exact - approx)) < 1e-3 and not np.array_equal(exact, approx)


def test_options_are_checked_and_shown():
    with pytest.raises(ValueError, match=r"`approximate` must be one of .*Received: approximate="):
        GELU("erf")
    assert repr(ELU()) == "ELU(alpha=1.0)" and repr(GELU()) == "GELU()"


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"GELU.backward\(\) was called without a forward"):
        GELU().backward(np.ones(2))
