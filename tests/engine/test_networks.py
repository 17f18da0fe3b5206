"""Whole networks agree with the same networks built in torch with the same weights."""

import numpy as np
import pytest
import torch

from checks.torch_reference import assert_matches_torch, load_into_torch
from cnnlab import nn, optim
from cnnlab.models import lenet5, small_vgg


def torch_lenet5(num_classes=10, in_channels=1):
    T = torch.nn
    return T.Sequential(
        T.Conv2d(in_channels, 6, 5, padding=2), T.ReLU(), T.MaxPool2d(2),
        T.Conv2d(6, 16, 5), T.ReLU(), T.MaxPool2d(2), T.Flatten(),
        T.Linear(400, 120), T.ReLU(), T.Linear(120, 84), T.ReLU(), T.Linear(84, num_classes),
    )  # fmt: skip


def torch_small_vgg(num_classes=10):
    T = torch.nn
    return T.Sequential(
        T.Conv2d(3, 32, 3, padding=1), T.ReLU(), T.Conv2d(32, 32, 3, padding=1), T.ReLU(),
        T.MaxPool2d(2),
        T.Conv2d(32, 64, 3, padding=1), T.ReLU(), T.Conv2d(64, 64, 3, padding=1), T.ReLU(),
        T.MaxPool2d(2), T.Flatten(), T.Linear(4096, 256), T.ReLU(), T.Linear(256, num_classes),
    )  # fmt: skip


def basic_block(channels=4, rng=0):
    """ResNet's basic block (conv-bn-relu-conv-bn + identity, relu), then global pooling."""
    main = nn.Sequential(
        nn.Conv2d(channels, channels, 3, padding=1, bias=False, rng=rng),
        nn.BatchNorm2d(channels),
        nn.ReLU(),
        nn.Conv2d(channels, channels, 3, padding=1, bias=False, rng=rng),
        nn.BatchNorm2d(channels),
    )
    return nn.Sequential(nn.Residual(main), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())


class TorchResidual(torch.nn.Module):
    def __init__(self, main):
        super().__init__()
        self.main = main

    def forward(self, x):
        return self.main(x) + x


def torch_basic_block(channels=4):
    T = torch.nn
    main = T.Sequential(
        T.Conv2d(channels, channels, 3, padding=1, bias=False), T.BatchNorm2d(channels),
        T.ReLU(), T.Conv2d(channels, channels, 3, padding=1, bias=False),
        T.BatchNorm2d(channels),
    )  # fmt: skip
    return T.Sequential(TorchResidual(main), T.ReLU(), T.AdaptiveAvgPool2d(1), T.Flatten())


NETWORKS = {
    "lenet5": (lambda: lenet5(rng=0), torch_lenet5, (4, 1, 28, 28)),
    "small_vgg": (lambda: small_vgg(rng=0), torch_small_vgg, (2, 3, 32, 32)),
    "basic_block": (basic_block, torch_basic_block, (3, 4, 6, 6)),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", NETWORKS)
def test_network_forward_and_gradients_match_torch(name, dtype):
    build, build_torch, shape = NETWORKS[name]
    x = np.random.default_rng(1).standard_normal(shape)
    assert_matches_torch(build(), build_torch(), x, dtype, scale=4.0)


@pytest.mark.parametrize("name", NETWORKS)
def test_ten_sgd_momentum_steps_follow_torch(name):
    build, build_torch, shape = NETWORKS[name]
    rng = np.random.default_rng(2)
    model = build().to(np.float64)
    net = build_torch()
    load_into_torch(model, net, np.float64)
    x = rng.standard_normal(shape)
    classes = 10 if name != "basic_block" else 4
    y = rng.integers(0, classes, shape[0])
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    torch_optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    x_torch, y_torch = torch.from_numpy(x), torch.from_numpy(y)

    for step in range(10):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        model.backward(loss_fn.backward())
        optimizer.step()

        torch_optimizer.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(net(x_torch), y_torch)
        torch_loss.backward()
        torch_optimizer.step()
        np.testing.assert_allclose(loss, torch_loss.item(), rtol=1e-9, err_msg=f"step {step}")
    for key, value in net.state_dict().items():
        np.testing.assert_allclose(
            model.state_dict()[key], value.numpy(), rtol=1e-8, atol=1e-10, err_msg=key
        )


def test_channel_mismatch_names_the_layer():
    model = lenet5(rng=0)
    model.layers[3] = nn.Conv2d(3, 16, 5, rng=0)
    with pytest.raises(ValueError) as info:
        model(np.zeros((2, 1, 28, 28), dtype=np.float32))
    message = str(info.value)
    assert message.startswith("layer 3 (Conv2d(3 -> 16, kernel_size=5)) in Sequential: ")
    assert "expected 3 input channels" in message
    assert "(2, 6, 14, 14)" in message


def test_too_small_input_says_which_layer_and_why():
    with pytest.raises(ValueError, match=r"^layer 3 \(Conv2d\(6 -> 16, kernel_size=5\)\)"):
        lenet5(rng=0)(np.zeros((1, 1, 6, 6), dtype=np.float32))


def test_nan_reaching_the_loss_is_refused_with_advice():
    model = lenet5(rng=0)
    x = np.full((2, 1, 28, 28), np.nan, dtype=np.float32)
    with pytest.raises(ValueError, match="learning rate"):
        nn.CrossEntropyLoss()(model(x), np.array([0, 1]))


def test_lenet5_parameter_count_matches_torch():
    assert lenet5().num_parameters() == sum(p.numel() for p in torch_lenet5().parameters())
    assert small_vgg().num_parameters() == sum(p.numel() for p in torch_small_vgg().parameters())


def test_same_seed_same_weights():
    a, b = lenet5(rng=7).state_dict(), lenet5(rng=7).state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)
    c = lenet5(rng=8).state_dict()
    assert not np.array_equal(a["0.weight"], c["0.weight"])
