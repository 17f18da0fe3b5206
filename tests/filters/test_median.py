"""median agrees with scipy's median_filter exactly and removes salt-and-pepper noise."""

import numpy as np
import pytest
import scipy.ndimage as ndi

from cnnlab.filters import MODES, mean, median


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8, np.int16])
@pytest.mark.parametrize("shape", [(19, 24), (19, 24, 3), (2, 1)], ids=["gray", "colour", "tiny"])
@pytest.mark.parametrize("size", [3, 2, (3, 5), (4, 1), 5, 7])
@pytest.mark.parametrize("mode", MODES)
def test_median_matches_median_filter_exactly(mode, size, shape, dtype, image_of):
    image = (image_of(shape) * 100).astype(dtype)
    result = median(image, size, mode=mode, cval=7)
    assert result.dtype == dtype
    channels = [image] if image.ndim == 2 else [image[:, :, c] for c in range(3)]
    expected = [ndi.median_filter(c, size, mode=mode, cval=7) for c in channels]
    np.testing.assert_array_equal(
        result, expected[0] if image.ndim == 2 else np.stack(expected, -1)
    )


def test_median_removes_salt_and_pepper_noise_that_the_mean_only_smears():
    clean = np.tile(np.linspace(0.0, 1.0, 40), (40, 1))  # a smooth ramp
    noisy = clean.copy()
    rng = np.random.default_rng(0)
    salt, pepper = rng.random(clean.shape) < 0.05, rng.random(clean.shape) < 0.05
    noisy[salt], noisy[pepper] = 10.0, -10.0
    inside = (slice(1, -1), slice(1, -1))
    median_error = np.abs(median(noisy, 3) - clean)[inside]
    mean_error = np.abs(mean(noisy, 3) - clean)[inside]
    assert np.median(median_error) < 0.03  # most pixels are back to the ramp
    assert median_error.max() < 1.0  # no spike survives
    assert mean_error.max() > 3.0  # the mean spreads each spike over its window
    assert np.mean(mean_error > 0.5) > 5 * np.mean(median_error > 0.5)


def test_a_single_outlier_disappears_and_an_edge_survives():
    image = np.zeros((7, 7))
    image[:, 4:] = 1.0  # a vertical edge
    image[2, 1] = 50.0  # an outlier
    expected = np.zeros((7, 7))
    expected[:, 4:] = 1.0
    np.testing.assert_array_equal(median(image, 3), expected)


def test_the_3x3_network_agrees_with_sorting_on_ties_and_extremes():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 3, size=(40, 37)).astype(np.float32)  # many ties
    image[5, 5], image[6, 6] = np.finfo(np.float32).max, -np.inf
    np.testing.assert_array_equal(median(image, 3), ndi.median_filter(image, 3))
    np.testing.assert_array_equal(median(image, (3, 3)), median(image[..., None], 3)[..., 0])


@pytest.mark.parametrize("size", [3, 5])
def test_results_are_fresh_arrays_that_later_calls_leave_alone(size, image_of):
    first = median(image_of((30, 20), seed=1), size)
    kept = first.copy()
    median(image_of((30, 20), seed=2), size)
    np.testing.assert_array_equal(first, kept)
