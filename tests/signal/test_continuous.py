"""convolve_continuous against closed forms; its error estimate bounds the true error."""

import numpy as np
import pytest

from cnnlab.signal import convolve_continuous


def gaussian(variance):
    return lambda x: np.exp(-(x**2) / (2 * variance)) / np.sqrt(2 * np.pi * variance)


def box(x):
    return np.where(np.abs(x) <= 0.5, 1.0, 0.0)


def step(x):
    return np.heaviside(x, 1.0)


def exponential_decay(x):
    return np.exp(-np.maximum(x, 0.0)) * step(x)


def triangle(t):
    return np.maximum(0.0, 1.0 - np.abs(t))


def one_minus_exp(t):
    return np.where(t > 0, -np.expm1(-np.maximum(t, 0.0)), 0.0)


UNEVEN = np.sort(np.random.default_rng(0).uniform(-3.0, 3.0, 40))
CASES = {
    "gaussians-variances-add": (gaussian(1.0), gaussian(0.25), gaussian(1.25), {}),
    "box-with-box-is-triangle": (box, box, triangle, {}),
    "box-with-box-on-given-tau": (box, box, triangle, {"tau": (-1.0, 1.0), "n": 801}),
    "decay-with-step-is-one-minus-exp": (exponential_decay, step, one_minus_exp, {}),
    "decay-with-step-on-given-tau": (
        exponential_decay,
        step,
        one_minus_exp,
        {"tau": (0.0, 40.0), "n": 4001},
    ),
}


@pytest.mark.parametrize("t", [np.linspace(-3, 3, 61), UNEVEN], ids=["even-t", "uneven-t"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_matches_closed_form_within_its_error_estimate(case, t):
    f, g, exact, options = case
    result = convolve_continuous(f, g, t, **options)
    true_error = np.abs(result.values - exact(t))
    assert result.values.shape == result.error.shape == t.shape
    assert np.all(true_error <= result.error)
    assert np.all(result.error < 3e-2)  # a few times h = (hi - lo) / (n - 1), not more


def test_smooth_integrand_gives_a_tiny_error_and_estimate():
    t = np.linspace(-4, 4, 33)
    result = convolve_continuous(gaussian(1.0), gaussian(0.5), t)
    np.testing.assert_allclose(result.values, gaussian(1.5)(t), rtol=0, atol=1e-14)
    assert np.all(result.error < 1e-7)


def test_error_estimate_shrinks_with_more_points_for_boxes():
    t = np.linspace(-1.2, 1.2, 25)
    errors = [convolve_continuous(box, box, t, n=n).error.max() for n in (257, 1025, 4097)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < errors[0] / 8


def test_convolution_integral_is_commutative_where_both_supports_are_found():
    t = np.array([-0.7, 0.0, 0.3, 1.1])
    ab = convolve_continuous(box, gaussian(0.5), t)
    ba = convolve_continuous(gaussian(0.5), box, t)
    assert np.all(np.abs(ab.values - ba.values) <= ab.error + ba.error)


def test_output_has_the_shape_of_t():
    t = np.linspace(-1, 1, 6).reshape(2, 3)
    result = convolve_continuous(box, box, t, n=101)
    assert result.values.shape == result.error.shape == (2, 3)
    assert convolve_continuous(box, box, 0.0).values.shape == ()


def test_complex_functions_give_complex_values():
    chirp = lambda x: np.exp(1j * x) * gaussian(1.0)(x)  # noqa: E731
    result = convolve_continuous(chirp, gaussian(1.0), [0.0])
    # At t = 0 the integrand is e^{iτ} φ(τ)², and φ(τ)² = φ_{1/2}(τ) / sqrt(4π): the
    # characteristic function of a variance-1/2 Gaussian at 1, e^{-1/4}, over sqrt(4π).
    expected = np.exp(-0.25) / np.sqrt(4 * np.pi)
    assert result.values.dtype == np.complex128
    assert np.abs(result.values[0] - expected) <= result.error[0]


def test_finds_support_of_a_function_far_from_the_origin():
    shifted = lambda x: box(x - 10.0)  # noqa: E731
    result = convolve_continuous(shifted, box, [10.0, 11.0, 12.0])
    assert np.all(np.abs(result.values - triangle(np.array([0.0, 1.0, 2.0]))) <= result.error)
