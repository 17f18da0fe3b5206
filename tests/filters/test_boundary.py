"""Boundary modes: scipy's names, np.pad's values, and any pad width."""

import numpy as np
import pytest
import scipy.ndimage as ndi

from cnnlab.filters import MODES, pad
from cnnlab.filters.boundary import source_indices

NUMPY_NAMES = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge", "wrap": "wrap"}


def test_the_five_modes_of_scipy_ndimage():
    assert set(MODES) == {"reflect", "constant", "nearest", "mirror", "wrap"}


@pytest.mark.parametrize("mode", sorted(NUMPY_NAMES))
def test_pad_equals_np_pad_under_its_numpy_name(mode, image_of):
    image = image_of((4, 6))
    widths = ((3, 1), (2, 5))
    np.testing.assert_array_equal(
        pad(image, widths, mode), np.pad(image, widths, NUMPY_NAMES[mode])
    )


def test_constant_mode_fills_with_cval():
    padded = pad(np.ones((2, 2)), ((1, 2), (0, 1)), "constant", cval=-3.0)
    expected = np.full((5, 3), -3.0)
    expected[1:3, 0:2] = 1.0
    np.testing.assert_array_equal(padded, expected)


@pytest.mark.parametrize("mode", ["reflect", "mirror", "nearest", "wrap"])
@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_pads_wider_than_the_row_repeat_the_rule_like_scipy(mode, n):
    # Correlating with a one-hot kernel reads one padded sample: scipy's extension itself.
    # (The 1-D function: scipy 1.17's N-D `correlate` reads garbage in 'reflect' mode once
    # the kernel is 8x longer than the axis; `correlate1d` extends correctly.)
    row = np.arange(1.0, n + 1)
    width = 3 * n + 2
    for offset in range(2 * width + 1):
        one_hot = np.zeros(2 * width + 1)
        one_hot[offset] = 1.0
        expected = ndi.correlate1d(row, one_hot, mode=mode)[0]
        padded_row = row[source_indices(n, width, width, mode)]
        assert padded_row[offset] == expected, (mode, n, offset)


def test_reflect_repeats_the_edge_sample_and_mirror_does_not():
    np.testing.assert_array_equal(source_indices(3, 2, 2, "reflect"), [1, 0, 0, 1, 2, 2, 1])
    np.testing.assert_array_equal(source_indices(3, 2, 2, "mirror"), [2, 1, 0, 1, 2, 1, 0])
