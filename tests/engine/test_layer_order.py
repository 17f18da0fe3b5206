"""A ReLU before a max pool runs after it, on the pooled array, with the same results."""

import numpy as np
import pytest
import torch

from cnnlab import nn
from cnnlab.inspect import capture_activations
from cnnlab.nn.layer_order import execution_order

POOLS = [  # (pool class, its arguments, input shape): 2-D and 1-D, overlapping, padded
    (nn.MaxPool2d, (2,), (3, 4, 8, 6)),
    (nn.MaxPool2d, (3, 2, 1), (2, 3, 9, 7)),
    (nn.MaxPool2d, (3, 1), (2, 2, 6, 6)),
    (nn.MaxPool1d, (2,), (3, 4, 10)),
    (nn.MaxPool2d, ((2, 3), (2, 3), 0, 2), (2, 2, 8, 9)),  # dilated, unpadded
]


def tied_input(shape, dtype, seed=0):
    """Values with many ties: zeros, repeated values and all-negative windows."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 3, size=shape).astype(dtype)
    x[..., :2] = -1.0  # whole negative windows at the edge
    return x


def run_in_written_order(layers, x, grad):
    """Each layer's forward, then each backward in reverse: no reordering at all."""
    for layer in layers:
        x = layer.forward(x)
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return x, grad


@pytest.mark.parametrize(("pool", "args", "shape"), POOLS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pooling_first_gives_the_same_output_and_input_gradient(pool, args, shape, dtype):
    x = tied_input(shape, dtype)
    net = nn.Sequential(nn.ReLU(), pool(*args))
    assert execution_order(net.layers) == [1, 0]
    y = net(x)
    grad_out = np.random.default_rng(1).standard_normal(y.shape).astype(dtype)
    grad = net.backward(grad_out)
    expected_y, expected_grad = run_in_written_order([nn.ReLU(), pool(*args)], x, grad_out)
    assert y.tobytes() == expected_y.tobytes()  # bit for bit
    if pool(*args).window.overlapping:  # a zero may be +0.0 where the written order has -0.0
        np.testing.assert_array_equal(grad, expected_grad)
    else:
        assert grad.tobytes() == expected_grad.tobytes()
    assert y.dtype == grad.dtype == dtype


def test_relu_before_a_max_pool_runs_on_the_pooled_array():
    relu, pool = nn.ReLU(), nn.MaxPool2d(2)
    nn.Sequential(relu, pool)(np.ones((1, 2, 8, 8), np.float32))
    assert relu.output.shape == (1, 2, 4, 4)  # a quarter of the 8x8 input
    assert execution_order([relu, pool]) == [1, 0]


def test_a_conv_relu_pool_network_matches_torch_with_parameter_gradients():
    rng = np.random.default_rng(2)
    net = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1, rng=0), nn.ReLU(), nn.MaxPool2d(2))
    theirs = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3, padding=1), torch.nn.ReLU(),
                                 torch.nn.MaxPool2d(2)).double()  # fmt: skip
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in net.state_dict().items()})
    net.to(np.float64)
    x = rng.standard_normal((2, 2, 6, 6))
    grad_out = rng.standard_normal((2, 3, 3, 3))
    x_torch = torch.from_numpy(x).requires_grad_(True)
    out = theirs(x_torch)
    out.backward(torch.from_numpy(grad_out))
    np.testing.assert_allclose(net(x), out.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(net.backward(grad_out), x_torch.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(net[0].weight.grad, theirs[0].weight.grad.numpy(), atol=1e-12)


def test_a_network_that_starts_with_relu_and_pool_still_trains_its_later_layers():
    net = nn.Sequential(nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 2, rng=0))
    x = np.random.default_rng(3).standard_normal((2, 2, 4, 4))
    net(x)
    net.backward_parameters(np.ones((2, 2)))
    assert np.any(net[3].weight.grad != 0)


def test_nan_passes_through_in_either_order():
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 0, 1] = np.nan
    x[0, 0, 3, 3] = -np.nan  # a NaN with its sign bit set, as 0 * inf gives
    y = nn.Sequential(nn.ReLU(), nn.MaxPool2d(2))(x)
    expected, _ = run_in_written_order([nn.ReLU(), nn.MaxPool2d(2)], x, np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(np.isnan(y), np.isnan(expected))
    assert np.isnan(y).sum() == 2


def test_traced_layers_keep_the_written_order():
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, rng=0), nn.ReLU(), nn.MaxPool2d(2))
    maps = capture_activations(net, np.ones((1, 1, 6, 6), np.float32))
    assert maps["1"].shape == (1, 2, 6, 6)  # the ReLU's own output, before pooling
    assert np.all(maps["1"] >= 0)
    np.testing.assert_array_equal(maps["2"], net(np.ones((1, 1, 6, 6), np.float32)))


def test_other_layer_pairs_keep_their_order():
    layers = [nn.ReLU(), nn.AvgPool2d(2), nn.LeakyReLU(), nn.MaxPool2d(2), nn.MaxPool2d(2)]
    assert execution_order(layers) == [0, 1, 2, 3, 4]


def test_a_subclassed_pool_keeps_its_place():
    class ShiftedMax(nn.MaxPool2d):  # max minus one: ReLU does not commute with it
        def forward(self, x):
            return super().forward(x) - 1.0

    assert execution_order([nn.ReLU(), ShiftedMax(2)]) == [0, 1]
    x = np.full((1, 1, 2, 2), -5.0)
    np.testing.assert_array_equal(nn.Sequential(nn.ReLU(), ShiftedMax(2))(x), [[[[-1.0]]]])


def test_a_dilated_padded_pool_keeps_its_place_since_a_window_may_hold_only_padding():
    pool = nn.MaxPool1d(2, stride=1, padding=1, dilation=3)
    assert execution_order([nn.ReLU(), pool]) == [0, 1]
    y = nn.Sequential(nn.ReLU(), pool)(np.array([[[3.0, 1.0]]]))
    np.testing.assert_array_equal(y, [[[-np.inf]]])  # as torch: the window is all padding


def test_backward_runs_over_the_layers_the_forward_ran():
    x = np.array([[[[-1.0, 2.0, 3.0, -4.0]]]])
    net = nn.Sequential(nn.ReLU(), nn.MaxPool2d((1, 2)))
    y = net(x)
    net.append(nn.Identity())  # added after the forward: not part of its backward
    np.testing.assert_array_equal(net.backward(np.ones_like(y)), [[[[0.0, 1.0, 1.0, 0.0]]]])
