"""backward_parameters: the parameter gradients of backward, without the input gradient."""

import numpy as np
import pytest

from cnnlab import functional as F
from cnnlab import nn
from cnnlab.models import lenet5


def gradients(model):
    return {name: p.grad.copy() for name, p in model.named_parameters()}


@pytest.mark.parametrize(
    "build, shape",
    [
        (lambda: lenet5(rng=0), (3, 1, 28, 28)),
        (
            lambda: nn.Sequential(
                nn.Conv1d(2, 4, 5, stride=2, rng=0),
                nn.ReLU(),
                nn.Flatten(),
                nn.Linear(32, 3, rng=1),
            ),
            (3, 2, 19),
        ),
        (lambda: nn.Sequential(nn.Linear(5, 4, rng=0), nn.Tanh(), nn.Linear(4, 2, rng=1)), (6, 5)),
        (lambda: nn.Sequential(nn.Tanh(), nn.Linear(5, 2, rng=1)), (6, 5)),
    ],
    ids=["lenet5", "conv1d first", "linear first", "activation first"],
)
def test_parameter_gradients_equal_those_of_backward(build, shape):
    x = np.random.default_rng(1).standard_normal(shape)
    full, fast = build(), build()
    grad_out = np.cos(full(x))
    full.backward(grad_out)
    fast(x)
    assert fast.backward_parameters(grad_out) is None
    expected, found = gradients(full), gradients(fast)
    assert expected.keys() == found.keys()
    for name in expected:
        np.testing.assert_array_equal(found[name], expected[name], err_msg=name)


def test_conv_backward_without_input_gradient_returns_none_and_the_same_weights():
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((2, 3, 8, 8)), rng.standard_normal((4, 3, 3, 3)), np.ones(4)
    y, ctx = F.conv2d(x, w, b, padding=1)
    grad_x, grad_w, grad_b = F.conv_backward(np.sin(y), ctx)
    none, grad_w2, grad_b2 = F.conv_backward(np.sin(y), ctx, input_grad=False)
    assert none is None and grad_x.shape == x.shape
    np.testing.assert_array_equal(grad_w2, grad_w)
    np.testing.assert_array_equal(grad_b2, grad_b)


def test_backward_parameters_before_forward_says_so():
    with pytest.raises(RuntimeError, match="without a forward"):
        nn.Conv2d(1, 1, 3).backward_parameters(np.zeros((1, 1, 1, 1)))
