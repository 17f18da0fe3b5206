"""A built-in test picture that cnnlab draws itself (no download)."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int


def demo_image(size: int = 256, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """A grayscale test picture with edges in every direction, shapes and fine detail.

    It holds a bright disc, a dark square, a triangle, a slanted bar, a ramp, and a patch of
    fine stripes, so smoothing, edge and gradient filters each have something to show.

    Parameters
    ----------
    size : int
        Height and width in pixels.
    noise : float
        Standard deviation of added Gaussian noise.
    seed : int
        Seed of the noise.

    Returns
    -------
    ndarray of float32, shape ``(size, size)``, values in ``[0, 1]``

    Examples
    --------
    >>> image = demo_image(64)
    >>> image.shape, image.dtype, bool(image.min() >= 0 and image.max() <= 1)
    ((64, 64), dtype('float32'), True)
    """
    size = check_positive_int("size", size)
    y, x = np.mgrid[0:size, 0:size] / size  # both in [0, 1)
    image = 0.25 + 0.2 * x  # a gentle horizontal ramp as background
    image = np.where((x - 0.3) ** 2 + (y - 0.3) ** 2 < 0.18**2, 0.95, image)  # disc
    image = np.where((np.abs(x - 0.72) < 0.15) & (np.abs(y - 0.28) < 0.15), 0.05, image)  # square
    triangle = (y > 0.55) & (y < 0.92) & (np.abs(x - 0.28) < (y - 0.55) * 0.6)
    image = np.where(triangle, 0.8, image)
    bar = np.abs((x - 0.7) * np.cos(0.6) + (y - 0.72) * np.sin(0.6)) < 0.03
    image = np.where(bar & (np.abs(x - 0.7) < 0.2) & (np.abs(y - 0.72) < 0.2), 1.0, image)
    stripes = (x > 0.05) & (x < 0.2) & (y > 0.05) & (y < 0.13)
    image = np.where(stripes, 0.5 + 0.4 * np.sign(np.sin(2 * np.pi * x * size / 4)), image)
    if noise > 0:
        image = image + np.random.default_rng(seed).normal(0.0, noise, image.shape)
    return np.clip(image, 0.0, 1.0).astype(np.float32)
