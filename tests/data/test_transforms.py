"""Photometric transforms, flips, crops and Compose: what each one does to a batch."""

import re

import numpy as np
import pytest

from cnnlab.data import (
    Brightness,
    Compose,
    Contrast,
    Normalize,
    RandomAffine,
    RandomCrop,
    RandomHorizontalFlip,
    RandomVerticalFlip,
)


def batch(shape=(6, 3, 8, 10), seed=0, dtype=np.float32):
    return np.random.default_rng(seed).random(shape).astype(dtype)


RANDOM = [
    Brightness(0.3),
    Contrast(0.5, 1.5),
    RandomHorizontalFlip(),
    RandomVerticalFlip(),
    RandomCrop((6, 7), padding=2),
    RandomAffine(degrees=20, translate=(0.1, 0.2), scale=(0.8, 1.2), shear=10),
]
ALL = [*RANDOM, Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]), Compose(RANDOM)]


@pytest.mark.parametrize("transform", ALL, ids=repr)
def test_the_same_seed_gives_the_same_output_and_the_input_is_untouched(transform):
    x = batch()
    before = x.copy()
    first = transform(x, np.random.default_rng(7))
    second = transform(x, np.random.default_rng(7))
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(x, before)
    assert first is not x and not np.shares_memory(first, x)
    assert first.dtype == np.float32


@pytest.mark.parametrize("transform", RANDOM, ids=repr)
def test_each_image_of_a_batch_draws_its_own_parameters(transform):
    x = np.repeat(batch((1, 3, 8, 10)), 16, axis=0)
    out = transform(x, np.random.default_rng(1))
    distinct = {out[i].tobytes() for i in range(len(out))}
    assert len(distinct) > 1


@pytest.mark.parametrize("transform", RANDOM, ids=repr)
def test_random_transforms_need_an_explicit_rng(transform):
    message = f"`rng` must be a numpy.random.Generator or an int seed: {type(transform).__name__}"
    with pytest.raises(TypeError, match=re.escape(message)):
        transform(batch(), None)


def test_float64_stays_float64():
    x = batch(dtype=np.float64)
    assert Compose([*RANDOM, Normalize(0.5, 0.2)])(x, np.random.default_rng(0)).dtype == np.float64


def test_normalize_gives_zero_mean_unit_std_and_its_inverse_restores_the_input():
    x = batch((50, 3, 8, 8))
    t = Normalize.from_images(x)
    y = t(x)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(axis=(0, 2, 3)), 1, atol=1e-5)
    np.testing.assert_allclose(t.inverse(y), x, atol=1e-6)


def test_normalize_exposes_mean_and_std_as_plain_floats():
    t = Normalize(np.array([0.5, 0.25]), (0.5, 2))
    assert t.mean == (0.5, 0.25) and t.std == (0.5, 2.0)
    assert all(type(v) is float for v in t.mean + t.std)
    assert repr(t) == "Normalize(mean=(0.5, 0.25), std=(0.5, 2.0))"


def test_normalize_is_per_channel():
    x = np.ones((1, 2, 1, 1), dtype=np.float32)
    np.testing.assert_allclose(Normalize([0.0, 1.0], [1.0, 2.0])(x).ravel(), [1.0, 0.0])


def test_brightness_shifts_each_image_mean_by_at_most_max_delta():
    x = batch((200, 1, 4, 4))
    shift = (Brightness(0.2)(x, 0) - x).mean(axis=(1, 2, 3))
    assert np.all(np.abs(shift) <= 0.2 + 1e-6)
    assert shift.min() < -0.1 and shift.max() > 0.1  # the range is used both ways
    uniform = Brightness(0.2)(x, 0) - x - shift[:, None, None, None]  # one offset per image
    np.testing.assert_allclose(uniform, 0, atol=1e-6)


def test_contrast_keeps_the_mean_and_scales_the_spread():
    x = batch((4, 3, 8, 8))
    y = Contrast(2.0, 2.0)(x, 0)
    np.testing.assert_allclose(y.mean(axis=(1, 2, 3)), x.mean(axis=(1, 2, 3)), atol=1e-6)
    np.testing.assert_allclose(y.std(axis=(1, 2, 3)), 2 * x.std(axis=(1, 2, 3)), rtol=1e-5)


@pytest.mark.parametrize("flip, axis", [(RandomHorizontalFlip, 3), (RandomVerticalFlip, 2)])
def test_a_certain_flip_mirrors_and_twice_is_the_identity(flip, axis):
    x = batch()
    once = flip(p=1.0)(x, 0)
    np.testing.assert_array_equal(once, np.flip(x, axis=axis))
    np.testing.assert_array_equal(flip(p=1.0)(once, 1), x)
    np.testing.assert_array_equal(flip(p=0.0)(x, 0), x)


def test_flip_probability_is_respected():
    x = batch((2000, 1, 1, 2))
    flipped = (RandomHorizontalFlip(p=0.3)(x, 0) != x).any(axis=(1, 2, 3))
    assert 0.25 < flipped.mean() < 0.35


def test_random_crop_cuts_windows_of_the_padded_image():
    x = batch((20, 2, 5, 6))
    out = RandomCrop((4, 4), padding=1, fill=-1.0)(x, 3)
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-1.0)
    for image, window in zip(padded, out):
        offsets = [
            (i, j)
            for i in range(4)
            for j in range(5)
            if np.array_equal(image[:, i : i + 4, j : j + 4], window)
        ]
        assert offsets, "every crop is a window of the padded image"


def test_crop_of_the_full_size_without_padding_is_the_identity():
    x = batch()
    np.testing.assert_array_equal(RandomCrop((8, 10))(x, 0), x)


def test_compose_applies_in_order():
    x = np.ones((1, 1, 2, 2), dtype=np.float32)
    y = Compose([Normalize(1.0, 0.5), Normalize(-1.0, 2.0)])(x, None)
    np.testing.assert_allclose(y, 0.5)
    assert "Normalize(mean=(1.0,), std=(0.5,))" in repr(Compose([Normalize(1.0, 0.5)]))


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Normalize(0.5, 0.0), ValueError, "`std` must hold positive numbers"),
        (lambda: Normalize([0.5, 0.5], [1, 1, 1]), ValueError, "one value each per channel"),
        (lambda: Normalize("a", 1), ValueError, "`mean` must be a number or a sequence"),
        (lambda: Brightness(-0.1), ValueError, "`max_delta` must be a non-negative number"),
        (lambda: Contrast(1.5, 0.5), ValueError, "`(low, high)` must be a pair (lo, hi)"),
        (lambda: Contrast(-1, 0.5), ValueError, "`low` must be non-negative"),
        (lambda: RandomHorizontalFlip(1.5), ValueError, "`p` must be a probability in [0, 1]"),
        (lambda: RandomCrop(0), ValueError, "`size` must be a positive int"),
        (lambda: RandomCrop(4, padding=-1), ValueError, "`padding` must be a non-negative int"),
        (lambda: Compose(Brightness(0.1)), TypeError, "`transforms` must be a list"),
        (lambda: Compose([3]), TypeError, "`transforms[0]` must be a transform called as"),
    ],
)
def test_bad_arguments_get_clear_errors(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


def test_bad_batches_get_clear_errors():
    with pytest.raises(ValueError, match=re.escape("`images` must have 4 dimensions (N, C, H, W)")):
        Brightness(0.1)(np.zeros((3, 8, 8)), 0)
    with pytest.raises(ValueError, match="Normalize has 3 channel values but the images have 1"):
        Normalize([0, 0, 0], [1, 1, 1])(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=re.escape("`size` must fit inside the padded image")):
        RandomCrop(9)(np.zeros((1, 1, 8, 8)), 0)
