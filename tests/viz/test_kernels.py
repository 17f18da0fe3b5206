"""conv_kernels: a convolution's weights as pictures."""

import numpy as np
import pytest

from cnnlab.models import lenet5
from cnnlab.viz import conv_kernels


def pure_red_pixels(image: np.ndarray) -> int:
    return int(np.sum((image[..., 0] > 0.95) & (image[..., 1] < 0.05) & (image[..., 2] < 0.05)))


def red_kernel() -> np.ndarray:
    """Two 3-input kernels: the first only excites red (R = 1, G = B = -1)."""
    weight = np.random.default_rng(0).normal(size=(2, 3, 5, 5)) * 0.1
    weight[0] = -1.0
    weight[0, 0] = 1.0
    return weight


def test_a_three_input_channel_layer_is_drawn_in_colour(tmp_path, picture):
    image = picture(conv_kernels(red_kernel(), tmp_path / "rgb.png"))
    assert image.ndim == 3 and pure_red_pixels(image) > 100


def test_the_colour_grid_can_be_turned_off_for_a_signed_heat_map(tmp_path, picture):
    image = picture(conv_kernels(red_kernel(), tmp_path / "signed.png", rgb=False))
    assert pure_red_pixels(image) == 0  # the diverging map's reds are dark


def test_each_colour_kernel_is_scaled_on_its_own(tmp_path, picture):
    weight = red_kernel()
    weight[1] = weight[0] * 1e-3  # same pattern, tiny: still drawn full red
    image = picture(conv_kernels(weight, tmp_path / "rgb.png"))
    both = pure_red_pixels(image)
    one = pure_red_pixels(picture(conv_kernels(weight[:1], tmp_path / "one.png")))
    assert both > 1.5 * one


def test_the_grid_has_a_row_per_output_channel_shown(tmp_path, picture):
    weight = lenet5(rng=0)[3].weight.data  # 16 outputs x 6 inputs
    every = picture(conv_kernels(weight, tmp_path / "every.png"))
    capped = picture(conv_kernels(weight, tmp_path / "capped.png", max_filters=4))
    assert every.shape[0] > 2 * capped.shape[0] and every.shape[1] == capped.shape[1]


def test_a_conv1d_weight_is_drawn_as_rows(tmp_path, picture):
    image = picture(conv_kernels(np.ones((4, 2, 7)), tmp_path / "k1d.png"))
    assert image.shape[0] > 100 and image.shape[1] > 100


def test_bad_weights_are_refused(tmp_path):
    with pytest.raises(ValueError, match="`rgb=True` needs a weight with 3 input channels"):
        conv_kernels(np.ones((4, 1, 3, 3)), tmp_path / "k.png", rgb=True)
    with pytest.raises(ValueError, match="`weight` must have 3 or 4 dimensions"):
        conv_kernels(np.ones((3, 3)), tmp_path / "k.png")
    with pytest.raises(ValueError, match="`weight` must hold only finite values"):
        conv_kernels(np.full((1, 1, 3, 3), np.nan), tmp_path / "k.png")
