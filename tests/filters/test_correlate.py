"""correlate and convolve agree with scipy.ndimage on every mode, kernel shape and dtype."""

import numpy as np
import pytest
import scipy.ndimage as ndi

from cnnlab.filters import MODES, _direct, _fft, convolve, correlate

OPERATIONS = [(correlate, ndi.correlate), (convolve, ndi.convolve)]
KERNEL_SHAPES = [(3, 3), (4, 2), (5, 4), (1, 4), (3, 1), (6, 6)]  # odd, even, mixed, 1-D


@pytest.mark.parametrize("method", ["auto", "direct", "fft"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(13, 17), (13, 17, 3)], ids=["gray", "colour"])
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("ours", "scipy"), OPERATIONS, ids=["correlate", "convolve"])
def test_matches_scipy_on_every_mode_kernel_dtype_and_channel(
    ours, scipy, mode, kernel_shape, shape, dtype, method, image_of, scipy_per_channel, assert_close
):
    image = image_of(shape, dtype)
    kernel = image_of(kernel_shape, seed=1)
    result = ours(image, kernel, mode=mode, cval=0.25, method=method)
    assert result.dtype == dtype  # float images keep their dtype
    expected = scipy_per_channel(scipy, image, kernel, mode=mode, cval=0.25)
    assert_close(result, expected, scale=np.abs(kernel).sum())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kernel_shape", [(9, 9), (15, 4), (2, 12)])
def test_kernels_larger_than_the_image_extend_it_as_scipy_does(
    mode, kernel_shape, image_of, assert_close
):
    image = image_of((5, 3))
    kernel = image_of(kernel_shape, seed=3)
    for method in ("direct", "fft"):
        result = convolve(image, kernel, mode=mode, cval=-0.5, method=method)
        expected = ndi.convolve(image, kernel, mode=mode, cval=-0.5)
        assert_close(result, expected, scale=np.abs(kernel).sum())


@pytest.mark.parametrize("mode", MODES)
def test_a_single_pixel_image_is_extended_by_itself(mode):
    result = convolve(np.array([[2.0]]), np.ones((3, 3)), mode=mode, cval=1.0)
    assert result[0, 0] == ndi.convolve(np.array([[2.0]]), np.ones((3, 3)), mode=mode, cval=1.0)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kernel_shape", [(3, 3), (5, 2)])
def test_rank_one_kernels_take_two_passes_and_agree(mode, kernel_shape, image_of, assert_close):
    image = image_of((21, 18), np.float32)
    column, row = image_of(kernel_shape[:1], seed=4), image_of(kernel_shape[1:], seed=5)
    kernel = np.outer(column, row)
    expected = ndi.convolve(image.astype(np.float64), kernel, mode=mode, cval=2.0)
    assert_close(convolve(image, kernel, mode=mode, cval=2.0), expected, scale=np.abs(kernel).sum())


@pytest.mark.parametrize("shape", [(9, 700), (3300, 5)], ids=["wide", "tall"])
def test_images_wider_or_taller_than_one_block_of_products(shape, image_of, assert_close):
    image = image_of(shape, np.float32)
    for kernel in (image_of((7, 7), seed=6), image_of((1, 3), seed=7)):
        expected = ndi.correlate(image.astype(np.float64), kernel)
        result = correlate(image, kernel, method="direct")
        assert_close(result, expected, scale=np.abs(kernel).sum())


@pytest.mark.parametrize("tile", [(180, 216), (64, 64), (128, 40), (180, 64)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_in_overlapping_tiles_agrees_with_scipy(tile, dtype, image_of, assert_close):
    # (180, 216) is the whole padded plane, (180, 64) strips, the others tiles.
    image = image_of((150, 201), dtype)
    kernel = image_of((17, 12), seed=8).astype(dtype)
    widths = ((8, 8), (6, 5))
    result = _fft.correlate_fft(image, kernel, widths, "wrap", 0.0, tile)
    expected = ndi.correlate(image.astype(np.float64), kernel.astype(np.float64), mode="wrap")
    assert_close(result, expected, scale=np.abs(kernel).sum())


def test_large_kernels_on_large_images_go_through_the_fft_and_agree(image_of, assert_close):
    image = image_of((300, 260), np.float32)
    kernel = image_of((31, 31), seed=9)
    tile, fft_seconds = _fft.plan((330, 290), (31, 31))
    assert tile[0] >= 2 * 31 and tile[1] >= 2 * 31
    assert fft_seconds < _direct.seconds((300, 260), (31, 31)), "auto should pick the FFT"
    expected = ndi.convolve(image.astype(np.float64), kernel)
    assert_close(convolve(image, kernel), expected, scale=np.abs(kernel).sum())


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.bool_])
def test_integer_and_boolean_images_give_float64(dtype, image_of):
    image = (image_of((8, 9)) > 0).astype(dtype) * (1 if dtype == np.bool_ else 7)
    result = convolve(image, np.ones((3, 3)))
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, ndi.convolve(image.astype(np.float64), np.ones((3, 3))))


def test_float16_images_stay_float16(image_of):
    image = image_of((8, 8), np.float16)
    result = convolve(image, np.ones((3, 3)) / 9)
    assert result.dtype == np.float16
    expected = ndi.convolve(image.astype(np.float64), np.ones((3, 3)) / 9)
    np.testing.assert_allclose(result, expected, atol=2e-3)


def test_an_empty_image_gives_an_empty_result():
    result = convolve(np.zeros((0, 4), dtype=np.float32), np.ones((3, 3)))
    assert result.shape == (0, 4) and result.dtype == np.float32


@pytest.mark.parametrize("method", ["auto", "fft"])
def test_nan_only_reaches_the_outputs_whose_window_holds_it(method, image_of):
    image = image_of((12, 14))
    image[5, 6] = np.nan
    kernel = image_of((3, 4), seed=10)
    kernel[0, 0] = 0.0  # skipped, as scipy skips zero weights
    result = convolve(image, kernel, method=method)
    expected = ndi.convolve(image, kernel)
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12)
    assert np.isnan(result).sum() == 11


def test_inf_in_the_image_stays_in_its_window():
    image = np.zeros((9, 9))
    image[4, 4] = np.inf
    result = correlate(image, np.ones((3, 3)))
    assert np.isinf(result).sum() == 9 and np.isinf(result[3:6, 3:6]).all()


def test_convolve_flips_the_kernel_and_correlate_does_not():
    image = np.zeros((1, 5))
    image[0, 2] = 1.0
    kernel = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(correlate(image, kernel), [[0, 3, 2, 1, 0]])
    np.testing.assert_array_equal(convolve(image, kernel), [[0, 1, 2, 3, 0]])
    np.testing.assert_array_equal(convolve(image, kernel), correlate(image, kernel[:, ::-1]))


def test_fft_lengths_have_only_small_prime_factors():
    def smooth(n):
        for p in (2, 3, 5):
            while n % p == 0:
                n //= p
        return n == 1

    for n in range(1, 3000):
        length = _fft.fast_length(n)
        assert length >= n and smooth(length)
        assert not any(smooth(m) for m in range(n, length))


@pytest.mark.parametrize(
    "kernel_shape, method",
    [((3, 3), "direct"), ((1, 5), "direct"), ((31, 31), "fft")],
    ids=["band-products", "one-pass", "fft"],
)
def test_results_are_fresh_arrays_that_later_calls_leave_alone(kernel_shape, method, image_of):
    kernel = image_of(kernel_shape, seed=11)
    first_image, second_image = image_of((40, 50), seed=12), image_of((40, 50), seed=13)
    first = convolve(first_image, kernel, method=method)
    kept = first.copy()
    convolve(second_image, kernel, method=method)
    convolve(second_image, np.outer(kernel.sum(1), kernel.sum(0)), method=method)
    np.testing.assert_array_equal(first, kept)
    assert first.flags.c_contiguous and first.flags.owndata
