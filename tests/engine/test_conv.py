"""Conv1d and Conv2d against PyTorch: forward, input gradient and parameter gradients."""

import itertools

import numpy as np
import pytest
import torch

from checks.torch_reference import assert_matches_torch
from cnnlab import nn
from cnnlab.backend.fast.conv import conv2d

# The globals the fast conv2d runs with. Patch these, not its module: pytest's
# doctests may import that module a second time, and patching the copy changes nothing.
CONV_GLOBALS = conv2d.__globals__

# torch warns that it pads a copy of the input for 'same' with an even kernel; expected.
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

DTYPES = [np.float32, np.float64]
PADDING_MODES = ["zeros", "reflect", "replicate", "circular"]


def geometries(paddings):
    """(stride, padding, dilation) combinations PyTorch accepts ('same' needs stride 1)."""
    return [
        (s, p, d)
        for s, p, d in itertools.product([1, 2], paddings, [1, 2])
        if not (p == "same" and s != 1)
    ]


GEOMETRIES_2D = geometries([0, 1, "same", (2, 1)])
GEOMETRIES_1D = geometries([0, 1, "same", (2,)])
GROUPS = {"groups1": (4, 6, 1), "groups2": (4, 6, 2), "depthwise": (4, 8, 4)}


def pair(cls_ours, cls_torch, *args, **kwargs):
    return cls_ours(*args, rng=0, **kwargs), cls_torch(*args, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("groups", list(GROUPS), ids=list(GROUPS))
@pytest.mark.parametrize(("stride", "padding", "dilation"), GEOMETRIES_2D)
def test_conv2d_matches_torch(on_backend, stride, padding, dilation, groups, dtype):
    c_in, c_out, g = GROUPS[groups]
    ours, theirs = pair(
        nn.Conv2d,
        torch.nn.Conv2d,
        c_in,
        c_out,
        (3, 2),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=g,
    )
    x = np.random.default_rng(1).standard_normal((2, c_in, 7, 9))  # odd sizes
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("groups", list(GROUPS), ids=list(GROUPS))
@pytest.mark.parametrize(("stride", "padding", "dilation"), GEOMETRIES_1D)
def test_conv1d_matches_torch(on_backend, stride, padding, dilation, groups, dtype):
    c_in, c_out, g = GROUPS[groups]
    ours, theirs = pair(
        nn.Conv1d,
        torch.nn.Conv1d,
        c_in,
        c_out,
        3,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=g,
    )
    x = np.random.default_rng(2).standard_normal((2, c_in, 11))
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("padding", [1, (2, 1), "same"])
@pytest.mark.parametrize("padding_mode", PADDING_MODES)
def test_every_padding_mode_matches_torch(on_backend, padding_mode, padding, dtype):
    ours, theirs = pair(
        nn.Conv2d, torch.nn.Conv2d, 3, 4, (3, 2), padding=padding, padding_mode=padding_mode
    )
    x = np.random.default_rng(3).standard_normal((2, 3, 7, 9))
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("padding_mode", PADDING_MODES)
def test_every_padding_mode_matches_torch_in_1d_with_stride_and_dilation(
    on_backend, padding_mode, dtype
):
    ours, theirs = pair(
        nn.Conv1d,
        torch.nn.Conv1d,
        2,
        3,
        3,
        stride=2,
        padding=2,
        dilation=2,
        padding_mode=padding_mode,
    )
    x = np.random.default_rng(4).standard_normal((2, 2, 10))
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("arguments", "shape"),
    [
        (dict(in_channels=3, out_channels=5, kernel_size=3, padding=1, bias=False), (1, 3, 7, 9)),
        (dict(in_channels=1, out_channels=6, kernel_size=5, padding=2), (1, 1, 28, 28)),
        (dict(in_channels=6, out_channels=16, kernel_size=5), (3, 6, 14, 14)),
        (dict(in_channels=2, out_channels=4, kernel_size=(1, 4), stride=(2, 3)), (2, 2, 5, 11)),
        (dict(in_channels=6, out_channels=3, kernel_size=2, groups=3, bias=False), (1, 6, 4, 4)),
    ],
    ids=["batch-of-one-no-bias", "lenet-conv1", "lenet-conv2", "rectangular", "groups3"],
)
def test_conv2d_layer_shapes_match_torch(on_backend, arguments, shape, dtype):
    ours, theirs = pair(nn.Conv2d, torch.nn.Conv2d, **arguments)
    x = np.random.default_rng(5).standard_normal(shape)
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv1d_batch_of_one_without_bias_matches_torch(on_backend, dtype):
    ours, theirs = pair(nn.Conv1d, torch.nn.Conv1d, 3, 2, 4, bias=False, padding="same")
    x = np.random.default_rng(6).standard_normal((1, 3, 9))
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize("padding_mode", PADDING_MODES)
@pytest.mark.parametrize("stride", [1, 2])
def test_one_image_per_chunk_matches_torch(stride, padding_mode, monkeypatch):
    # Chunks of one image, columns rebuilt in backward: the path of large layers.
    monkeypatch.setitem(CONV_GLOBALS["chunk_size"].__globals__, "CHUNK_BYTES", 1)
    monkeypatch.setitem(CONV_GLOBALS, "KEEP_COLS_BYTES", 0)
    ours, theirs = pair(
        nn.Conv2d,
        torch.nn.Conv2d,
        4,
        6,
        3,
        stride=stride,
        padding=1,
        padding_mode=padding_mode,
        groups=2,
    )
    x = np.random.default_rng(8).standard_normal((3, 4, 7, 9))
    assert_matches_torch(ours, theirs, x, np.float64)


def test_a_batch_larger_than_one_chunk_matches_torch():
    # 64 images of 8x32x32: the batch is split into chunks of the default size.
    ours, theirs = pair(nn.Conv2d, torch.nn.Conv2d, 8, 8, 3, padding=1)
    x = np.random.default_rng(7).standard_normal((64, 8, 32, 32))
    assert_matches_torch(ours, theirs, x, np.float32, scale=4.0)
