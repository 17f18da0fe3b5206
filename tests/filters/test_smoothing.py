"""mean and gaussian agree with scipy's uniform_filter and gaussian_filter."""

import numpy as np
import pytest
import scipy.ndimage as ndi

from cnnlab.filters import MODES, gaussian, mean


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(17, 22), (17, 22, 3)], ids=["gray", "colour"])
@pytest.mark.parametrize("size", [3, 4, (2, 5), 1])
@pytest.mark.parametrize("mode", MODES)
def test_mean_matches_uniform_filter(
    mode, size, shape, dtype, image_of, scipy_per_channel, assert_close
):
    image = image_of(shape, dtype)
    result = mean(image, size, mode=mode, cval=0.5)
    assert result.dtype == dtype
    assert_close(result, scipy_per_channel(ndi.uniform_filter, image, size, mode=mode, cval=0.5))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(17, 22), (17, 22, 3)], ids=["gray", "colour"])
@pytest.mark.parametrize(("sigma", "truncate"), [(0.7, 4.0), (2.0, 4.0), (1.5, 2.5)])
@pytest.mark.parametrize("mode", MODES)
def test_gaussian_matches_gaussian_filter(
    mode, sigma, truncate, shape, dtype, image_of, scipy_per_channel, assert_close
):
    image = image_of(shape, dtype)
    result = gaussian(image, sigma, truncate=truncate, mode=mode, cval=-1.0)
    assert result.dtype == dtype
    expected = scipy_per_channel(
        ndi.gaussian_filter, image, sigma, truncate=truncate, mode=mode, cval=-1.0
    )
    assert_close(result, expected)


def test_integer_images_are_smoothed_in_float64():
    image = np.arange(30, dtype=np.uint8).reshape(5, 6) * 7
    result = mean(image, 3)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, ndi.uniform_filter(image.astype(np.float64), 3))


def test_smoothing_a_constant_image_leaves_it_unchanged(image_of):
    image = np.full((12, 9), 0.3, dtype=np.float32)
    np.testing.assert_allclose(mean(image, 5), image, rtol=1e-6)
    np.testing.assert_allclose(gaussian(image, 2.0), image, rtol=1e-6)


def test_a_nan_pixel_spreads_over_its_window_only(image_of):
    # (scipy's uniform_filter keeps a running sum, so there a NaN runs to the end of the row.)
    image = image_of((15, 15))
    clean = image.copy()
    image[7, 7] = np.nan
    window = np.zeros((15, 15), dtype=bool)
    window[6:9, 6:9] = True
    result = mean(image, 3)
    assert (np.isnan(result) == window).all()
    np.testing.assert_allclose(result[~window], mean(clean, 3)[~window], rtol=1e-12)
    radius = int(4.0 * 1.0 + 0.5)
    assert np.isnan(gaussian(image, 1.0)).sum() == (2 * radius + 1) ** 2
