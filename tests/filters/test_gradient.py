"""The gradient G = [Gx, Gy]: scipy's sobel/prewitt, the lecture's kernels, behaviour."""

import numpy as np
import pytest
import scipy.ndimage as ndi

from cnnlab.filters import (
    MODES,
    PREWITT_X,
    PREWITT_Y,
    SCHARR_X,
    SCHARR_Y,
    SOBEL_X,
    SOBEL_Y,
    convolve,
    correlate,
    gradient,
)

SCIPY = {"sobel": ndi.sobel, "prewitt": ndi.prewitt}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(16, 21), (16, 21, 3)], ids=["gray", "colour"])
@pytest.mark.parametrize("operator", ["sobel", "prewitt"])
@pytest.mark.parametrize("mode", MODES)
def test_gx_and_gy_are_scipys_derivatives_along_axis_1_and_0(
    mode, operator, shape, dtype, image_of, scipy_per_channel, assert_close
):
    image = image_of(shape, dtype)
    g = gradient(image, operator, mode=mode, cval=0.5)
    assert g.gx.dtype == g.gy.dtype == g.magnitude.dtype == g.angle.dtype == dtype
    scale = 8 * np.abs(image).max()
    expected = scipy_per_channel(SCIPY[operator], image, axis=1, mode=mode, cval=0.5)
    assert_close(g.gx, expected, scale=scale)
    expected = scipy_per_channel(SCIPY[operator], image, axis=0, mode=mode, cval=0.5)
    assert_close(g.gy, expected, scale=scale)


@pytest.mark.parametrize(
    ("operator", "kx", "ky"),
    [
        ("prewitt", PREWITT_X, PREWITT_Y),
        ("sobel", SOBEL_X, SOBEL_Y),
        ("scharr", SCHARR_X, SCHARR_Y),
    ],
)
def test_convolving_with_the_lectures_kernels_gives_the_pair_and_correlating_its_negative(
    operator, kx, ky, image_of, assert_close
):
    image = image_of((14, 19))
    g = gradient(image, operator, mode="nearest")
    assert_close(convolve(image, kx, mode="nearest"), g.gx, scale=16)
    assert_close(convolve(image, ky, mode="nearest"), g.gy, scale=16)
    assert_close(correlate(image, kx, mode="nearest"), -g.gx, scale=16)
    assert_close(correlate(image, ky, mode="nearest"), -g.gy, scale=16)


def test_magnitude_and_angle_follow_from_the_components(image_of):
    g = gradient(image_of((10, 12)), "scharr")
    np.testing.assert_allclose(g.magnitude, np.sqrt(g.gx**2 + g.gy**2), rtol=1e-12)
    np.testing.assert_allclose(g.angle, np.arctan2(g.gy, g.gx), rtol=1e-12)


def test_a_vertical_step_lights_gx_and_leaves_gy_at_zero():
    image = np.zeros((8, 10), dtype=np.float32)
    image[:, 5:] = 1.0  # dark left half, bright right half
    g = gradient(image)
    assert (g.gx[:, 4:6] == 4.0).all()  # 1 + 2 + 1 rows, each seeing a step of 1
    assert (g.gx[:, :4] == 0).all() and (g.gx[:, 6:] == 0).all()
    assert (g.gy == 0).all()
    np.testing.assert_array_equal(g.angle, 0.0)  # pointing right, towards the bright side


def test_a_horizontal_step_points_the_gradient_down():
    image = np.zeros((8, 6))
    image[4:, :] = 2.0
    g = gradient(image, "prewitt")
    assert (g.gx == 0).all() and g.gy.max() == 6.0
    np.testing.assert_allclose(g.angle[g.magnitude > 0], np.pi / 2)


@pytest.mark.parametrize("operator", ["sobel", "prewitt", "scharr"])
@pytest.mark.parametrize("mode", ["reflect", "nearest", "mirror", "wrap"])
def test_a_constant_image_has_zero_gradient(operator, mode):
    g = gradient(np.full((9, 7, 2), 0.7), operator, mode=mode)
    assert (g.gx == 0).all() and (g.gy == 0).all() and (g.magnitude == 0).all()


def test_in_constant_mode_only_the_image_border_sees_an_edge():
    g = gradient(np.full((9, 7), 0.7), mode="constant")  # cval=0: dark outside
    assert (g.magnitude[1:-1, 1:-1] == 0).all()
    assert (g.magnitude[0] > 0).all() and (g.magnitude[:, -1] > 0).all()
