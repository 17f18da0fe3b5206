"""Pooling layers against PyTorch and float64 finite differences."""

import itertools

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab import nn

DTYPES = [np.float32, np.float64]
GEOMETRIES = list(itertools.product([2, 3], [1, 2, 3], [0, 1]))  # kernel, stride, padding
IDS = [f"k{k}-s{s}-p{p}" for k, s, p in GEOMETRIES]
ODD_SHAPES = {1: (2, 3, 11), 2: (2, 3, 7, 9)}
MAX_POOLS = {1: (nn.MaxPool1d, torch.nn.MaxPool1d), 2: (nn.MaxPool2d, torch.nn.MaxPool2d)}
AVG_POOLS = {1: (nn.AvgPool1d, torch.nn.AvgPool1d), 2: (nn.AvgPool2d, torch.nn.AvgPool2d)}


def distinct_values(shape, seed=0):
    """A random permutation of well-separated values: no ties, so max pool is smooth."""
    rng = np.random.default_rng(seed)
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dilation", [1, 2])
@pytest.mark.parametrize(("kernel_size", "stride", "padding"), GEOMETRIES, ids=IDS)
@pytest.mark.parametrize("dims", [1, 2])
def test_max_pool_matches_torch(on_backend, dims, kernel_size, stride, padding, dilation, dtype):
    ours, theirs = MAX_POOLS[dims]
    x = np.random.default_rng(1).standard_normal(ODD_SHAPES[dims])
    assert_matches_torch(
        ours(kernel_size, stride, padding, dilation),
        theirs(kernel_size, stride, padding, dilation),
        x,
        dtype,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize(("kernel_size", "stride", "padding"), GEOMETRIES, ids=IDS)
@pytest.mark.parametrize("dims", [1, 2])
def test_avg_pool_matches_torch(
    on_backend, dims, kernel_size, stride, padding, count_include_pad, dtype
):
    ours, theirs = AVG_POOLS[dims]
    x = np.random.default_rng(2).standard_normal(ODD_SHAPES[dims])
    arguments = dict(
        kernel_size=kernel_size, stride=stride, padding=padding, count_include_pad=count_include_pad
    )
    assert_matches_torch(ours(**arguments), theirs(**arguments), x, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("ours", "theirs", "shape"),
    [
        (nn.AdaptiveAvgPool2d(1), torch.nn.AdaptiveAvgPool2d(1), (2, 3, 7, 9)),
        (nn.AdaptiveAvgPool2d((1, 1)), torch.nn.AdaptiveAvgPool2d((1, 1)), (1, 4, 5, 5)),
        (nn.AdaptiveAvgPool1d(1), torch.nn.AdaptiveAvgPool1d(1), (2, 3, 11)),
    ],
    ids=["2d-int", "2d-pair", "1d"],
)
def test_global_avg_pool_matches_torch(on_backend, ours, theirs, shape, dtype):
    x = np.random.default_rng(3).standard_normal(shape)
    assert_matches_torch(ours, theirs, x, dtype)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (nn.MaxPool2d(3, 2, 1), torch.nn.MaxPool2d(3, 2, 1)),
        (nn.MaxPool2d((2, 3), (1, 2), (1, 0)), torch.nn.MaxPool2d((2, 3), (1, 2), (1, 0))),
        (
            nn.AvgPool2d(3, 1, 1, count_include_pad=False),
            torch.nn.AvgPool2d(3, 1, 1, count_include_pad=False),
        ),
        (nn.AvgPool2d((3, 2), (2, 1), (1, 1)), torch.nn.AvgPool2d((3, 2), (2, 1), (1, 1))),
        (nn.MaxPool1d(3, 2, 1), torch.nn.MaxPool1d(3, 2, 1)),
        (nn.AvgPool1d(2), torch.nn.AvgPool1d(2)),
    ],
    ids=["max2d", "max2d-rect", "avg2d-nopad", "avg2d-rect", "max1d", "avg1d"],
)
def test_batch_of_one_and_rectangular_windows_match_torch(on_backend, ours, theirs):
    shape = (1, 2, 6, 5) if isinstance(ours, (nn.MaxPool2d, nn.AvgPool2d)) else (1, 2, 6)
    x = np.random.default_rng(4).standard_normal(shape)
    assert_matches_torch(ours, theirs, x, np.float32)


@pytest.mark.parametrize(
    "layer",
    [
        nn.MaxPool2d(2),
        nn.MaxPool2d(3, 1, 1),
        nn.MaxPool2d(3, 2, 1, dilation=2),
        nn.MaxPool1d(3, 2, 1),
    ],
    ids=["max2d-2", "max2d-overlap", "max2d-dilated", "max1d"],
)
def test_max_pool_gradient_matches_finite_differences(on_backend, layer):
    shape = (2, 2, 7, 9) if isinstance(layer, nn.MaxPool2d) else (2, 2, 11)
    check_gradients(layer, distinct_values(shape))


@pytest.mark.parametrize(
    "layer",
    [
        nn.AvgPool2d(2),
        nn.AvgPool2d(3, 1, 1),
        nn.AvgPool2d(3, 2, 1, count_include_pad=False),
        nn.AvgPool1d(3, 2, 1),
        nn.AdaptiveAvgPool2d(1),
        nn.AdaptiveAvgPool1d(1),
    ],
    ids=["avg2d-2", "avg2d-overlap", "avg2d-exclude-pad", "avg1d", "global2d", "global1d"],
)
def test_avg_pool_gradient_matches_finite_differences(on_backend, layer):
    shape = (2, 2, 11) if type(layer).__name__.endswith("1d") else (2, 2, 7, 9)
    check_gradients(layer, np.random.default_rng(5).standard_normal(shape))
