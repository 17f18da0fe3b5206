"""filter_cost: what a filter will need, known before it runs."""

import tracemalloc

import numpy as np
import pytest

from cnnlab import filters
from cnnlab.filters import filter_cost


def peak_bytes(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("gaussian", {"sigma": 2.0}),
        ("gaussian", {"sigma": 400.0}),
        ("mean", {"size": 101}),
        ("median", {"size": 3}),
        ("median", {"size": 15}),
        ("sobel", {}),
        ("laplacian", {}),
    ],
)
def test_the_memory_estimate_bounds_what_the_filter_allocates(name, params):
    image = np.random.default_rng(0).random((300, 400)).astype(np.float32)
    estimate = filter_cost(name, image.shape, image.dtype, **params).nbytes
    peak = peak_bytes(lambda: filters.apply(image, name, **params))
    assert peak <= estimate <= 16 * peak


def test_the_memory_estimate_of_a_custom_kernel_bounds_the_convolution():
    image = np.random.default_rng(1).random((300, 400))
    kernel = np.ones((41, 41))
    estimate = filter_cost("kernel file", image.shape, image.dtype, kernel_shape=kernel.shape)
    assert peak_bytes(lambda: filters.convolve(image, kernel)) <= estimate.nbytes


def test_a_gaussian_of_sigma_1e6_is_known_to_need_tens_of_gigabytes():
    cost = filter_cost("gaussian", (480, 640), sigma=1e6)
    assert 15 * 2**30 < cost.nbytes < 64 * 2**30  # 8 million taps pad the image both ways


def test_a_median_over_1001x1001_windows_is_known_to_take_hours():
    assert filter_cost("median", (480, 640, 3), size=1001).seconds > 3 * 3600


def test_costs_grow_with_the_window_and_the_channels():
    sigmas = [filter_cost("gaussian", (256, 256), sigma=s) for s in (1, 10, 100, 1000)]
    assert all(a.nbytes < b.nbytes and a.seconds < b.seconds for a, b in zip(sigmas, sigmas[1:]))
    gray, colour = (filter_cost("median", shape, size=5) for shape in ((64, 64), (64, 64, 3)))
    assert colour.seconds == pytest.approx(3 * gray.seconds)


def test_a_sigma_too_large_for_any_kernel_gives_a_finite_estimate():
    cost = filter_cost("gaussian", (10, 10), sigma=1e300)
    assert cost.nbytes > 2**60 and np.isfinite(cost.seconds)


def test_the_gaussian_refuses_a_radius_that_is_not_finite():
    with pytest.raises(ValueError, match=r"`truncate \* sigma` must be finite"):
        filters.gaussian(np.ones((4, 4)), sigma=1e308)
