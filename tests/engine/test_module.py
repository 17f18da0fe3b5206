"""The Module contract: parameters, buffers, state dicts, modes, containers, errors."""

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab.nn import Flatten, Identity, Module, Parameter, Residual, Sequential


class Scale(Module):
    """y = w * x + b with a running count buffer: enough to exercise the contract."""

    def __init__(self, size: int = 3):
        super().__init__()
        self.weight = Parameter(np.arange(1, size + 1, dtype=np.float32))
        self.bias = Parameter(np.zeros(size, dtype=np.float32))
        self.register_buffer("calls", np.zeros((), dtype=np.int64))

    def forward(self, x):
        if x.shape[-1] != self.weight.shape[0]:
            raise ValueError(f"expected {self.weight.shape[0]} features.")
        self.x = x
        self.calls += 1
        return self.weight.data * x + self.bias.data

    def backward(self, grad_out):
        self.weight.grad += (grad_out * self.x).reshape(-1, self.x.shape[-1]).sum(0)
        self.bias.grad += grad_out.reshape(-1, self.x.shape[-1]).sum(0)
        return grad_out * self.weight.data


def test_state_dict_keys_follow_pytorch_naming_and_order():
    net = Sequential(Scale(), Sequential(Identity(), Scale()))
    assert list(net.state_dict()) == [
        "0.weight",
        "0.bias",
        "0.calls",
        "1.1.weight",
        "1.1.bias",
        "1.1.calls",
    ]


def test_state_dict_returns_copies_not_views():
    layer = Scale()
    state = layer.state_dict()
    state["weight"][:] = 0
    assert layer.weight.data[0] == 1


def test_load_state_dict_round_trip_keeps_parameter_objects_and_dtype():
    source, target = Scale(), Scale()
    source.weight.data[:] = [7, 8, 9]
    parameter = target.weight
    target.load_state_dict({k: v.astype(np.float64) for k, v in source.state_dict().items()})
    assert target.weight is parameter
    assert target.weight.dtype == np.float32
    np.testing.assert_array_equal(target.weight.data, [7, 8, 9])


def test_load_state_dict_lists_every_difference():
    state = Scale().state_dict()
    del state["bias"]
    state["weight"] = np.zeros(4)
    state["extra"] = np.zeros(1)
    with pytest.raises(ValueError) as info:
        Scale().load_state_dict(state)
    message = str(info.value)
    assert "missing: bias (3,)" in message
    assert "unexpected: extra (1,)" in message
    assert "shape of weight: model has (3,), state has (4,)" in message


def test_non_strict_load_ignores_missing_names_but_not_shapes():
    Scale().load_state_dict({"weight": np.ones(3)}, strict=False)
    with pytest.raises(ValueError, match="shape of weight"):
        Scale().load_state_dict({"weight": np.ones(2)}, strict=False)


def test_zero_grad_resets_every_parameter():
    net = Sequential(Scale(), Scale())
    net(np.ones((2, 3), dtype=np.float32))
    net.backward(np.ones((2, 3), dtype=np.float32))
    assert any(p.grad.any() for p in net.parameters())
    net.zero_grad()
    assert not any(p.grad.any() for p in net.parameters())


def test_backward_accumulates_into_grad():
    layer = Scale()
    x = np.ones((1, 3), dtype=np.float32)
    for _ in range(2):
        layer(x)
        layer.backward(np.ones_like(x))
    np.testing.assert_array_equal(layer.bias.grad, [2, 2, 2])


def test_train_and_eval_reach_every_submodule():
    net = Sequential(Scale(), Residual(Scale()))
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_to_float64_converts_parameters_and_float_buffers_only():
    layer = Scale().to(np.float64)
    assert layer.weight.dtype == np.float64 and layer.weight.grad.dtype == np.float64
    assert layer.calls.dtype == np.int64
    with pytest.raises(TypeError, match="floating-point"):
        layer.to(np.int32)


def test_sequential_error_names_the_failing_layer():
    net = Sequential(Identity(), Scale(3), Scale(4))
    with pytest.raises(ValueError, match=r"^layer 2 \(Scale\(\)\) in Sequential: expected 4"):
        net(np.ones((1, 3), dtype=np.float32))


def test_sequential_refuses_a_non_module():
    with pytest.raises(TypeError, match="layer 1 of type ufunc"):
        Sequential(Identity(), np.tanh)


def test_repr_shows_the_architecture():
    text = repr(Sequential(Scale(), Residual(Flatten())))
    assert text.splitlines() == [
        "Sequential(",
        "  (0): Scale()",
        "  (1): Residual(",
        "    (main): Flatten()",
        "  )",
        ")",
    ]


def test_residual_adds_the_shortcut_and_its_gradient():
    block = Residual(Scale(), shortcut=Scale())
    check_gradients(block, np.random.default_rng(1).standard_normal((2, 3)))


def test_residual_refuses_mismatched_paths():
    with pytest.raises(ValueError, match=r"main output with shape \(2, 6\)"):
        Residual(Flatten())(np.ones((2, 3, 2)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_flatten_matches_torch(dtype):
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    assert_matches_torch(Flatten(), torch.nn.Flatten(), x, dtype)
    assert_matches_torch(Flatten(2, 3), torch.nn.Flatten(2, 3), x, dtype)


def test_flatten_refuses_dimensions_the_input_lacks():
    with pytest.raises(ValueError, match="start_dim=3"):
        Flatten(3)(np.ones((2, 3)))
