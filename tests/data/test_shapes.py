"""The built-in shapes dataset: layout, balance, determinism, range, speed, and the shapes."""

import re
import time

import numpy as np
import pytest

from cnnlab.data import Dataset, shapes
from cnnlab.data.shapes import SHAPES


def test_layout_labels_and_classes():
    data = shapes(30, size=20, rng=0)
    assert isinstance(data, Dataset)
    assert data.images.shape == (30, 1, 20, 20) and data.images.dtype == np.float32
    assert data.labels.dtype == np.int64
    assert data.classes == ("circle", "square", "triangle", "cross", "ring")


@pytest.mark.parametrize("n", [12, 13, 7])
def test_labels_are_balanced_and_shuffled(n):
    data = shapes(n, size=12, classes=("circle", "square", "star"), rng=1)
    counts = np.bincount(data.labels, minlength=3)
    assert counts.max() - counts.min() <= 1 and counts.sum() == n
    if n > 10:
        assert not np.array_equal(data.labels, np.sort(data.labels))


def test_same_seed_same_images_other_seed_other_images():
    a, b, c = shapes(20, rng=3), shapes(20, rng=3), shapes(20, rng=4)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.images, c.images)


def test_values_lie_in_the_unit_interval():
    images = shapes(200, noise=0.5, rng=0).images
    assert images.min() >= 0.0 and images.max() <= 1.0


def test_without_noise_the_shape_is_brighter_than_its_background():
    data = shapes(50, noise=0.0, rng=0)
    for image in data.images[:, 0]:
        corners = image[[0, 0, -1, -1], [0, -1, 0, -1]]
        assert image.max() > corners.max() + 0.3  # contrast is at least 0.35
        assert np.ptp(corners) < 1e-6  # the background is flat


def test_the_shape_stays_inside_the_image():
    data = shapes(300, noise=0.0, rng=2)
    img = data.images[:, 0]
    border = np.concatenate([img[:, 0, :], img[:, -1, :], img[:, :, 0], img[:, :, -1]], axis=1)
    assert np.all(np.ptp(border, axis=1) < 0.05)  # the shapes keep off the border


def test_each_shape_has_its_own_silhouette():
    # inside or outside at three points of the unit disc tells the default shapes apart
    points = [(0.0, 0.0), (0.58, 0.58), (0.0, 0.8)]
    inside = {
        name: tuple(bool(f(np.array(u), np.array(v)) < 0) for u, v in points)
        for name, f in SHAPES.items()
    }
    assert inside["circle"] == (True, True, True)
    assert inside["square"] == (True, True, False)
    assert inside["cross"] == (True, False, True)
    assert inside["ring"] == (False, True, True)
    assert inside["triangle"][0] and inside["star"][0]
    angles = np.linspace(0, 2 * np.pi, 64)
    for name, f in SHAPES.items():  # every shape fits in the unit disc
        assert np.all(f(1.05 * np.cos(angles), 1.05 * np.sin(angles)) > 0), name


def test_ten_thousand_images_generate_in_a_couple_of_seconds():
    start = time.perf_counter()
    data = shapes(10_000, size=28, rng=0)
    elapsed = time.perf_counter() - start
    assert len(data) == 10_000
    assert elapsed < 3.0, f"10,000 shapes took {elapsed:.2f} s"


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n": 0}, ValueError, "`n` must be a positive int"),
        ({"size": 5}, ValueError, "`size` must be at least 8 pixels. Received: size=5."),
        ({"classes": "circle"}, TypeError, "`classes` must be a non-empty sequence"),
        ({"classes": ()}, TypeError, "`classes` must be a non-empty sequence"),
        ({"classes": ("circle", "sqare")}, ValueError, "(did you mean 'square'"),
        ({"classes": ("ring", "ring")}, ValueError, "`classes` must not repeat a shape"),
        ({"noise": -0.1}, ValueError, "`noise` must be a non-negative number"),
    ],
)
def test_bad_arguments_get_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        shapes(**kwargs)


def test_images_too_large_for_memory_are_refused_with_the_estimate(monkeypatch):
    from cnnlab.data import _memory

    monkeypatch.setattr(_memory, "physical_memory", lambda: 2**20)
    message = (  # 10 images of 4 bytes a pixel, and 8 drawing grids as large
        "10 images of 64x64 pixels would need about 1.41 MiB (1,474,560 bytes), more than "
        "this machine's 1 MiB of memory. Received: n=10, size=64."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        shapes(10, size=64)
    assert shapes(2, size=64).images.shape == (2, 1, 64, 64)  # 0.3 MiB: fine
