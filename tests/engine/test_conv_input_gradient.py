"""The input gradient as a convolution of dy (stride 1, zero padding, 16+ channels a group)."""

import importlib

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab import nn
from cnnlab.backend.fast import conv as F

conv_backward_module = importlib.import_module("cnnlab.backend.fast.conv_backward")

# torch warns that it pads a copy of the input for 'same' with an even kernel; expected.
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

CASES = {
    "3x3 pad 1": dict(kernel_size=3, padding=1),
    "5x5 no padding": dict(kernel_size=5),
    "even kernel, same": dict(kernel_size=(2, 4), padding="same"),
    "dilated": dict(kernel_size=3, padding=(1, 2), dilation=2),
    "two groups of 16": dict(kernel_size=3, padding=1, groups=2),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", list(CASES))
def test_conv2d_with_many_channels_matches_torch(case, dtype):
    options = CASES[case]
    c_in = 16 * options.get("groups", 1)
    ours = nn.Conv2d(c_in, 8 * options.get("groups", 1), **options, rng=0)
    theirs = torch.nn.Conv2d(c_in, 8 * options.get("groups", 1), **options)
    x = np.random.default_rng(1).standard_normal((2, c_in, 7, 9))
    assert_matches_torch(ours, theirs, x, dtype)


def test_conv1d_with_many_channels_matches_torch():
    ours = nn.Conv1d(16, 4, 3, padding=2, dilation=2, rng=0)
    theirs = torch.nn.Conv1d(16, 4, 3, padding=2, dilation=2)
    assert_matches_torch(ours, theirs, np.random.default_rng(2).standard_normal((3, 16, 10)))


@pytest.mark.parametrize("case", ["3x3 pad 1", "even kernel, same", "dilated"])
def test_input_gradient_by_convolution_matches_finite_differences(case):
    layer = nn.Conv2d(16, 2, **CASES[case], rng=0)
    check_gradients(layer, np.random.default_rng(0).standard_normal((1, 16, 5, 6)))


def split_case(case):
    """A case of CASES as (groups, (KH, KW), the remaining conv2d options)."""
    options = dict(CASES[case])
    groups = options.pop("groups", 1)
    kernel = options.pop("kernel_size")
    return groups, (kernel, kernel) if isinstance(kernel, int) else kernel, options


@pytest.mark.parametrize("case", list(CASES))
def test_convolution_and_col2im_give_the_same_input_gradient(monkeypatch, case):
    groups, kernel, options = split_case(case)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 16 * groups, 8, 9))
    w = rng.standard_normal((4 * groups, 16, *kernel))
    y, ctx = F.conv2d(x, w, groups=groups, **options)
    assert conv_backward_module._transposed_padding(ctx) is not None
    grad = rng.standard_normal(y.shape)
    by_convolution = F.conv_backward(grad, ctx)[0]
    monkeypatch.setattr(conv_backward_module, "TRANSPOSED_MIN_CHANNELS", 10**6)
    assert conv_backward_module._transposed_padding(ctx) is None
    np.testing.assert_allclose(by_convolution, F.conv_backward(grad, ctx)[0], rtol=1e-10)


def test_padding_wider_than_the_kernel_keeps_col2im():
    x = np.zeros((1, 16, 5, 5))
    _, ctx = F.conv2d(x, np.ones((2, 16, 3, 3)), padding=3)  # reach of a 3x3 kernel is 2
    assert conv_backward_module._transposed_padding(ctx) is None


SHARES_COLUMNS = {  # whether x's rows fit the forward's planes for each case of CASES
    "3x3 pad 1": True,
    "5x5 no padding": False,  # dx's convolution pads dy by 4 a side: wider rows than x's
    "even kernel, same": True,
    "dilated": True,
    "two groups of 16": True,
}


@pytest.mark.parametrize("case", list(CASES))
def test_weight_gradient_from_the_input_gradients_columns_matches_x_columns(monkeypatch, case):
    groups, kernel, options = split_case(case)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 16 * groups, 8, 30))  # wide: full rows
    w = rng.standard_normal((4 * groups, 16, *kernel))
    b = rng.standard_normal(4 * groups)
    y, ctx = F.conv2d(x, w, b, groups=groups, **options)
    padding = conv_backward_module._transposed_padding(ctx)
    assert (conv_backward_module.input_rows(ctx, padding) is not None) == SHARES_COLUMNS[case]
    assert (ctx.cols is None) == SHARES_COLUMNS[case]  # forward kept no columns it won't need
    dy = rng.standard_normal(y.shape)
    shared = F.conv_backward(dy, ctx)
    monkeypatch.setattr(conv_backward_module, "input_rows", lambda *args: None)
    for mine, theirs in zip(shared, F.conv_backward(dy, ctx), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-10)


def test_weight_gradient_from_shared_columns_matches_torch_in_float32_with_a_bias():
    ours = nn.Conv2d(32, 8, 3, padding=1, rng=0)
    theirs = torch.nn.Conv2d(32, 8, 3, padding=1)
    x = np.random.default_rng(6).standard_normal((4, 32, 6, 20))
    assert_matches_torch(ours, theirs, x, np.float32)
