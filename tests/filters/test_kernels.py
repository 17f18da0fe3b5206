"""The kernel library: named constants, kernel(name, ...), and the KERNELS table."""

import numpy as np
import pytest
import scipy.ndimage as ndi

from cnnlab.filters import (
    IDENTITY,
    KERNELS,
    PREWITT_X,
    PREWITT_Y,
    SHARPEN,
    SOBEL_X,
    convolve,
    correlate,
    gaussian,
    kernel,
    mean,
)


def test_the_prewitt_pair_is_the_lectures():
    np.testing.assert_array_equal(PREWITT_X, [[1, 0, -1]] * 3)
    np.testing.assert_array_equal(PREWITT_Y, [[1, 1, 1], [0, 0, 0], [-1, -1, -1]])


@pytest.mark.parametrize("name", ["prewitt", "sobel", "scharr"])
def test_gradient_kernels_are_rank_one_and_gy_is_gx_transposed(name):
    gx, gy = kernel(f"{name}_x"), kernel(f"{name}_y")
    np.testing.assert_array_equal(gy, gx.T)
    assert np.linalg.matrix_rank(gx) == 1
    assert gx.sum() == 0


def test_identity_kernel_returns_the_image(image_of):
    image = image_of((9, 11, 3), np.float32)
    np.testing.assert_array_equal(convolve(image, kernel("identity")), image)


def test_sharpen_is_identity_minus_laplacian():
    np.testing.assert_array_equal(SHARPEN, IDENTITY - kernel("laplacian"))
    assert SHARPEN.sum() == 1


@pytest.mark.parametrize("size", [1, 3, 4, (2, 5)])
def test_mean_kernel_sums_to_one_and_correlating_with_it_is_mean(size, image_of, assert_close):
    box = kernel("mean", size=size)
    assert box.sum() == pytest.approx(1.0, abs=1e-15)
    assert np.ptp(box) == 0
    image = image_of((10, 12))
    assert_close(correlate(image, box), mean(image, size))


def test_convolving_with_an_even_box_centres_it_one_sample_earlier(image_of, assert_close):
    # convolve mirrors correlate's centre for even sizes, as scipy.ndimage.convolve does.
    image = image_of((10, 12))
    shifted = convolve(image, kernel("mean", size=(1, 4)), mode="wrap")
    assert_close(shifted, np.roll(mean(image, (1, 4), mode="wrap"), -1, axis=1))
    assert_close(convolve(image, kernel("mean", size=3)), mean(image, 3))


@pytest.mark.parametrize(("sigma", "truncate"), [(0.5, 4.0), (1.0, 4.0), (2.3, 2.0), (3.0, 1.0)])
def test_gaussian_kernel_sums_to_one_with_scipys_radius(sigma, truncate, image_of, assert_close):
    weights = kernel("gaussian", sigma=sigma, truncate=truncate)
    radius = int(truncate * sigma + 0.5)
    assert weights.shape == (2 * radius + 1, 2 * radius + 1)
    assert weights.sum() == pytest.approx(1.0, abs=1e-14)
    np.testing.assert_array_equal(weights, weights.T)
    image = image_of((25, 20))
    assert_close(convolve(image, weights), gaussian(image, sigma, truncate=truncate))
    # The 2-D kernel is what scipy's gaussian_filter applies to a unit impulse.
    impulse = np.zeros((2 * radius + 1,) * 2)
    impulse[radius, radius] = 1.0
    expected = ndi.gaussian_filter(impulse, sigma, truncate=truncate, mode="constant")
    assert_close(weights, expected)


def test_constants_are_read_only_and_kernel_returns_a_fresh_copy():
    with pytest.raises(ValueError, match="read-only"):
        SOBEL_X[0, 0] = 5
    copy = kernel("sobel_x")
    copy[0, 0] = 5
    assert SOBEL_X[0, 0] == 1 and kernel("sobel_x")[0, 0] == 1


def test_kernels_table_lists_every_name_with_parameters_and_description():
    assert set(KERNELS) == {
        "mean", "gaussian", "prewitt_x", "prewitt_y", "sobel_x", "sobel_y",
        "scharr_x", "scharr_y", "laplacian", "identity", "sharpen", "emboss",
    }  # fmt: skip
    table = repr(KERNELS).splitlines()
    assert table[0].split() == ["name", "parameters", "description"]
    assert len(table) == len(KERNELS) + 1
    assert any(row.startswith("gaussian") and "sigma=1.0, truncate=4.0" in row for row in table)
    for name in KERNELS:
        assert kernel(name).ndim == 2 and kernel(name).dtype == np.float64
