"""Weight initialisation drawing from the same distributions as PyTorch's defaults.

PyTorch initialises ``Linear`` and ``ConvNd`` weights with
``kaiming_uniform_(a=sqrt(5))``, which is ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``, and
their biases from the same interval. ``fan_in`` is ``in_features`` for a dense layer and
``C_in / groups * KH * KW`` for a convolution.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import received


def default_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """Accept a ``Generator``, a seed, or ``None`` (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(
        f"`rng` must be a numpy.random.Generator, an int seed or None. {received(rng=rng)}"
    )


def uniform_fan_in(
    shape: tuple[int, ...], fan_in: int, rng: np.random.Generator, dtype=np.float32
) -> np.ndarray:
    """Draw from ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``: PyTorch's default for weights and biases.

    >>> w = uniform_fan_in((120, 400), 400, np.random.default_rng(0))
    >>> bool(np.abs(w).max() <= 1 / 20), w.dtype
    (True, dtype('float32'))
    """
    bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
    return rng.uniform(-bound, bound, size=shape).astype(dtype)
