"""Preparing images as torchvision's eval transform does, from any common file."""

import numpy as np
import pytest
import torch
from PIL import Image

from cnnlab.guessing import IMAGENET_MEAN, imagenet_classes, imagenet_input
from cnnlab.guessing.preprocess import center_crop, read_rgb, resize_shorter


def test_the_class_names_are_torchvisions_with_the_bots_labels():
    names = imagenet_classes()
    assert len(names) == len(set(names)) == 1000
    assert (names[0], names[722], names[862], names[999]) == (
        "tench", "ping-pong ball", "torch", "toilet tissue"
    )  # fmt: skip


@pytest.mark.parametrize("shape", [(3, 300, 450), (3, 301, 257), (3, 97, 60)])
def test_resizing_the_shorter_side_matches_torch_antialiased_bilinear(shape):
    image = np.random.default_rng(0).random(shape, dtype=np.float32)
    ours = resize_shorter(image, 64)
    height, width = shape[1:]
    size = (64, int(64 * width / height)) if height <= width else (int(64 * height / width), 64)
    expected = torch.nn.functional.interpolate(
        torch.from_numpy(image)[None], size=size, mode="bilinear", antialias=True,
        align_corners=False,
    )[0].numpy()  # fmt: skip
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, atol=2e-5)


def test_the_centre_crop_sits_where_torchvision_puts_it():
    image = np.arange(7 * 10, dtype=np.float32).reshape(1, 7, 10)
    # torchvision: top = round((7 - 4) / 2) = 2, left = round((10 - 4) / 2) = 3
    np.testing.assert_array_equal(center_crop(image, 4), image[:, 2:6, 3:7])
    with pytest.raises(ValueError, match="smaller than the crop"):
        center_crop(image, 8)


def write(path, mode, size, rng):
    pixels = (rng.random((size[1], size[0], 4)) * 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGBA").convert(mode)
    if path.suffix == ".gif":
        second = Image.fromarray(255 - pixels, "RGBA").convert("RGB")
        image.save(path, save_all=True, append_images=[second])
    else:
        image.save(path)
    return path


@pytest.mark.parametrize(
    "name, mode, size",
    [
        ("photo.jpg", "RGB", (640, 480)),
        ("tall.png", "RGB", (230, 900)),
        ("grey.png", "L", (300, 300)),
        ("alpha.png", "RGBA", (260, 250)),
        ("anim.gif", "RGB", (400, 260)),
        ("web.webp", "RGB", (256, 300)),
        ("tiny.png", "RGB", (17, 11)),
    ],
)
def test_every_common_file_becomes_a_3x224x224_input_in_unit_range(tmp_path, name, mode, size):
    path = write(tmp_path / name, mode, size, np.random.default_rng(1))
    image = read_rgb(path)
    assert image.shape == (3, size[1], size[0])
    prepared = imagenet_input(image)
    assert prepared.shape == (3, 224, 224) and prepared.dtype == np.float32
    assert 0.0 <= prepared.min() and prepared.max() <= 1.0


def test_greyscale_files_repeat_their_one_channel(tmp_path):
    path = write(tmp_path / "grey.png", "L", (40, 30), np.random.default_rng(2))
    image = read_rgb(path)
    np.testing.assert_array_equal(image[0], image[2])


def test_a_gif_gives_its_first_frame(tmp_path):
    rng = np.random.default_rng(3)
    path = write(tmp_path / "anim.gif", "RGB", (20, 10), rng)
    with Image.open(path) as gif:
        first = np.asarray(gif.convert("RGB"), dtype=np.float32) / 255
    np.testing.assert_allclose(read_rgb(path), np.moveaxis(first, -1, 0))


def test_imagenet_mean_is_the_published_one():
    assert IMAGENET_MEAN == (0.485, 0.456, 0.406)
