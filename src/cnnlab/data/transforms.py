"""Transforms of image batches: the base contract, ``Compose`` and the photometric ones.

Every transform is a callable ``t(images, rng)`` on a batch ``(N, C, H, W)`` that returns a
new array (the input is never changed) of the same dtype. Random transforms draw their
parameters, one set per image, from the explicit ``rng``; deterministic ones ignore it.
Values are not clipped, so transforms compose in any order (before or after ``Normalize``).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._validation import check_callable, check_float_array, received


def check_images(images: Any) -> np.ndarray:
    """A float batch ``(N, C, H, W)``; integer input becomes float32."""
    return check_float_array("images", images, layout="(N, C, H, W)")


def check_rng(rng: Any, owner: str) -> np.random.Generator:
    """The explicit source of randomness a random transform needs (a Generator or a seed)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"`rng` must be a numpy.random.Generator or an int seed: {owner} is random and draws "
        f"its parameters from it. {received(rng=rng)}"
    )


def check_range(name: str, value: Any, *, symmetric: bool = False) -> tuple[float, float]:
    """A pair ``(lo, hi)`` with ``lo <= hi``; a single number ``d`` means ``(-d, d)``."""
    form = "a non-negative number d (for -d..d) or " if symmetric else ""
    message = f"`{name}` must be {form}a pair (lo, hi) with lo <= hi. {received(**{name: value})}"
    if symmetric and isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not np.isfinite(value) or value < 0:
            raise ValueError(message)
        return -float(value), float(value)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(message)
    if any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in value):
        raise TypeError(message)
    lo, hi = float(value[0]), float(value[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo <= hi):
        raise ValueError(message)
    return lo, hi


class Transform:
    """Base of all transforms: ``__repr__`` shows the constructor arguments."""

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({shown})"


class Compose(Transform):
    """Apply transforms one after another, all drawing from the same ``rng``.

    Examples
    --------
    >>> t = Compose([Brightness(0.1), Normalize(0.5, 0.25)])
    >>> t(np.full((2, 1, 4, 4), 0.5, dtype=np.float32), np.random.default_rng(0)).shape
    (2, 1, 4, 4)
    """

    def __init__(self, transforms: Sequence[Callable]) -> None:
        if isinstance(transforms, (str, bytes)) or not isinstance(transforms, Sequence):
            raise TypeError(
                f"`transforms` must be a list of transforms. {received(transforms=transforms)}"
            )
        for i, t in enumerate(transforms):
            check_callable(f"transforms[{i}]", t, "a transform called as t(images, rng)")
        self.transforms = list(transforms)

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        out = check_images(images)
        for t in self.transforms:
            out = t(out, rng)
        return out.copy() if out is images else out

    def __repr__(self) -> str:
        inner = "".join(f"\n    {t!r}," for t in self.transforms)
        return f"Compose([{inner}\n])"


class Normalize(Transform):
    """Per-channel standardisation ``(x - mean) / std``; deterministic.

    ``mean`` and ``std`` are kept as tuples of floats, so a model's metadata can record the
    input normalisation it was trained with; ``inverse`` undoes the transform.

    Parameters
    ----------
    mean, std : float or sequence of float
        One value for all channels, or one per channel. ``std`` must be positive.

    Examples
    --------
    >>> t = Normalize(mean=[0.5], std=[0.25])
    >>> x = np.ones((1, 1, 2, 2), dtype=np.float32)
    >>> t(x, None)[0, 0, 0, 0], t.mean, t.std
    (np.float32(2.0), (0.5,), (0.25,))
    >>> bool(np.allclose(t.inverse(t(x)), x))
    True
    """

    def __init__(self, mean: float | Sequence[float], std: float | Sequence[float]) -> None:
        self.mean = _channel_values("mean", mean)
        self.std = _channel_values("std", std)
        if min(self.std) <= 0:
            raise ValueError(f"`std` must hold positive numbers. {received(std=std)}")
        if len(self.mean) != len(self.std) and 1 not in (len(self.mean), len(self.std)):
            raise ValueError(
                "`mean` and `std` must have one value each per channel (or a single one). "
                f"{received(mean=mean, std=std)}"
            )

    @classmethod
    def from_images(cls, images: np.ndarray) -> Normalize:
        """The per-channel mean and standard deviation of a batch (e.g. a training set)."""
        images = check_images(images)
        mean = images.mean(axis=(0, 2, 3), dtype=np.float64)
        std = images.std(axis=(0, 2, 3), dtype=np.float64)
        return cls(mean.tolist(), np.where(std > 0, std, 1.0).tolist())  # constant channel: 1

    def _per_channel(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        channels = images.shape[1]
        if max(len(self.mean), len(self.std)) not in (1, channels):
            raise ValueError(
                f"Normalize has {max(len(self.mean), len(self.std))} channel values but the "
                f"images have {channels} channels. {received(images=images)}"
            )
        shape = (1, -1, 1, 1)
        mean = np.asarray(self.mean, dtype=images.dtype).reshape(shape)
        return mean, np.asarray(self.std, dtype=images.dtype).reshape(shape)

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        images = check_images(images)
        mean, std = self._per_channel(images)
        return (images - mean) / std

    def inverse(self, images: np.ndarray) -> np.ndarray:
        """Undo the normalisation: ``x * std + mean``."""
        images = check_images(images)
        mean, std = self._per_channel(images)
        return images * std + mean


def _channel_values(name: str, value: Any) -> tuple[float, ...]:
    """One finite number, or a flat non-empty sequence of them (one per channel)."""
    values = list(value) if isinstance(value, (list, tuple, np.ndarray)) else [value]
    finite = all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v) for v in values
    )
    if not values or not finite:
        raise ValueError(
            f"`{name}` must be a number or a sequence of numbers, one per channel. "
            f"{received(**{name: value})}"
        )
    return tuple(float(v) for v in values)


class Brightness(Transform):
    """Add one offset per image, drawn uniformly from ``[-max_delta, max_delta]``.

    Examples
    --------
    >>> x = np.zeros((3, 1, 2, 2), dtype=np.float32)
    >>> y = Brightness(0.2)(x, np.random.default_rng(0))
    >>> bool(np.all(np.abs(y) <= 0.2)), y.dtype
    (True, dtype('float32'))
    """

    def __init__(self, max_delta: float) -> None:
        self.max_delta = check_range("max_delta", max_delta, symmetric=True)[1]

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        images = check_images(images)
        rng = check_rng(rng, "Brightness")
        delta = rng.uniform(-self.max_delta, self.max_delta, size=(len(images), 1, 1, 1))
        return images + delta.astype(images.dtype)


class Contrast(Transform):
    """Scale each image about its own mean by a factor drawn uniformly from ``[low, high]``.

    ``x' = m + f (x - m)`` with ``m`` the mean of the image over channels and pixels, so the
    mean brightness stays and the spread changes (``f < 1`` flattens, ``f > 1`` sharpens).

    Examples
    --------
    >>> x = np.array([0.0, 1.0], dtype=np.float32).reshape(1, 1, 1, 2)
    >>> Contrast(0.5, 0.5)(x, np.random.default_rng(0))
    array([[[[0.25, 0.75]]]], dtype=float32)
    """

    def __init__(self, low: float, high: float) -> None:
        low, high = check_range("(low, high)", (low, high))
        if low < 0:
            raise ValueError(f"`low` must be non-negative. {received(low=low)}")
        self.low, self.high = low, high

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        images = check_images(images)
        rng = check_rng(rng, "Contrast")
        factor = rng.uniform(self.low, self.high, size=(len(images), 1, 1, 1)).astype(images.dtype)
        mean = images.mean(axis=(1, 2, 3), keepdims=True)
        return mean + factor * (images - mean)
