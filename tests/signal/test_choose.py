"""How method="auto" chooses, and the fast FFT lengths the FFT method pads to."""

import numpy as np
import pytest

from cnnlab.signal import choose_method, convolve, next_fast_len


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
