"""Shared helpers for the filter tests: seeded images and one comparison with SciPy."""

import numpy as np
import pytest

MODES = ("reflect", "constant", "nearest", "mirror", "wrap")
# Relative accuracy of a sum computed in the image's dtype (SciPy sums in float64).
TOLERANCE = {np.dtype(np.float32): 1e-5, np.dtype(np.float64): 1e-12}


def close_to(ours: np.ndarray, reference: np.ndarray, *, scale: float = 1.0) -> None:
    """``ours`` equals the float64 ``reference`` to the precision of ``ours``' dtype.

    ``scale`` is the size of the terms summed into one output (e.g. ``sum|K| * max|image|``);
    errors of a sum are relative to it, not to the (possibly cancelled) result.
    """
    reference = np.asarray(reference)
    assert ours.shape == reference.shape, f"shape {ours.shape} != scipy's {reference.shape}"
    tolerance = TOLERANCE[np.dtype(ours.dtype)]
    magnitude = max(1.0, float(np.max(np.abs(reference), initial=0.0)), scale)
    np.testing.assert_allclose(ours, reference, rtol=tolerance, atol=tolerance * magnitude)


def per_channel(function, image: np.ndarray, *args, **kwargs) -> np.ndarray:
    """SciPy's ``function`` on a grayscale image, or on each channel of a colour one (float64)."""
    image = image.astype(np.float64)
    if image.ndim == 2:
        return function(image, *args, **kwargs)
    channels = [function(image[:, :, c], *args, **kwargs) for c in range(image.shape[2])]
    return np.stack(channels, axis=-1)


def random_image(shape, dtype=np.float64, seed: int = 0) -> np.ndarray:
    """Seeded values in [-1, 1) of ``dtype``."""
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(dtype)


@pytest.fixture
def assert_close():
    return close_to


@pytest.fixture
def scipy_per_channel():
    return per_channel


@pytest.fixture
def image_of():
    return random_image
