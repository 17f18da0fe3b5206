"""Test-time views: the image, its mirror, two rotations, seeded perspective changes."""

import numpy as np

from cnnlab.guessing.tta import perspective, views


def picture():
    return np.random.default_rng(0).random((3, 20, 30), dtype=np.float32)


def test_the_first_views_are_the_image_and_its_mirror_image():
    image = picture()
    out = views(image, perspectives=2)
    assert out.shape == (6, 3, 20, 30)
    np.testing.assert_array_equal(out[0], image)
    np.testing.assert_array_equal(out[1], image[:, :, ::-1])


def test_the_same_seed_gives_the_same_views_and_another_seed_others():
    image = picture()
    np.testing.assert_array_equal(views(image, seed=4), views(image, seed=4))
    assert not np.array_equal(views(image, seed=4)[-1], views(image, seed=5)[-1])


def test_a_perspective_change_without_distortion_is_the_identity():
    image = picture()
    same = perspective(image, 0.0, np.random.default_rng(0))
    np.testing.assert_allclose(same, image, atol=1e-5)


def test_a_perspective_change_keeps_the_centre_and_blackens_some_border():
    image = np.ones((1, 41, 41), np.float32)
    warped = perspective(image, 0.6, np.random.default_rng(1))
    assert warped[0, 20, 20] == 1.0
    assert warped.min() == 0.0
