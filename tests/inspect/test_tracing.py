"""Tracer and capture_activations: every layer's output, and the model given back intact."""

import numpy as np
import pytest

from cnnlab import nn
from cnnlab.inspect import Tracer, capture_activations
from cnnlab.models import lenet5


def test_activations_are_each_layers_output_in_order():
    model = lenet5(rng=0)
    x = np.random.default_rng(1).random((2, 1, 28, 28), dtype=np.float32)
    maps = capture_activations(model, x)
    assert list(maps) == [str(i) for i in range(12)]
    expected = x
    for index, layer in enumerate(model):
        expected = layer(expected)
        np.testing.assert_array_equal(maps[str(index)], expected)


def test_nested_blocks_come_after_their_layers():
    block = nn.Residual(nn.Sequential(nn.Conv1d(1, 1, 3, padding=1, rng=0), nn.ReLU()))
    maps = capture_activations(nn.Sequential(block, nn.Tanh()), np.ones((1, 1, 5)))
    assert list(maps) == ["0.main.0", "0.main.1", "0.main", "0", "1"]
    np.testing.assert_allclose(maps["0"], maps["0.main"] + 1.0)


def test_dropout_is_off_and_the_mode_is_restored():
    model = nn.Sequential(nn.Dropout(0.9, rng=0))
    maps = capture_activations(model, np.ones((1, 100)))
    np.testing.assert_array_equal(maps["0"], np.ones((1, 100)))
    assert model.training and model[0].training


def test_wrappers_are_removed_after_an_error():
    model = lenet5(rng=0)
    with pytest.raises(ValueError, match="expected 400 input features"):
        capture_activations(model, np.zeros((1, 1, 32, 32), np.float32))
    assert all("forward" not in vars(m) and "backward" not in vars(m) for m in model.modules())


def test_failure_is_the_innermost_layer():
    model = nn.Sequential(nn.Sequential(nn.Linear(3, 2)))
    with pytest.raises(ValueError), Tracer(model) as tracer:
        model(np.zeros((1, 4)))
    assert tracer.failure.name == "0.0" and tracer.failure.error is not None


def test_a_shared_layer_is_recorded_at_each_call():
    relu = nn.ReLU()
    model = nn.Sequential(relu, nn.Tanh(), relu)
    with Tracer(model) as tracer:
        model(np.ones((1, 2)))
    assert [call.name for call in tracer.calls] == ["", "0", "1", "0"]
    assert "forward" not in vars(relu)


def test_backward_hook_sees_and_may_replace_the_gradient():
    seen = {}

    def double_at_tanh(name, module, grad_out):
        seen[name] = grad_out.copy()
        return 2 * grad_out if name == "1" else None

    model = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Tanh())
    x = np.array([[0.3, -0.2]])
    plain = (model(x), model.backward(np.ones((1, 2))))[1]
    with Tracer(model, on_backward=double_at_tanh):
        model(x)
        doubled = model.backward(np.ones((1, 2)))
    np.testing.assert_allclose(doubled, 2 * plain)
    assert sorted(seen) == ["", "0", "1"]
    assert "backward" not in vars(model[1])


def test_only_modules_are_traced():
    with pytest.raises(TypeError, match=r"`model` must be a cnnlab Module\. Received: model=3"):
        capture_activations(3, np.ones(2))


def test_a_captured_convolution_output_is_not_overwritten_by_the_relu_after_it():
    # containers let a ReLU work in place on a fresh convolution output; not while traced
    model = nn.Sequential(nn.Conv2d(1, 3, 3, rng=0), nn.ReLU())
    x = np.random.default_rng(0).standard_normal((1, 1, 6, 6)).astype(np.float32)
    with nn.no_grad():
        maps = capture_activations(model, x)
    assert (maps["0"] < 0).any()
    np.testing.assert_array_equal(maps["1"], np.maximum(maps["0"], 0))
    assert not np.shares_memory(maps["0"], maps["1"])
