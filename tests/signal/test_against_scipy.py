"""convolve and correlate against scipy.signal on seeded random inputs.

Every case compares shape, dtype and values with SciPy's result for the same arguments;
where SciPy refuses the shapes ('valid' mode without nesting), both must refuse.
"""

import numpy as np
import pytest
import scipy.signal

from cnnlab.signal import convolve, correlate

FUNCTIONS = {
    "convolve": (convolve, scipy.signal.convolve),
    "correlate": (correlate, scipy.signal.correlate),
}
MODES = ["full", "same", "valid"]
METHODS = ["direct", "fft", "auto"]
SHAPES = {
    "1d-odd-kernel": ((50,), (5,)),
    "1d-even-kernel": ((50,), (6,)),
    "1d-single-tap": ((50,), (1,)),
    "1d-equal-sizes": ((20,), (20,)),
    "1d-kernel-larger": ((9,), (14,)),
    "2d-odd-kernel": ((12, 15), (3, 3)),
    "2d-even-kernel": ((12, 15), (4, 2)),
    "2d-row-kernel": ((12, 15), (1, 5)),
    "2d-kernel-larger": ((6, 7), (9, 10)),
    "2d-larger-on-one-axis": ((5, 20), (8, 3)),
    "3d-mixed-kernel": ((6, 7, 8), (3, 2, 3)),
    "3d-kernel-larger": ((3, 4, 2), (5, 4, 4)),
}


def random_array(rng, shape, dtype):
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        low = 0 if dtype.kind == "u" else -5
        return rng.integers(low, 6, shape).astype(dtype)
    x = rng.standard_normal(shape)
    if dtype.kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def assert_matches_scipy(ours, theirs, a, v, *args):
    """Our function equals SciPy's on (a, v, *args): same error, or same shape, dtype, values."""
    try:
        expected = theirs(a, v, *args)
    except ValueError:
        with pytest.raises(ValueError):
            ours(a, v, *args)
        return
    result = ours(a, v, *args)
    assert result.shape == expected.shape
    assert result.dtype == expected.dtype
    if result.dtype.kind in "biu":
        np.testing.assert_array_equal(result, expected)
    else:
        # SciPy transforms single-precision input in single precision, even when the
        # result is double; the tolerance follows the least precise input.
        single = any(x.dtype.kind in "fc" and np.finfo(x.dtype).eps > 1e-10 for x in (a, v))
        tol = 1e-4 if single else 1e-10
        scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
        np.testing.assert_allclose(result, expected, rtol=tol, atol=tol * scale)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("name", FUNCTIONS)
def test_matches_scipy_on_random_real_input(name, shapes, mode, method):
    rng = np.random.default_rng(0)
    a, v = (rng.standard_normal(shape) for shape in shapes)
    assert_matches_scipy(*FUNCTIONS[name], a, v, mode, method)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("name", FUNCTIONS)
def test_matches_scipy_on_complex_input_with_conjugated_template(name, shapes, mode, method):
    rng = np.random.default_rng(1)
    a, v = (random_array(rng, shape, np.complex128) for shape in shapes)
    assert_matches_scipy(*FUNCTIONS[name], a, v, mode, method)


DTYPE_PAIRS = [
    (np.int64, np.int64),
    (np.int32, np.int8),
    (np.uint8, np.int8),
    (np.uint8, np.uint8),
    (np.float32, np.float32),
    (np.float32, np.int64),
    (np.float64, np.int32),
    (np.complex64, np.float32),
    (np.complex128, np.int64),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("shapes", [((30,), (4,)), ((9, 8), (3, 4))], ids=["1d", "2d"])
@pytest.mark.parametrize(
    "dtypes", DTYPE_PAIRS, ids=lambda pair: "-".join(np.dtype(d).name for d in pair)
)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_output_dtype_and_values_match_scipy(name, dtypes, shapes, method):
    rng = np.random.default_rng(2)
    a, v = (random_array(rng, s, d) for s, d in zip(shapes, dtypes))
    for mode in MODES:
        assert_matches_scipy(*FUNCTIONS[name], a, v, mode, method)


@pytest.mark.parametrize("method", METHODS)
def test_boolean_1d_input_gives_the_or_of_ands_like_scipy(method):
    rng = np.random.default_rng(3)
    a, v = rng.random(40) < 0.3, rng.random(7) < 0.3
    for mode in MODES:
        assert_matches_scipy(convolve, scipy.signal.convolve, a, v, mode, "direct")
        np.testing.assert_array_equal(
            convolve(a, v, mode, method), scipy.signal.convolve(a, v, mode, "direct")
        )


@pytest.mark.parametrize("method", METHODS)
def test_boolean_2d_input_is_true_where_the_integer_convolution_is_positive(method):
    # SciPy's N-D direct method refuses booleans; the integer convolution is the oracle.
    rng = np.random.default_rng(4)
    a, v = rng.random((10, 9)) < 0.2, rng.random((3, 4)) < 0.3
    for mode in MODES:
        result = convolve(a, v, mode, method)
        assert result.dtype == np.bool_
        expected = scipy.signal.convolve(a.astype(int), v.astype(int), mode, "direct") > 0
        np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES.values(), ids=SHAPES.keys())
def test_direct_and_fft_agree_to_rounding(shapes, mode):
    rng = np.random.default_rng(5)
    a, v = (random_array(rng, shape, np.complex128) for shape in shapes)
    try:
        direct = correlate(a, v, mode, "direct")
    except ValueError:
        return
    fft = correlate(a, v, mode, "fft")
    np.testing.assert_allclose(fft, direct, rtol=1e-12, atol=1e-12 * np.abs(direct).max())


def test_integer_convolution_is_exact_with_every_method():
    rng = np.random.default_rng(6)
    image = rng.integers(0, 256, (64, 64)).astype(np.uint8)
    kernel = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])
    expected = scipy.signal.convolve(image, kernel, "same", "direct")
    for method in METHODS:
        np.testing.assert_array_equal(convolve(image, kernel, "same", method), expected)


def test_scalars_multiply_and_correlation_conjugates_the_second():
    assert convolve(2.0, 3.0) == 6.0
    assert correlate(2.0, 1j) == scipy.signal.correlate(2.0, 1j) == -2j


def test_large_image_with_large_kernel_matches_scipy_in_same_mode():
    rng = np.random.default_rng(7)
    image, kernel = rng.standard_normal((90, 80)), rng.standard_normal((31, 30))
    for method in METHODS:
        assert_matches_scipy(convolve, scipy.signal.convolve, image, kernel, "same", method)


@pytest.mark.parametrize("method", METHODS)
def test_narrow_integer_sums_wrap_around_like_scipy_direct(method):
    a, v = np.full((20, 20), 100, np.int8), np.full((3, 3), 100, np.int8)
    expected = scipy.signal.convolve(a, v, "same", "direct")
    np.testing.assert_array_equal(convolve(a, v, "same", method), expected)
