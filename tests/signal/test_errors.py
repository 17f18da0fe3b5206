"""Bad input gets a clear message (what is wrong, then what was received)."""

import math
import re

import numpy as np
import pytest

from cnnlab.signal import choose_method, convolve, convolve_continuous, correlate


def raises(error, message):
    return pytest.raises(error, match=re.escape(message))


@pytest.mark.parametrize("function", [convolve, correlate, choose_method])
def test_misspelt_mode_suggests_the_right_one(function):
    with raises(
        ValueError,
        "`mode` must be one of 'full', 'same', 'valid' "
        "(did you mean 'same'?). Received: mode='sam'.",
    ):
        function([1, 2], [1], mode="sam")


@pytest.mark.parametrize("function", [convolve, correlate])
def test_misspelt_method_suggests_the_right_one(function):
    with raises(
        ValueError,
        "`method` must be one of 'auto', 'direct', 'fft' "
        "(did you mean 'fft'?). Received: method='fftt'.",
    ):
        function([1, 2], [1], method="fftt")


def test_method_that_is_not_a_string_is_named():
    with raises(ValueError, "`method` must be one of 'auto', 'direct', 'fft'. Received: method=3."):
        convolve([1, 2], [1], method=3)


@pytest.mark.parametrize("function", [convolve, correlate, choose_method])
def test_different_numbers_of_dimensions_show_both_shapes(function):
    with raises(
        ValueError,
        "`a` and `v` must have the same number of dimensions. "
        "Received: a with shape (4, 4), v with shape (3,).",
    ):
        function(np.ones((4, 4)), np.ones(3))


@pytest.mark.parametrize("which", ["a", "v"])
def test_empty_array_is_refused(which):
    arrays = {"a": np.ones((3, 2)), "v": np.ones((2, 2))}
    arrays[which] = np.ones((0, 2))
    with raises(
        ValueError,
        f"`{which}` must not be empty. Received: {which} with shape (0, 2) and dtype float64.",
    ):
        convolve(arrays["a"], arrays["v"])


def test_strings_are_not_numbers():
    with raises(
        TypeError, "`v` must be a numeric array. Received: v with shape (2,) and dtype <U1."
    ):
        convolve([1.0, 2.0], ["a", "b"])


def test_ragged_lists_are_not_arrays():
    with raises(TypeError, "`a` must be a numeric array. Received: a of type list."):
        correlate([[1, 2], [3]], [[1]])


def test_object_arrays_are_refused():
    with raises(
        TypeError, "`a` must be a numeric array. Received: a with shape (2,) and dtype object."
    ):
        convolve(np.array([1, None]), [1])


@pytest.mark.parametrize("function", [convolve, correlate])
def test_valid_mode_needs_one_input_to_cover_the_other(function):
    with raises(
        ValueError,
        "`a` or `v` must be at least as large as the other in every dimension "
        "in 'valid' mode. Received: a with shape (3, 5), v with shape (4, 4).",
    ):
        function(np.ones((3, 5)), np.ones((4, 4)), mode="valid")


def test_valid_mode_accepts_a_kernel_larger_in_every_dimension():
    assert convolve(np.ones((3, 2)), np.ones((4, 4)), mode="valid").shape == (2, 3)


def test_continuous_needs_callables():
    with raises(TypeError, "`f` must be a callable. Received: f=[1, 2]."):
        convolve_continuous([1, 2], np.exp, [0.0])


def test_continuous_needs_vectorised_functions():
    with raises(
        TypeError,
        "`g` must take a NumPy array and return an array of its shape (write it "
        "with NumPy functions, e.g. np.exp rather than math.exp). Received: g=<built-in "
        "function exp>, which raised TypeError:",
    ):
        convolve_continuous(np.sin, math.exp, [0.0], tau=(0, 1))


def test_continuous_function_returning_the_wrong_shape_is_named():
    with raises(TypeError, "which returned shape (2,) for an input of shape (5,)."):
        convolve_continuous(lambda x: np.ones(2), np.exp, [0.0], tau=(0, 1), n=5)


def test_continuous_needs_an_odd_number_of_points():
    with raises(ValueError, "`n` must be an odd int >= 3. Received: n=100."):
        convolve_continuous(np.sin, np.cos, [0.0], tau=(0, 1), n=100)


def test_continuous_needs_an_increasing_interval():
    with raises(
        ValueError,
        "`tau` must be a pair (lo, hi) of finite numbers with lo < hi. Received: tau=(1, 0).",
    ):
        convolve_continuous(np.sin, np.cos, [0.0], tau=(1, 0))


def test_continuous_needs_real_finite_points():
    with raises(
        ValueError,
        "`t` must hold only finite values (no NaN or Inf). "
        "Received: t with shape (2,) and dtype float64.",
    ):
        convolve_continuous(np.sin, np.cos, [0.0, np.nan], tau=(0, 1))


def test_continuous_asks_for_tau_when_f_does_not_decay():
    with raises(
        ValueError,
        "Could not find where `f` becomes negligible within [-1048576, "
        "1048576] (it may decay too slowly, be too narrow to sample, or be infinite); "
        "pass the integration interval as tau=(lo, hi).",
    ):
        convolve_continuous(np.ones_like, np.ones_like, [0.0])
