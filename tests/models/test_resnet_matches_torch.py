"""ResNet and ResNeXt give torchvision's logits with torchvision's weights (key for key)."""

import numpy as np
import pytest
import torch

from cnnlab.models import resnet18, resnet50, resnext50_32x4d, resnext101_32x8d
from models.torch_zoo import TORCH_RESNETS, assert_same_logits, randomize

torch.set_num_threads(2)


def images(n, size, seed=0):
    return np.random.default_rng(seed).standard_normal((n, 3, size, size)).astype(np.float32)


def test_resnet18_full_size_logits_and_top5_equal_torch():
    theirs = randomize(TORCH_RESNETS["resnet18"](), seed=1)
    assert_same_logits(resnet18(rng=0), theirs, images(1, 224))


@pytest.mark.parametrize(
    "build, name, size, count",
    [
        (resnet18, "resnet18", 64, 11_689_512),
        (resnext50_32x4d, "resnext50_32x4d", 64, 25_028_904),
        (resnext101_32x8d, "resnext101_32x8d", 32, 88_791_336),
    ],
)
def test_logits_top5_parameter_count_and_keys_equal_torch(build, name, size, count):
    ours, theirs = build(rng=0), randomize(TORCH_RESNETS[name](), seed=2)
    assert ours.num_parameters() == count == sum(p.numel() for p in theirs.parameters())
    ours_shapes = {k: v.shape for k, v in ours.state_dict().items()}
    assert ours_shapes == {k: tuple(v.shape) for k, v in theirs.state_dict().items()}
    assert list(ours_shapes) == list(theirs.state_dict())
    assert_same_logits(ours, theirs, images(3, size, seed=3))


def test_resnet50_parameter_count_and_keys_equal_torchvision():
    ours, theirs = resnet50(rng=0), TORCH_RESNETS["resnet50"]()
    assert ours.num_parameters() == 25_557_032 == sum(p.numel() for p in theirs.parameters())
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_resnext_stride_sits_in_the_grouped_3x3_convolution():
    block = resnext50_32x4d(rng=0).layer2[0]
    assert (block.conv1.stride, block.conv2.stride, block.conv2.groups) == ((1, 1), (2, 2), 32)
    assert block.downsample[0].stride == (2, 2)


def test_same_seed_gives_same_weights_with_he_normal_convolutions():
    a, b = resnet18(rng=5), resnet18(rng=5)
    assert all(np.array_equal(a.state_dict()[k], b.state_dict()[k]) for k in a.state_dict())
    weight = a.layer3[0].conv1.weight.data  # (256, 128, 3, 3): std sqrt(2 / (256 * 9))
    assert abs(weight.std() / np.sqrt(2 / (256 * 9)) - 1) < 0.02
    assert np.all(a.bn1.weight.data == 1) and np.all(a.bn1.bias.data == 0)


def test_backward_gives_input_gradient_of_input_shape():
    model = resnet18(num_classes=4, rng=0)
    x = images(2, 32)
    y = model(x)
    grad = model.backward(np.ones_like(y))
    assert grad.shape == x.shape and np.all(np.isfinite(grad))
    assert np.any(model.layer1[0].conv1.weight.grad != 0)
