"""SqueezeNet 1.1 gives torchvision's logits with torchvision's weights (key for key)."""

import numpy as np
import pytest
import torch

from checks.torch_reference import assert_matches_torch
from cnnlab.models import squeezenet1_1
from cnnlab.nn import MaxPool2d
from models.torch_zoo import SqueezeNet, assert_same_logits, numpy_state, randomize

torch.set_num_threads(2)


@pytest.mark.parametrize("size", [64, 67])
def test_squeezenet1_1_logits_and_top5_equal_torch_on_several_inputs(size):
    theirs = randomize(SqueezeNet(), seed=6)
    x = np.random.default_rng(size).uniform(0, 1, (3, 3, size, size)).astype(np.float32)
    assert_same_logits(squeezenet1_1(rng=0), theirs, x)


def test_squeezenet1_1_parameter_count_and_keys_equal_torchvision():
    ours, theirs = squeezenet1_1(rng=0), SqueezeNet()
    assert ours.num_parameters() == 1_235_496 == sum(p.numel() for p in theirs.parameters())
    assert list(ours.state_dict()) == list(numpy_state(theirs))


@pytest.mark.parametrize("size", [7, 8, 9, 10, 17])
def test_ceil_mode_max_pool_equals_torch_forward_and_backward(size):
    x = np.random.default_rng(size).standard_normal((2, 3, size, size + 1))
    assert_matches_torch(
        MaxPool2d(3, 2, ceil_mode=True), torch.nn.MaxPool2d(3, 2, ceil_mode=True), x
    )


def test_fire_backward_reaches_the_squeeze_convolution():
    model = squeezenet1_1(num_classes=3, rng=1)
    y = model(np.random.default_rng(2).uniform(0, 1, (2, 3, 32, 32)).astype(np.float32))
    grad = model.backward(np.ones_like(y))
    assert grad.shape == (2, 3, 32, 32)
    assert np.any(model.features[3].squeeze.weight.grad != 0)
