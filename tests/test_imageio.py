"""Reading images: upright, whatever way the camera stored them."""

import numpy as np
import pytest
from PIL import Image

from cnnlab.imageio import read_image

EXIF_ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6  # the picture must be turned 90 degrees clockwise to stand upright


def write_jpeg(path, pixels, orientation=None):
    image = Image.fromarray(pixels)
    exif = Image.Exif()
    if orientation is not None:
        exif[EXIF_ORIENTATION] = orientation
    image.save(path, exif=exif, quality=95)


def test_a_jpeg_with_an_exif_rotation_is_read_upright(tmp_path):
    stored = np.zeros((16, 32), np.uint8)
    stored[:, 16:] = 255  # dark left half, bright right half, as the sensor saw them
    write_jpeg(tmp_path / "turned.jpg", stored, ROTATE_90_CLOCKWISE)
    image = read_image(tmp_path / "turned.jpg")
    assert image.shape == (32, 16)  # taller than wide, as the photographer held it
    upright = np.rot90(stored, k=-1) / 255  # turned clockwise: the left half on top
    np.testing.assert_allclose(image, upright, atol=0.1)


def test_a_jpeg_without_exif_orientation_is_read_as_stored(tmp_path):
    stored = np.zeros((16, 32), np.uint8)
    stored[:, 16:] = 255
    write_jpeg(tmp_path / "plain.jpg", stored)
    np.testing.assert_allclose(read_image(tmp_path / "plain.jpg"), stored / 255, atol=0.1)


def test_colour_jpeg_with_an_exif_rotation_keeps_its_channels(tmp_path):
    stored = np.zeros((8, 24, 3), np.uint8)
    stored[:, :, 0] = 255  # red
    write_jpeg(tmp_path / "red.jpg", stored, ROTATE_90_CLOCKWISE)
    image = read_image(tmp_path / "red.jpg", color="rgb")
    assert image.shape == (24, 8, 3)
    np.testing.assert_allclose(image.mean(axis=(0, 1)), [1, 0, 0], atol=0.05)


def test_an_image_beyond_pillows_pixel_limit_is_refused_in_one_line(tmp_path, monkeypatch):
    write_jpeg(tmp_path / "big.jpg", np.zeros((64, 64), np.uint8))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 64x64 is then a "decompression bomb"
    with pytest.raises(ValueError, match="is too large to read"):
        read_image(tmp_path / "big.jpg")
