"""nn.fuse: ReLU + max pool as one layer that pools first, shown by print, equal results."""

import numpy as np
import pytest

from cnnlab import nn
from cnnlab.models import lenet5


def test_layers_run_in_the_order_print_shows():
    model = nn.Sequential(nn.ReLU(), nn.MaxPool1d(2))
    x = np.array([[[-2.0, -1.0, 3.0, -4.0]]])
    model(x)
    entries = [entry.name for entry in model._record.entries]
    assert entries == ["0", "1"]  # the ReLU first, as written


def test_fused_lenet_prints_the_fused_layer_and_keeps_state_dict_keys():
    model = lenet5(rng=0)
    fused = nn.fuse(model)
    text = repr(fused)
    assert "(1): MaxPoolReLU(" in text and "(2): Identity()" in text
    assert "(4): MaxPoolReLU(" in text and "(5): Identity()" in text
    assert list(fused.state_dict()) == list(model.state_dict())
    assert "MaxPoolReLU" not in repr(model)  # the model given is left alone


@pytest.mark.parametrize(
    "pool",
    [nn.MaxPool2d(2), nn.MaxPool2d(3, stride=2, padding=1), nn.MaxPool2d(2, stride=1)],
    ids=["tiling", "padded_overlapping", "overlapping"],
)
def test_fused_network_equals_the_unfused_forward_and_backward(pool):
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Conv2d(2, 3, 3, rng=0), nn.ReLU(), pool, nn.Flatten()).to(np.float64)
    fused = nn.fuse(model)
    assert isinstance(fused[2], nn.Identity)
    x = rng.standard_normal((2, 2, 9, 9))
    y, y_fused = model(x), fused(x)
    np.testing.assert_array_equal(y, y_fused)
    grad = rng.standard_normal(y.shape)
    model.zero_grad()
    fused.zero_grad()
    np.testing.assert_array_equal(model.backward(grad), fused.backward(grad))
    np.testing.assert_array_equal(model[0].weight.grad, fused[0].weight.grad)


def test_a_dilated_padded_pool_is_not_fused():
    model = nn.Sequential(nn.ReLU(), nn.MaxPool2d(3, padding=1, dilation=2))
    assert isinstance(nn.fuse(model)[0], nn.ReLU)


def test_a_relu_subclass_is_not_fused():
    class Noisy(nn.ReLU):
        pass

    assert isinstance(nn.fuse(nn.Sequential(Noisy(), nn.MaxPool2d(2)))[0], Noisy)


def test_layers_overwrite_arrays_in_place_only_under_no_grad(monkeypatch):
    calls = []
    monkeypatch.setattr(nn.ReLU, "forward_in_place", lambda self, x: calls.append(1) or False)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, rng=0), nn.ReLU())
    x = np.ones((1, 1, 5, 5), dtype=np.float32)
    model(x)
    assert calls == []
    with nn.no_grad():
        model(x)
    assert calls == [1]
