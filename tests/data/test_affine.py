"""Affine warps: identities, exact rotations and shifts, and SciPy's bilinear sampler as oracle."""

import re

import numpy as np
import pytest
from scipy import ndimage

from cnnlab.data import RandomAffine, affine
from cnnlab.data.affine import affine_matrices


def batch(shape=(3, 2, 9, 9), seed=0):
    return np.random.default_rng(seed).random(shape).astype(np.float32)


def test_rotation_by_zero_and_scale_one_give_the_input_exactly():
    x = batch((4, 3, 7, 10))
    np.testing.assert_array_equal(affine(x), x)
    np.testing.assert_array_equal(RandomAffine()(x, 0), x)
    np.testing.assert_array_equal(RandomAffine(degrees=0, scale=(1, 1))(x, 0), x)


@pytest.mark.parametrize("k", [1, 2, 3, -1])
def test_rotation_by_multiples_of_90_degrees_is_rot90(k):
    x = batch((2, 3, 8, 8))  # square, so the pixel grid maps onto itself
    np.testing.assert_allclose(affine(x, degrees=90 * k), np.rot90(x, k, axes=(2, 3)), atol=1e-5)


def test_random_rotation_with_a_fixed_angle_is_rot90():
    x = batch()
    out = RandomAffine(degrees=(90, 90))(x, 0)
    np.testing.assert_allclose(out, np.rot90(x, axes=(2, 3)), atol=1e-5)


def test_whole_pixel_shift_moves_the_image_and_fills_the_gap():
    x = batch((2, 1, 6, 7))
    out = affine(x, translate=(2, -1), fill=-5.0)  # right 2, up 1
    np.testing.assert_allclose(out[:, :, :-1, 2:], x[:, :, 1:, :-2], atol=1e-6)
    assert np.all(out[:, :, :, :2] == -5.0) and np.all(out[:, :, -1, :] == -5.0)


def test_scale_two_doubles_distances_from_the_centre():
    x = np.zeros((1, 1, 9, 9), dtype=np.float32)
    x[0, 0, 4, 5] = 1.0  # one step right of the centre (4, 4)
    out = affine(x, scale=2.0)
    assert out[0, 0, 4, 6] == pytest.approx(1.0)  # two steps right
    assert out[0, 0, 4, 5] == pytest.approx(0.5)  # halfway: bilinear


def scipy_warp(x, matrix, shift, fill):
    """The same inverse mapping, sampled by scipy.ndimage.map_coordinates (order 1)."""
    H, W = x.shape[-2:]
    cx, cy = (W - 1) / 2, (H - 1) / 2
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float64)
    inv = np.linalg.inv(matrix)
    u, v = xs - cx - shift[0], ys - cy - shift[1]
    src = [inv[1, 0] * u + inv[1, 1] * v + cy, inv[0, 0] * u + inv[0, 1] * v + cx]
    return np.stack(
        [ndimage.map_coordinates(c.astype(np.float64), src, order=1, cval=fill) for c in x]
    )


@pytest.mark.parametrize("seed", range(3))
def test_random_affine_matches_scipy_bilinear_sampling(seed):
    x = batch((5, 2, 11, 13), seed)
    t = RandomAffine(degrees=40, translate=(0.2, 0.1), scale=(0.7, 1.3), shear=(-10, 10, -5, 5))
    out = t(x, np.random.default_rng(seed))
    draws = np.random.default_rng(seed)  # replay the draws in the documented order
    N = len(x)
    degrees = draws.uniform(-40, 40, N)
    shifts = np.stack([draws.uniform(-0.2, 0.2, N) * 13, draws.uniform(-0.1, 0.1, N) * 11], 1)
    scale = draws.uniform(0.7, 1.3, N)
    shear_x, shear_y = draws.uniform(-10, 10, N), draws.uniform(-5, 5, N)
    matrices = affine_matrices(degrees, scale, shear_x, shear_y)
    for image, result, matrix, shift in zip(x, out, matrices, shifts):
        # scipy treats points just outside the edge differently (it blends with the edge
        # pixel up to half a pixel out); compare where the source lies well inside
        expected = scipy_warp(image, matrix, shift, 0.0)
        inside = scipy_warp(np.ones_like(image[:1]), matrix, shift, 0.0)[0] > 0.999
        np.testing.assert_allclose(result[:, inside], expected[:, inside], atol=1e-5)


def test_the_shear_matrix_slants_vertical_lines():
    m = affine_matrices(np.array([0.0]), np.array([1.0]), np.array([45.0]), np.array([0.0]))
    np.testing.assert_allclose(m[0] @ [0.0, 1.0], [1.0, 1.0], atol=1e-12)  # (x, y) = (0, 1)


def test_fill_reaches_the_corners_of_a_rotated_image():
    out = affine(np.ones((1, 1, 8, 8), dtype=np.float32), degrees=45, fill=0.0)
    assert out[0, 0, 0, 0] == 0.0 and out[0, 0, 4, 4] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"degrees": -5}, ValueError, "`degrees` must be a non-negative number d"),
        ({"degrees": (10, 5)}, ValueError, "`degrees` must be a non-negative number d"),
        ({"translate": 0.1}, TypeError, "`translate` must be a pair (a, b) of fractions"),
        ({"translate": (0.1, 2)}, ValueError, "`translate` must be a pair (a, b) of fractions"),
        ({"scale": (0, 1)}, ValueError, "`scale` must hold positive numbers"),
        ({"scale": 1.2}, TypeError, "`scale` must be a pair (lo, hi)"),
        ({"shear": (1, 2, 3)}, TypeError, "`shear` must be a non-negative number d"),
        ({"fill": np.nan}, ValueError, "`fill` must be a finite real number"),
    ],
)
def test_bad_arguments_get_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        RandomAffine(**kwargs)


def test_affine_refuses_a_non_positive_scale():
    with pytest.raises(ValueError, match=re.escape("`scale` must be positive. Received: scale=0")):
        affine(batch(), scale=0)
