"""The algebra of convolution, checked by hypothesis on random arrays with both methods."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnlab.signal import convolve, correlate

METHODS = ["direct", "fft"]
SETTINGS = settings(max_examples=25, deadline=None)
values = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@st.composite
def same_ndim_arrays(draw, count=2, max_ndim=3, max_side=6):
    """``count`` float64 arrays with the same number of dimensions, 1 to ``max_ndim``."""
    ndim = draw(st.integers(1, max_ndim))
    shape = st.tuples(*[st.integers(1, max_side)] * ndim)
    return [draw(arrays(np.float64, shape, elements=values)) for _ in range(count)]


def assert_close(x, y):
    scale = max(1.0, float(np.max(np.abs(y), initial=0.0)))
    np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-9 * scale)


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(pair=same_ndim_arrays())
def test_convolution_is_commutative(method, pair):
    a, v = pair
    assert_close(convolve(a, v, method=method), convolve(v, a, method=method))


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(pair=same_ndim_arrays(), alpha=values, beta=values)
def test_convolution_is_linear_in_the_first_argument(method, pair, alpha, beta):
    a, v = pair
    b = np.cos(np.arange(a.size)).reshape(a.shape)
    combined = convolve(alpha * a + beta * b, v, "same", method)
    separate = alpha * convolve(a, v, "same", method) + beta * convolve(b, v, "same", method)
    assert_close(combined, separate)


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(triple=same_ndim_arrays(count=3, max_ndim=2))
def test_convolution_is_associative(method, triple):
    a, b, c = triple
    left = convolve(convolve(a, b, method=method), c, method=method)
    right = convolve(a, convolve(b, c, method=method), method=method)
    assert_close(left, right)


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(pair=same_ndim_arrays(), shift=st.integers(0, 4))
def test_shifting_the_input_shifts_the_output(method, pair, shift):
    a, v = pair
    before = [(shift, 0)] + [(0, 0)] * (a.ndim - 1)
    shifted_first = convolve(np.pad(a, before), v, method=method)
    assert_close(shifted_first, np.pad(convolve(a, v, method=method), before))


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(pair=same_ndim_arrays(count=1), half_width=st.integers(0, 3))
def test_a_centred_delta_is_the_identity_in_same_mode(method, pair, half_width):
    (a,) = pair
    delta = np.zeros((2 * half_width + 1,) * a.ndim)
    delta[(half_width,) * a.ndim] = 1.0
    assert_close(convolve(a, delta, "same", method), a)
    assert_close(correlate(a, delta, "same", method), a)


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(pair=same_ndim_arrays())
def test_dft_of_full_convolution_is_product_of_zero_padded_dfts(method, pair):
    a, v = pair
    full = convolve(a, v, "full", method)
    assert full.shape == tuple(m + n - 1 for m, n in zip(a.shape, v.shape))
    axes = range(a.ndim)
    product = np.fft.fftn(a, s=full.shape, axes=axes) * np.fft.fftn(v, s=full.shape, axes=axes)
    assert_close(np.fft.fftn(full), product)


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(pair=same_ndim_arrays(), mode=st.sampled_from(["full", "same", "valid"]))
def test_correlation_is_convolution_with_the_reversed_conjugate(method, pair, mode):
    a, v = pair
    v = v + 1j * np.sin(np.arange(v.size)).reshape(v.shape)
    try:
        expected = convolve(a, np.conj(np.flip(v)), mode, method)
    except ValueError:
        return
    assert_close(correlate(a, v, mode, method), expected)


@SETTINGS
@given(pair=same_ndim_arrays(), mode=st.sampled_from(["full", "same", "valid"]))
def test_direct_and_fft_agree_on_random_shapes(pair, mode):
    a, v = pair
    try:
        direct = convolve(a, v, mode, "direct")
    except ValueError:
        return
    assert_close(convolve(a, v, mode, "fft"), direct)
