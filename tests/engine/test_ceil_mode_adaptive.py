"""Pooling with ceil_mode=True, and adaptive average pooling to any size, against torch."""

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab import nn

T = torch.nn
MAX_CASES = [  # (kernel, stride, padding, dilation)
    (3, 2, 0, 1),
    (2, 2, 0, 1),
    (3, 2, 1, 1),
    (3, 3, 1, 2),
    (2, 3, 1, 1),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [5, 6, 7, 10])
@pytest.mark.parametrize("case", MAX_CASES, ids=lambda c: "k{}s{}p{}d{}".format(*c))
def test_max_pool_ceil_mode_matches_torch(case, size, dtype):
    k, s, p, d = case
    x = np.random.default_rng(size).standard_normal((2, 3, size, size + 1))
    assert_matches_torch(
        nn.MaxPool2d(k, s, p, d, ceil_mode=True), T.MaxPool2d(k, s, p, d, ceil_mode=True), x, dtype
    )
    x1 = x[:, :, 0]
    assert_matches_torch(
        nn.MaxPool1d(k, s, p, d, ceil_mode=True), T.MaxPool1d(k, s, p, d, ceil_mode=True), x1, dtype
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("size", [5, 6, 7])
@pytest.mark.parametrize("case", [(3, 2, 0), (2, 2, 0), (3, 2, 1), (2, 3, 1)], ids=str)
def test_avg_pool_ceil_mode_matches_torch(case, size, count_include_pad, dtype):
    k, s, p = case
    x = np.random.default_rng(size).standard_normal((2, 3, size, size + 2))
    options = {"ceil_mode": True, "count_include_pad": count_include_pad}
    assert_matches_torch(
        nn.AvgPool2d(k, s, p, **options), T.AvgPool2d(k, s, p, **options), x, dtype
    )
    assert_matches_torch(
        nn.AvgPool1d(k, s, p, **options), T.AvgPool1d(k, s, p, **options), x[:, :, 0], dtype
    )


@pytest.mark.parametrize(
    "layer",
    [nn.MaxPool2d(3, 2, 1, ceil_mode=True), nn.AvgPool2d(3, 2, 1, ceil_mode=True)],
    ids=["max", "avg"],
)
def test_ceil_mode_gradient_matches_finite_differences(layer):
    x = np.random.default_rng(0).standard_normal((1, 2, 6, 7))
    check_gradients(layer, x)


def test_ceil_mode_keeps_the_last_partial_window_and_prints_it():
    pool = nn.MaxPool2d(2, ceil_mode=True)
    y = pool(np.arange(9.0).reshape(1, 1, 3, 3))
    np.testing.assert_array_equal(y[0, 0], [[4.0, 5.0], [7.0, 8.0]])
    assert repr(pool) == "MaxPool2d(kernel_size=2, stride=2, ceil_mode=True)"
    assert nn.MaxPool2d(2)(np.zeros((1, 1, 3, 3))).shape == (1, 1, 1, 1)


def test_a_hanging_average_divides_by_the_part_inside():
    y = nn.AvgPool1d(2, ceil_mode=True)(np.array([[[1.0, 3.0, 5.0]]]))
    np.testing.assert_array_equal(y, [[[2.0, 5.0]]])  # the last window holds only 5


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("output_size", [1, (2, 3), 4, (None, 2), (7, 5)], ids=str)
def test_adaptive_avg_pool2d_matches_torch(output_size, dtype):
    x = np.random.default_rng(1).standard_normal((2, 3, 7, 5))
    layer = nn.AdaptiveAvgPool2d(output_size)
    assert_matches_torch(layer, T.AdaptiveAvgPool2d(output_size), x, dtype)


@pytest.mark.parametrize("output_size", [1, 3, 8])
def test_adaptive_avg_pool1d_matches_torch(output_size):
    x = np.random.default_rng(2).standard_normal((2, 3, 10))
    assert_matches_torch(
        nn.AdaptiveAvgPool1d(output_size), T.AdaptiveAvgPool1d(output_size), x, np.float64
    )


def test_adaptive_gradient_matches_finite_differences():
    check_gradients(
        nn.AdaptiveAvgPool2d((2, 3)), np.random.default_rng(3).standard_normal((1, 2, 5, 7))
    )


def test_the_former_grid_name_is_the_same_class():
    assert nn.AdaptiveAvgPool2dGrid is nn.AdaptiveAvgPool2d
    assert repr(nn.AdaptiveAvgPool2d((6, 6))) == "AdaptiveAvgPool2d(output_size=(6, 6))"
