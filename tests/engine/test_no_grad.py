"""no_grad(): the same outputs, the caller's arrays untouched, and no backward afterwards."""

import numpy as np
import pytest

from cnnlab import nn
from cnnlab.models import resnet18, resnext50_32x4d
from cnnlab.nn import is_grad_enabled, no_grad


def small_net():
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1, rng=0),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.Flatten(),
        nn.ReLU(),  # after a view of the batch norm's array: still that array
        nn.Linear(4 * 6 * 6, 5, rng=1),
        nn.ReLU(),
    )
    state = net.state_dict()
    rng = np.random.default_rng(2)
    for key in ("1.running_mean", "1.running_var", "1.weight", "1.bias"):
        state[key] = rng.random(4).astype(np.float32) + 0.5
    net.load_state_dict(state)
    return net.eval()


@pytest.mark.parametrize(
    "build, shape",
    [
        (small_net, (2, 3, 6, 6)),
        (lambda: resnet18(num_classes=7, rng=0).eval(), (2, 3, 32, 32)),
        (lambda: resnext50_32x4d(num_classes=7, rng=0).eval(), (1, 3, 32, 32)),
    ],
    ids=["sequential", "resnet18", "resnext50"],
)
def test_outputs_under_no_grad_equal_the_usual_ones_and_leave_the_input_alone(build, shape):
    model = build()
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    before = x.copy()
    expected = model(x)
    with no_grad():
        found = model(x)
    np.testing.assert_array_equal(found, expected)
    np.testing.assert_array_equal(x, before)


def test_a_network_starting_with_relu_does_not_overwrite_its_input():
    x = np.array([[-1.0, 2.0]])
    with no_grad():
        nn.Sequential(nn.ReLU(), nn.Identity())(x)
    assert x[0, 0] == -1.0


@pytest.mark.parametrize("index", [0, 1, 2], ids=["conv", "batch norm", "relu"])
def test_backward_after_a_forward_under_no_grad_says_what_happened(index):
    net = small_net()
    x = np.ones((1, 3, 6, 6), np.float32)
    with no_grad():
        y = net[2](net[1](net[0](x)))  # no container: each layer's own forward
        net(x)  # through the container: batch norm and ReLU worked in place
    with pytest.raises(RuntimeError, match="without a forward.*outside no_grad"):
        [net[0], net[1], net[2]][index].backward(np.ones_like(y))


def test_training_mode_batch_norm_is_not_done_in_place():
    net = small_net().train()
    x = np.random.default_rng(1).standard_normal((4, 3, 6, 6)).astype(np.float32)
    with no_grad():
        found = net(x)
    net.load_state_dict(small_net().state_dict())
    np.testing.assert_array_equal(found, net.train()(x))


def test_no_grad_is_switched_back_on_after_an_error():
    with pytest.raises(ZeroDivisionError), no_grad():
        assert not is_grad_enabled()
        1 / 0
    assert is_grad_enabled()


@pytest.mark.parametrize("block", ["basic", "bottleneck"])
def test_a_residual_block_adds_and_clips_in_its_own_array_only_under_no_grad(block):
    from cnnlab import use_backend
    from cnnlab.models.resnet import BasicBlock, Bottleneck

    model = (BasicBlock(4, 4, rng=0) if block == "basic" else Bottleneck(16, 4, rng=0)).eval()
    last_conv = model.conv2 if block == "basic" else model.conv3
    made = []
    forward = last_conv.forward
    last_conv.forward = lambda x: made.append(forward(x)) or made[-1]  # the main path's array
    shape = (2, model.conv1.in_channels, 5, 5)
    x = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    expected = model(x)
    assert expected is not made[-1]
    with no_grad():
        found = model(x)
        assert found is made[-1]  # batch norm, the sum and the ReLU all written over it
        with use_backend("reference"):
            assert model(x) is not made[-1]  # the reference makes every array anew
    np.testing.assert_array_equal(found, expected)
