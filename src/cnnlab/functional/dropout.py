"""Inverted dropout: zero each value with probability ``p``, scale the rest by 1/(1-p).

Scaling at training time keeps the expected value of every unit unchanged, so evaluation
is the identity.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array, check_probability


def dropout_mask(
    shape: tuple[int, ...], p: float, rng: np.random.Generator, dtype=np.float32
) -> np.ndarray:
    """A mask of zeros (probability ``p``) and ``1 / (1 - p)`` (probability ``1 - p``).

    Examples
    --------
    >>> np.unique(dropout_mask((8,), 0.5, np.random.default_rng(0)))
    array([0., 2.], dtype=float32)
    """
    p = check_probability("p", p, include_one=False)
    dtype = np.dtype(dtype)
    draw_dtype = dtype if dtype in (np.float32, np.float64) else np.float64
    mask = (rng.random(shape, dtype=draw_dtype) >= p).astype(dtype)
    mask *= dtype.type(1.0 / (1.0 - p))
    return mask


def dropout(
    x: np.ndarray, p: float, rng: np.random.Generator, training: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Apply inverted dropout; return the output and the mask (``None`` for the identity).

    Outside training, and for ``p = 0``, the input is returned unchanged.

    Parameters
    ----------
    x : ndarray, any shape (integers are computed as float32)
    p : float in [0, 1)
        Probability of zeroing each value.
    rng : numpy.random.Generator
        Source of the mask.
    training : bool

    Examples
    --------
    >>> y, mask = dropout(np.ones(1000), 0.5, np.random.default_rng(0))
    >>> np.unique(y), bool(abs(y.mean() - 1.0) < 0.1)
    (array([0., 2.]), True)
    >>> dropout(np.ones(3), 0.5, np.random.default_rng(0), training=False)
    (array([1., 1., 1.]), None)
    """
    p = check_probability("p", p, include_one=False)
    x = check_float_array("input", x)  # integers become float32, so 1/(1-p) is not rounded
    if not training or p == 0.0:
        return x, None
    mask = dropout_mask(x.shape, p, rng, x.dtype)
    return x * mask, mask


def dropout_backward(grad_out: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """Gradient of :func:`dropout`: the same mask applied to ``grad_out``.

    Examples
    --------
    >>> dropout_backward(np.ones(3), np.array([0.0, 2.0, 2.0]))
    array([0., 2., 2.])
    """
    return grad_out if mask is None else grad_out * mask
