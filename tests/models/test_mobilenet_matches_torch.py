"""MobileNetV2 gives torchvision's logits with torchvision's weights (key for key)."""

import numpy as np
import torch

from checks.torch_reference import assert_matches_torch
from cnnlab.models import mobilenet_v2
from cnnlab.nn import ReLU6
from models.torch_zoo import MobileNetV2, assert_same_logits, numpy_state, randomize

torch.set_num_threads(2)


def test_mobilenet_v2_logits_and_top5_equal_torch_on_several_inputs():
    theirs = randomize(MobileNetV2(), seed=4)
    x = np.random.default_rng(5).standard_normal((3, 3, 64, 64)).astype(np.float32)
    assert_same_logits(mobilenet_v2(rng=0), theirs, x)


def test_mobilenet_v2_parameter_count_and_keys_equal_torchvision():
    ours, theirs = mobilenet_v2(rng=0), MobileNetV2()
    assert ours.num_parameters() == 3_504_872 == sum(p.numel() for p in theirs.parameters())
    ours_state, their_state = ours.state_dict(), numpy_state(theirs)
    assert list(ours_state) == list(their_state)
    assert ours_state["features.1.conv.0.0.weight"].shape == (32, 1, 3, 3)  # depthwise


def test_inverted_residual_adds_its_input_only_when_shape_is_kept():
    model = mobilenet_v2(rng=0)
    uses = [block.use_res_connect for block in list(model.features)[1:-1]]
    assert uses == [False, False, True, False, True, True, False, True, True, True,
                    False, True, True, False, True, True, False]  # fmt: skip


def test_relu6_forward_and_backward_equal_torch():
    x = np.array([[-2.0, 0.0, 0.5, 5.9, 6.0, 7.5]], dtype=np.float32)
    x = np.concatenate([x, np.random.default_rng(0).uniform(-3, 9, (1, 6))]).astype(np.float32)
    assert_matches_torch(ReLU6(), torch.nn.ReLU6(), x)


def test_mobilenet_v2_backward_reaches_the_first_convolution():
    model = mobilenet_v2(num_classes=3, rng=1)
    y = model(np.random.default_rng(2).standard_normal((2, 3, 32, 32)).astype(np.float32))
    grad = model.backward(np.ones_like(y))
    assert grad.shape == (2, 3, 32, 32) and np.all(np.isfinite(grad))
    assert np.any(model.features[0][0].weight.grad != 0)
