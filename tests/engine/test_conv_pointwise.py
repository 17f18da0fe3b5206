"""1x1 convolutions take their own path (no im2col): torch, finite differences, behaviour."""

import functools

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab import nn
from cnnlab.backend.fast import conv as F
from cnnlab.backend.fast.conv_pointwise import PointwiseContext

CASES_2D = {
    "plain": dict(c_in=4, c_out=6),
    "stride 2": dict(c_in=4, c_out=6, stride=2),
    "stride (2, 1)": dict(c_in=4, c_out=6, stride=(2, 1)),
    "groups 2, no bias": dict(c_in=4, c_out=6, groups=2, bias=False),
    "depthwise, stride 2": dict(c_in=4, c_out=8, groups=4, stride=2),
    "dilated (no effect at 1x1)": dict(c_in=3, c_out=2, dilation=2),
}


def make(cls, case, **extra):
    options = dict(case)
    return cls(options.pop("c_in"), options.pop("c_out"), 1, **options, **extra)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("batch", [2, 1])
@pytest.mark.parametrize("case", list(CASES_2D))
def test_conv2d_1x1_matches_torch(case, batch, dtype):
    ours, theirs = make(nn.Conv2d, CASES_2D[case], rng=0), make(torch.nn.Conv2d, CASES_2D[case])
    x = np.random.default_rng(1).standard_normal((batch, ours.in_channels, 7, 9))
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize("stride", [1, 3])
def test_conv1d_kernel_1_matches_torch(stride):
    ours = nn.Conv1d(4, 6, 1, stride=stride, groups=2, rng=0)
    theirs = torch.nn.Conv1d(4, 6, 1, stride=stride, groups=2)
    x = np.random.default_rng(2).standard_normal((3, 4, 11))
    assert_matches_torch(ours, theirs, x, np.float32)


@pytest.mark.parametrize("case", list(CASES_2D))
def test_conv2d_1x1_gradients_match_finite_differences(case):
    layer = make(functools.partial(nn.Conv2d, rng=0), CASES_2D[case])
    check_gradients(layer, np.random.default_rng(0).standard_normal((2, layer.in_channels, 5, 6)))


def test_conv1d_kernel_1_gradients_match_finite_differences():
    layer = nn.Conv1d(3, 2, 1, stride=2, rng=0)
    check_gradients(layer, np.random.default_rng(0).standard_normal((2, 3, 7)))


def test_1x1_path_agrees_with_the_im2col_path():
    # padding sends a 1x1 convolution through im2col; cropping the border gives it back
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((3, 5, 6, 7)), rng.standard_normal((4, 5, 1, 1)), np.ones(4)
    y, ctx = F.conv2d(x, w, b, stride=2)
    y_padded, ctx_padded = F.conv2d(x, w, b, stride=2, padding=2)
    assert isinstance(ctx, PointwiseContext) and not isinstance(ctx_padded, PointwiseContext)
    np.testing.assert_allclose(y, y_padded[:, :, 1:-1, 1:-1], rtol=1e-12)
    grad = rng.standard_normal(y.shape)
    grad_padded = np.zeros_like(y_padded)
    grad_padded[:, :, 1:-1, 1:-1] = grad
    for ours, general in zip(F.conv_backward(grad, ctx), F.conv_backward(grad_padded, ctx_padded)):
        np.testing.assert_allclose(ours, general, rtol=1e-10, atol=1e-12)


def test_1x1_convolution_reads_the_image_without_copying_it():
    x = np.random.default_rng(4).standard_normal((2, 3, 4, 4)).astype(np.float32)
    _, ctx = F.conv2d(x, np.ones((5, 3, 1, 1), np.float32))
    assert np.shares_memory(ctx.x, x)


def test_1x1_backward_checks_the_gradient_shape():
    x = np.zeros((2, 3, 4, 4))
    _, ctx = F.conv2d(x, np.ones((5, 3, 1, 1)), stride=2)
    with pytest.raises(ValueError, match=r"grad_out.*\(2, 5, 2, 2\)"):
        F.conv_backward(np.zeros((2, 5, 4, 4)), ctx)
