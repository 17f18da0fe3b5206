"""AlexNet and VGG-16 give torchvision's logits with torchvision's weights (key for key)."""

import numpy as np
import pytest
import torch

from checks.torch_reference import assert_matches_torch
from cnnlab.models import alexnet, vgg16
from cnnlab.nn import AdaptiveAvgPool2d
from models.torch_zoo import assert_same_logits, randomize, torch_alexnet, torch_vgg16

torch.set_num_threads(2)


def test_alexnet_logits_top5_parameter_count_and_keys_equal_torch():
    ours, theirs = alexnet(rng=0), randomize(torch_alexnet(), seed=7)
    assert ours.num_parameters() == 61_100_840 == sum(p.numel() for p in theirs.parameters())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x = np.random.default_rng(8).standard_normal((3, 3, 79, 79)).astype(np.float32)
    assert_same_logits(ours, theirs, x)


def test_vgg16_logits_top5_parameter_count_and_keys_equal_torch():
    ours, theirs = vgg16(rng=0), randomize(torch_vgg16(), seed=9)
    assert ours.num_parameters() == 138_357_544 == sum(p.numel() for p in theirs.parameters())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x = np.random.default_rng(10).standard_normal((2, 3, 32, 32)).astype(np.float32)
    assert_same_logits(ours, theirs, x)


@pytest.mark.parametrize(
    "output_size, shape",
    [((7, 7), (2, 3, 7, 7)), ((6, 6), (1, 2, 13, 13)), ((7, 7), (1, 2, 2, 2)),
     ((3, 5), (2, 2, 10, 7)), (1, (1, 2, 5, 4))],
)  # fmt: skip
def test_adaptive_grid_pooling_equals_torch_forward_and_backward(output_size, shape):
    x = np.random.default_rng(0).standard_normal(shape)
    layer, torch_layer = AdaptiveAvgPool2d(output_size), torch.nn.AdaptiveAvgPool2d(output_size)
    assert_matches_torch(layer, torch_layer, x)
    assert_matches_torch(layer, torch_layer, x, dtype=np.float64)


def test_adaptive_grid_pooling_refuses_a_zero_output_size():
    with pytest.raises(
        ValueError, match=r"`output_size` of AdaptiveAvgPool2d must be a positive int or 2"
    ):
        AdaptiveAvgPool2d((0, 7))
