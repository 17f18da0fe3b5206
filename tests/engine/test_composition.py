"""Networks with branches get their backward from the record, equal to torch autograd.

Each architecture is written twice with the same attribute names, once as a cnnlab
``Module`` with only a ``forward`` and once as a ``torch.nn.Module``; the weights are
copied across and every gradient compared in float64.
"""

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab import nn
from cnnlab.nn import ops

T = torch.nn


class TwoBranches(nn.Module):
    """Two convolutions of the same input, added."""

    def __init__(self):
        super().__init__()
        self.left = nn.Conv2d(2, 3, 3, padding=1, rng=0)
        self.right = nn.Conv2d(2, 3, 1, rng=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(ops.add(self.left(x), self.right(x)))


class TorchTwoBranches(T.Module):
    def __init__(self):
        super().__init__()
        self.left, self.right, self.relu = T.Conv2d(2, 3, 3, padding=1), T.Conv2d(2, 3, 1), T.ReLU()

    def forward(self, x):
        return self.relu(self.left(x) + self.right(x))


class Dense(nn.Module):
    """DenseNet's connections: each layer sees every earlier output, concatenated."""

    def __init__(self):
        super().__init__()
        self.first = nn.Conv2d(2, 2, 3, padding=1, rng=0)
        self.second = nn.Conv2d(4, 2, 3, padding=1, rng=1)
        self.third = nn.Conv2d(6, 3, 1, rng=2)

    def forward(self, x):
        a = self.first(x)
        b = self.second(ops.concatenate([x, a]))
        return self.third(ops.concatenate([x, a, b], axis=1))


class TorchDense(T.Module):
    def __init__(self):
        super().__init__()
        self.first, self.second = T.Conv2d(2, 2, 3, padding=1), T.Conv2d(4, 2, 3, padding=1)
        self.third = T.Conv2d(6, 3, 1)

    def forward(self, x):
        a = self.first(x)
        b = self.second(torch.cat([x, a], 1))
        return self.third(torch.cat([x, a, b], 1))


class SharedLayer(nn.Module):
    """One convolution applied twice (its weights used twice), with a ReLU between."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1, rng=0)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.conv(self.relu(self.conv(x)))


class TorchSharedLayer(T.Module):
    def __init__(self):
        super().__init__()
        self.conv, self.relu = T.Conv2d(2, 2, 3, padding=1), T.ReLU()

    def forward(self, x):
        return self.conv(self.relu(self.conv(x)))


class LongSkip(nn.Module):
    """A skip over four layers (the input is kept and added at the end), then a head."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(2, 4, 3, padding=1, rng=0), nn.BatchNorm2d(4), nn.ReLU(),
            nn.Conv2d(4, 2, 3, padding=1, rng=1),
        )  # fmt: skip
        self.head = nn.Linear(2 * 5 * 5, 3, rng=2)

    def forward(self, x):
        return self.head(ops.flatten(ops.add(x, self.body(x))))


class TorchLongSkip(T.Module):
    def __init__(self):
        super().__init__()
        self.body = T.Sequential(
            T.Conv2d(2, 4, 3, padding=1), T.BatchNorm2d(4), T.ReLU(), T.Conv2d(4, 2, 3, padding=1)
        )
        self.head = T.Linear(50, 3)

    def forward(self, x):
        return self.head(torch.flatten(x + self.body(x), 1))


class Loop(nn.Module):
    """One residual block called three times in a Python loop (weights shared)."""

    def __init__(self):
        super().__init__()
        self.block = nn.Residual(nn.Sequential(nn.Conv2d(2, 2, 3, padding=1, rng=0), nn.Tanh()))

    def forward(self, x):
        for _ in range(3):
            x = self.block(x)
        return x


class TorchResidual(T.Module):
    def __init__(self, main):
        super().__init__()
        self.main = main

    def forward(self, x):
        return self.main(x) + x


class TorchLoop(T.Module):
    def __init__(self):
        super().__init__()
        self.block = TorchResidual(T.Sequential(T.Conv2d(2, 2, 3, padding=1), T.Tanh()))

    def forward(self, x):
        for _ in range(3):
            x = self.block(x)
        return x


class SqueezeExcite(nn.Module):
    """Squeeze-and-excitation: channel weights from the global mean, times the map."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1, rng=0)
        self.fc1, self.relu = nn.Linear(4, 2, rng=1), nn.ReLU()
        self.fc2, self.gate = nn.Linear(2, 4, rng=2), nn.Sigmoid()

    def forward(self, x):
        y = self.conv(x)
        weights = self.gate(self.fc2(self.relu(self.fc1(ops.mean(y, axis=(2, 3))))))
        return ops.multiply(y, ops.reshape(weights, weights.shape + (1, 1)))


class TorchSqueezeExcite(T.Module):
    def __init__(self):
        super().__init__()
        self.conv = T.Conv2d(2, 4, 3, padding=1)
        self.fc1, self.relu, self.fc2, self.gate = (
            T.Linear(4, 2),
            T.ReLU(),
            T.Linear(2, 4),
            T.Sigmoid(),
        )

    def forward(self, x):
        y = self.conv(x)
        weights = self.gate(self.fc2(self.relu(self.fc1(y.mean((2, 3))))))
        return y * weights[:, :, None, None]


ARCHITECTURES = {
    "two_branches_added": (TwoBranches, TorchTwoBranches),
    "dense_concatenation": (Dense, TorchDense),
    "one_module_used_twice": (SharedLayer, TorchSharedLayer),
    "skip_over_several_layers": (LongSkip, TorchLongSkip),
    "block_called_three_times_in_a_loop": (Loop, TorchLoop),
    "squeeze_and_excitation": (SqueezeExcite, TorchSqueezeExcite),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ARCHITECTURES)
def test_every_gradient_of_a_network_with_branches_equals_torch_autograd(name, dtype):
    build, build_torch = ARCHITECTURES[name]
    x = np.random.default_rng(3).standard_normal((2, 2, 5, 5))
    assert_matches_torch(build(), build_torch(), x, dtype, scale=4.0)


@pytest.mark.parametrize(
    "name", ["two_branches_added", "one_module_used_twice", "dense_concatenation"]
)
def test_finite_differences_agree_with_the_replayed_record(name):
    model = ARCHITECTURES[name][0]().to(np.float64)
    x = np.random.default_rng(4).standard_normal((1, 2, 4, 4))
    check_gradients(model, x)


class Gate(nn.Module):
    """Python control flow: the branch taken depends on the input."""

    def __init__(self):
        super().__init__()
        self.double, self.square = nn.Linear(2, 2, rng=0), nn.Tanh()

    def forward(self, x):
        return self.double(x) if x.sum() > 0 else self.square(x)


def test_control_flow_is_recorded_call_by_call():
    gate = Gate()
    gate(-np.ones((1, 2)))
    assert [entry.name for entry in gate._record.entries] == ["square"]
    gate(np.ones((1, 2)))
    assert [entry.name for entry in gate._record.entries] == ["double"]
    grad = gate.backward(np.ones((1, 2)))
    np.testing.assert_allclose(grad, np.ones((1, 2)) @ gate.double.weight.data)


def test_an_unused_input_gets_a_zero_gradient_and_an_unused_branch_no_parameter_gradient():
    class Drops(nn.Module):
        def __init__(self):
            super().__init__()
            self.used, self.unused = nn.Linear(2, 2, rng=0), nn.Linear(2, 2, rng=1)

        def forward(self, x):
            self.unused(x)
            return self.used(x)

    model = Drops()
    model(np.ones((1, 2)))
    model.backward(np.ones((1, 2)))
    assert not model.unused.weight.grad.any() and model.used.weight.grad.any()


def test_backward_parameters_gives_the_same_parameter_gradients_as_backward():
    model, twin = TwoBranches().to(np.float64), TwoBranches().to(np.float64)
    x = np.random.default_rng(5).standard_normal((2, 2, 5, 5))
    grad = np.random.default_rng(6).standard_normal((2, 3, 5, 5))
    model(x)
    model.backward(grad)
    twin(x)
    assert twin.backward_parameters(grad) is None
    for (name, ours), theirs in zip(model.named_parameters(), twin.parameters(), strict=True):
        np.testing.assert_allclose(ours.grad, theirs.grad, rtol=1e-12, err_msg=name)


def test_a_hand_written_backward_overrides_the_record():
    class Doubling(nn.Module):
        def forward(self, x):
            return 2 * x

        def backward(self, grad_out):
            return 2 * grad_out

    layer = Doubling()
    layer(np.ones(2))
    np.testing.assert_array_equal(layer.backward(np.ones(2)), [2.0, 2.0])
    assert "_record" not in vars(layer)


def test_numpy_arithmetic_on_a_module_output_is_refused_naming_the_call():
    class Careless(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(2, 2, rng=0), nn.Linear(2, 2, rng=1)

        def forward(self, x):
            return self.b(self.a(x) + 1)

    with pytest.raises(ValueError, match=r"layer b \(Linear\(.*\)\) in Careless: .*ops.add"):
        Careless()(np.ones((1, 2)))


def test_returning_numpy_arithmetic_is_refused():
    class Careless(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2, rng=0)

        def forward(self, x):
            return self.a(x) * 2

    model = Careless()
    model(np.ones((1, 2)))  # a forward pass alone is fine
    with pytest.raises(TypeError, match=r"Careless.forward\(\) returned a value that no recorded"):
        model.backward(np.ones((1, 2)))


def test_an_op_that_fails_is_named_with_the_module_it_ran_in():
    with pytest.raises(
        ValueError, match=r"ops.add in TwoBranchesBad: .*\(1, 3, 4, 4\) and \(1, 3, 2, 2\)"
    ):
        TwoBranchesBad()(np.ones((1, 2, 4, 4)))


class TwoBranchesBad(nn.Module):
    def __init__(self):
        super().__init__()
        self.left = nn.Conv2d(2, 3, 3, padding=1, rng=0)
        self.right = nn.Conv2d(2, 3, 1, stride=2, rng=1)

    def forward(self, x):
        return ops.add(self.left(x), self.right(x))


def test_a_failing_layer_deep_inside_is_named_at_every_level():
    model = nn.Sequential(nn.Flatten(), TwoBranches())
    with pytest.raises(ValueError, match=r"layer 1 \(TwoBranches\) in Sequential: layer left"):
        model(np.ones((1, 2, 4, 4)))


def test_backward_after_a_forward_under_no_grad_says_what_happened():
    model = TwoBranches()
    with nn.no_grad():
        model(np.ones((1, 2, 4, 4)))
    with pytest.raises(RuntimeError, match="TwoBranches.backward.. was called without a forward"):
        model.backward(np.ones((1, 3, 4, 4)))


def test_a_module_with_two_inputs_returns_a_gradient_for_each():
    class Sum(nn.Module):
        def forward(self, a, b):
            return ops.multiply(a, b)

    a, b = np.array([1.0, 2.0]), np.array([3.0, 5.0])
    module = Sum()
    module(a, b)
    grad_a, grad_b = module.backward(np.ones(2))
    np.testing.assert_array_equal(grad_a, b)
    np.testing.assert_array_equal(grad_b, a)
