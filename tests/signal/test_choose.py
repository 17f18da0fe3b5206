"""How method="auto" chooses, and the fast FFT lengths the FFT method pads to."""

import numpy as np
import pytest
import scipy.signal

from cnnlab.signal import choose_method, convolve, correlate, next_fast_len
from cnnlab.signal.choose import SMALL_SECONDS, scipy_seconds


def is_5_smooth(n):
    for p in (2, 3, 5):
        while n % p == 0:
            n //= p
    return n == 1


def test_next_fast_len_is_the_smallest_5_smooth_number_not_below_n():
    for n in range(1, 2000):
        fast = next_fast_len(n)
        assert fast >= n and is_5_smooth(fast)
        assert not any(is_5_smooth(m) for m in range(n, fast))


def test_small_kernel_on_an_image_is_summed_directly():
    assert choose_method(np.ones((512, 512)), np.ones((3, 3)), "same") == "direct"


def test_large_kernel_on_an_image_goes_through_the_fft():
    assert choose_method(np.ones((512, 512)), np.ones((31, 31)), "same") == "fft"


def test_long_signals_of_similar_length_go_through_the_fft():
    assert choose_method(np.ones(20_000), np.ones(5_000)) == "fft"


def test_booleans_are_always_summed_directly():
    assert choose_method(np.ones((256, 256), bool), np.ones((41, 41), bool)) == "direct"


def test_integers_too_large_for_exact_fft_rounding_are_summed_directly():
    small = np.ones((256, 256), np.int64)
    assert choose_method(small, np.ones((41, 41), np.int64)) == "fft"
    assert choose_method(small * 2**40, np.ones((41, 41), np.int64)) == "direct"


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_input_is_summed_directly_so_it_stays_local(bad):
    image = np.ones((256, 256))
    image[0, 0] = bad
    assert choose_method(image, np.ones((41, 41))) == "direct"
    result = convolve(image, np.ones((41, 41)), "same")
    assert np.isfinite(result[100:, 100:]).all()


def scipy_auto_method(a, v, mode):
    """The method scipy.signal.convolve(a, v, mode) runs with method="auto"."""
    if mode == "valid" and v.size > a.size:  # SciPy puts the larger input first
        a, v = v, a
    return scipy.signal.choose_conv_method(a, v, mode)


def test_small_complex_integers_are_summed_exactly_as_scipy_sums_them():
    rng = np.random.default_rng(0)
    a = rng.integers(-3, 4, (4, 4, 3)) + 1j * rng.integers(-3, 4, (4, 4, 3))
    v = rng.integers(-3, 4, (4, 2, 3)) + 1j * rng.integers(-3, 4, (4, 2, 3))
    assert choose_method(a, v, "same") == scipy_auto_method(a, v, "same") == "direct"
    np.testing.assert_array_equal(convolve(a, v, "same"), scipy.signal.convolve(a, v, "same"))


def test_a_complex_pair_of_shapes_1x2x2_and_1x4x4_comes_back_exact():
    rng = np.random.default_rng(1)
    a = rng.integers(-3, 4, (1, 2, 2)) + 1j * rng.integers(-3, 4, (1, 2, 2))
    v = rng.integers(-3, 4, (1, 4, 4)) + 1j * rng.integers(-3, 4, (1, 4, 4))
    for first, second in ((a, v), (v, a)):
        expected = scipy.signal.convolve(first, second, "same", method="direct")
        np.testing.assert_array_equal(convolve(first, second, "same"), expected)


@pytest.mark.parametrize("n", [5, 7, 8])
def test_3d_float32_derivative_of_a_constant_volume_is_exactly_zero(n):
    volume = np.full((n, n, n), 0.7, np.float32)
    derivative = np.zeros((3, 3, 3), np.float32)
    derivative[..., 0], derivative[..., 2] = -1, 1
    assert choose_method(volume, derivative, "valid") == "direct"
    result = correlate(volume, derivative, "valid")
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result, 0)


def test_auto_picks_scipys_method_on_random_small_shapes():
    rng = np.random.default_rng(2)
    compared = 0
    for trial in range(600):
        ndim = int(rng.integers(1, 4))
        shapes = [tuple(int(n) for n in rng.integers(1, 7, ndim)) for _ in range(2)]
        mode = ("full", "same", "valid")[trial % 3]
        dtype = (np.float64, np.float32, np.complex128, np.int64)[trial % 4]
        a, v = (rng.integers(-4, 5, shape).astype(dtype) for shape in shapes)
        if mode == "valid" and not (
            all(m >= n for m, n in zip(*shapes)) or all(m <= n for m, n in zip(*shapes))
        ):
            continue
        if scipy_seconds(a.shape, v.shape, mode)[0] > SMALL_SECONDS:
            continue  # beyond SciPy's rule: cnnlab's own timing model decides
        compared += 1
        assert choose_method(a, v, mode) == scipy_auto_method(a, v, mode), (shapes, mode)
        expected = scipy.signal.correlate(a, v, mode)
        np.testing.assert_allclose(correlate(a, v, mode), expected, rtol=1e-6, atol=1e-4)
    assert compared > 300


def test_integers_that_scipy_sums_directly_for_exactness_are_summed_directly():
    a = np.full((64, 64), 2**26, np.int64)
    v = np.full((64, 64), 2**26 + 1, np.int64)
    assert scipy.signal.choose_conv_method(a, v) == "direct"
    assert choose_method(a, v) == "direct"


def test_exact_integer_sums_stay_exact_when_the_fft_is_chosen():
    rng = np.random.default_rng(3)
    a, v = rng.integers(-50, 51, (96, 96)), rng.integers(-50, 51, (31, 31))
    assert choose_method(a, v) == "fft"
    np.testing.assert_array_equal(convolve(a, v), convolve(a, v, method="direct"))
