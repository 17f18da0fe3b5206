"""receptive_field_box: the input pixels one unit sees, on the image."""

import numpy as np
import pytest

from cnnlab.viz import receptive_field_box


def image(size=28):
    return np.linspace(0, 1, size * size).reshape(size, size)


def test_the_box_is_drawn_in_red_on_the_image(tmp_path, picture):
    drawn = picture(receptive_field_box(image(), (4, 12, 4, 12), tmp_path / "rf.png"))
    red = (drawn[..., 0] > 0.6) & (drawn[..., 1] < 0.35) & (drawn[..., 2] < 0.35)
    assert drawn.shape[0] > 300 and red.sum() > 200


def test_a_field_reaching_past_the_border_is_drawn_beyond_it(tmp_path, picture):
    inside = picture(receptive_field_box(image(), (0, 6, 0, 6), tmp_path / "inside.png"))
    beyond = picture(receptive_field_box(image(), (-4, 6, -4, 6), tmp_path / "beyond.png"))
    assert inside.shape == beyond.shape and not np.array_equal(inside, beyond)


def test_channels_first_and_channels_last_colour_images_give_the_same_picture(tmp_path, picture):
    rgb = np.random.default_rng(0).random((16, 16, 3))
    last = picture(receptive_field_box(rgb, (2, 5, 2, 5), tmp_path / "last.png"))
    first = picture(receptive_field_box(rgb.transpose(2, 0, 1), (2, 5, 2, 5), tmp_path / "f.png"))
    np.testing.assert_array_equal(first, last)


def test_bad_boxes_and_images_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"`box` must be \(row_start, row_stop, col_start"):
        receptive_field_box(image(), (5, 5, 0, 3), tmp_path / "rf.png")
    with pytest.raises(TypeError, match="`box` must be"):
        receptive_field_box(image(), (0, 3, 0), tmp_path / "rf.png")
    with pytest.raises(ValueError, match="`image` must have shape"):
        receptive_field_box(np.ones((5, 8, 8)), (0, 3, 0, 3), tmp_path / "rf.png")
