"""Bad input gets one clear message: what is wrong, then what was received."""

import re

import numpy as np
import pytest

from cnnlab.filters import convolve, correlate, gaussian, gradient, kernel, mean, median

IMAGE = np.zeros((5, 5))


@pytest.mark.parametrize("function", [convolve, correlate])
@pytest.mark.parametrize("shape", [(5,), (2, 3, 4, 5)])
def test_image_must_be_2d_or_3d(function, shape):
    message = f"`image` must have 2 or 3 dimensions. Received: image with shape {shape} and dtype"
    with pytest.raises(ValueError, match=re.escape(message)):
        function(np.zeros(shape), np.ones((3, 3)))


@pytest.mark.parametrize("function", [mean, median, gaussian, gradient])
def test_every_filter_checks_the_image(function):
    args = (1.0,) if function is gaussian else ()
    with pytest.raises(ValueError, match="`image` must have 2 or 3 dimensions"):
        function(np.zeros(4), *args)


def test_complex_and_string_images_are_refused():
    with pytest.raises(TypeError, match="`image` must be a real-valued array"):
        convolve(np.zeros((3, 3), dtype=complex), np.ones((3, 3)))
    with pytest.raises(TypeError, match="`image` must be a real-valued array"):
        median([["a", "b"]])


@pytest.mark.parametrize("shape", [(3,), (3, 3, 3)])
def test_kernel_must_be_2d(shape):
    with pytest.raises(ValueError, match=r"`kernel` must have 2 dimensions. Received: kernel"):
        convolve(IMAGE, np.ones(shape))


def test_nan_in_the_kernel_is_refused():
    weights = np.ones((3, 3))
    weights[1, 1] = np.nan
    with pytest.raises(ValueError, match=r"`kernel` must hold only finite values \(no NaN or"):
        correlate(IMAGE, weights)


def test_an_empty_kernel_is_refused():
    with pytest.raises(ValueError, match=r"`kernel` must not be empty. Received: kernel with"):
        convolve(IMAGE, np.ones((0, 3)))


@pytest.mark.parametrize("function", [convolve, mean, median, gradient])
def test_unknown_mode_names_the_choices_and_the_closest(function):
    args = (np.ones((3, 3)),) if function is convolve else ()
    with pytest.raises(ValueError, match=r"`mode` must be one of 'reflect', 'constant', 'nearest'"):
        function(IMAGE, *args, mode="reflekt")
    with pytest.raises(ValueError, match=r"\(did you mean 'reflect'\?\). Received: mode='reflekt'"):
        function(IMAGE, *args, mode="reflekt")


def test_unknown_method_and_bad_cval():
    with pytest.raises(ValueError, match=r"`method` must be one of 'auto', 'direct', 'fft'"):
        convolve(IMAGE, np.ones((3, 3)), method="fast")
    with pytest.raises(
        ValueError, match=r"`cval` must be a finite real number. Received: cval=nan"
    ):
        convolve(IMAGE, np.ones((3, 3)), cval=float("nan"))
    with pytest.raises(TypeError, match=r"`cval` must be a finite real number. Received: cval='0'"):
        median(IMAGE, cval="0")


def test_unknown_kernel_name_suggests_the_closest_names():
    message = r"`name` must be one of 'mean', .* \(did you mean 'sobel_y' or 'sobel_x'\?\)"
    with pytest.raises(ValueError, match=message + r". Received: name='sobel'."):
        kernel("sobel")


def test_unknown_kernel_parameter_lists_the_ones_it_takes():
    with pytest.raises(TypeError, match=r"The kernel 'mean' takes the parameters 'size' \(did you"):
        kernel("mean", sise=3)
    with pytest.raises(
        TypeError, match=r"The kernel 'sobel_x' takes no parameters. Received: size=3"
    ):
        kernel("sobel_x", size=3)


@pytest.mark.parametrize("sigma", [0, -1.5])
def test_sigma_must_be_positive(sigma):
    with pytest.raises(
        ValueError, match=rf"`sigma` must be a positive number. Received: sigma={sigma}"
    ):
        gaussian(IMAGE, sigma)
    with pytest.raises(ValueError, match="`sigma` must be a positive number"):
        kernel("gaussian", sigma=sigma)


def test_truncate_must_be_positive():
    with pytest.raises(
        ValueError, match=r"`truncate` must be a positive number. Received: truncate"
    ):
        gaussian(IMAGE, 1.0, truncate=0)


@pytest.mark.parametrize("function", [mean, median])
@pytest.mark.parametrize("size", [0, -3, (3, 0)])
def test_size_must_be_positive(function, size):
    message = r"`size` must be a positive int or a tuple of 2 of them. Received: size="
    with pytest.raises(ValueError, match=message):
        function(IMAGE, size)
    with pytest.raises(ValueError, match=message):
        kernel("mean", size=size)


@pytest.mark.parametrize("function", [mean, median])
def test_size_must_be_an_int(function):
    with pytest.raises(TypeError, match=r"`size` must be a positive int .* Received: size='3'"):
        function(IMAGE, "3")


def test_unknown_gradient_operator_suggests_the_closest():
    with pytest.raises(ValueError, match=r"`operator` must be one of 'sobel', 'prewitt', 'scharr'"):
        gradient(IMAGE, "sobol")
    with pytest.raises(ValueError, match=r"did you mean 'sobel'\?\). Received: operator='sobol'"):
        gradient(IMAGE, "sobol")
