"""Image folders: one sub-folder per class, unreadable files skipped and named, resizing."""

import re

import numpy as np
import pytest
from PIL import Image

from cnnlab.data import load_image_folder
from cnnlab.data.image_folder import resize
from cnnlab.imageio import write_image


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "pets"
    write_image(root / "dog" / "a.png", np.full((20, 30), 0.2))
    write_image(root / "dog" / "b.jpg", np.full((10, 10, 3), [1.0, 0.0, 0.0]))
    write_image(root / "cat" / "x.png", np.full((28, 28), 0.8))
    write_image(root / "cat" / "more" / "y.bmp", np.full((5, 7), 0.4))  # nested: still cat
    (root / "cat" / "broken.png").write_bytes(b"not a png")
    (root / "cat" / "notes.txt").write_text("hello")
    (root / "cat" / ".DS_Store").write_bytes(b"\0\1")  # hidden: ignored silently
    (root / "stray.png").write_bytes(b"")  # not in a class folder: ignored
    return root


def test_classes_are_sorted_folder_names_and_images_are_resized(tree):
    with pytest.warns(UserWarning):
        data = load_image_folder(tree, size=(12, 16))
    assert data.classes == ("cat", "dog")
    assert data.images.shape == (4, 1, 12, 16) and data.images.dtype == np.float32
    assert data.labels.tolist() == [0, 0, 1, 1]
    dogs = data.images[data.labels == 1].reshape(2, -1)
    np.testing.assert_allclose(dogs.mean(axis=1), [0.2, 0.299], atol=0.01)  # red as luminance


def test_unreadable_files_are_skipped_and_named_in_one_warning(tree):
    with pytest.warns(UserWarning) as caught:
        load_image_folder(tree)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith(f"Skipped 2 file(s) in {tree} that are not images Pillow reads: ")
    assert "cat/broken.png" in message and "cat/notes.txt" in message
    assert ".DS_Store" not in message


def test_rgb_gives_three_channels(tree):
    with pytest.warns(UserWarning):
        data = load_image_folder(tree, size=8, color="rgb")
    red = data.images[data.labels == 1][1]  # dog/b.jpg
    assert data.images.shape == (4, 3, 8, 8)
    assert red[0].mean() > 0.9 and red[1].mean() < 0.1


def test_resize_matches_pillows_bilinear_filter():
    image = np.random.default_rng(0).random((37, 23)).astype(np.float32)
    for size in [(28, 28), (50, 60), (9, 5)]:
        expected = np.asarray(Image.fromarray(image, mode="F").resize(size[::-1], Image.BILINEAR))
        np.testing.assert_allclose(resize(image, size), expected, atol=1e-5)


def test_resize_keeps_colour_channels_and_the_same_size_is_the_identity():
    image = np.random.default_rng(1).random((6, 5, 3)).astype(np.float32)
    assert resize(image, (3, 4)).shape == (3, 4, 3)
    np.testing.assert_allclose(resize(image, (6, 5)), image, atol=1e-6)


def test_a_folder_without_class_folders_is_a_clear_error(tmp_path):
    write_image(tmp_path / "a.png", np.zeros((4, 4)))
    with pytest.raises(ValueError, match=re.escape("`path` must hold one sub-folder per class")):
        load_image_folder(tmp_path)


def test_class_folders_without_images_are_a_clear_error(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(ValueError, match="No readable image in the class folders a, b of"):
        load_image_folder(tmp_path)


def test_a_missing_folder_and_bad_arguments_are_clear_errors(tmp_path):
    with pytest.raises(NotADirectoryError, match="`path` must be a folder of class folders"):
        load_image_folder(tmp_path / "nope")
    with pytest.raises(ValueError, match="`color` must be one of 'gray', 'rgb'"):
        load_image_folder(tmp_path, color="rgba")
    with pytest.raises(ValueError, match="`size` must be a positive int or a tuple of 2"):
        load_image_folder(tmp_path, size=(0, 4))


def test_a_size_too_large_for_memory_is_refused_before_any_image_is_read(tree, monkeypatch):
    from cnnlab.data import _memory

    monkeypatch.setattr(_memory, "physical_memory", lambda: 2**30)
    reads = []
    monkeypatch.setattr("cnnlab.data.image_folder.read_image", lambda *a, **k: reads.append(a))
    message = (  # 6 files of 10000x10000 gray pixels, float32, and their stacked copy
        "6 images of 10000x10000 pixels would need about 4.47 GiB (4,800,000,000 bytes), "
        "more than this machine's 1 GiB of memory. Received: size=10000."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        load_image_folder(tree, size=10000)
    assert reads == []
