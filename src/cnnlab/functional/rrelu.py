"""Randomized leaky ReLU (Xu et al., 2015): a random negative slope per value in training.

In training each value ``x <= 0`` is multiplied by its own slope drawn uniformly from
``[lower, upper]``; in evaluation every slope is the mean ``(lower + upper) / 2``, which
makes RReLU a :func:`leaky_relu`. The slopes come from an explicit generator.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array


def rrelu_slopes(x: np.ndarray, lower: float, upper: float, rng: np.random.Generator) -> np.ndarray:
    """One slope per value: 1 where ``x > 0``, a uniform draw from ``[lower, upper]`` elsewhere.

    Like PyTorch, it draws only for the values that need one (``x <= 0``), in order.

    >>> rrelu_slopes(np.array([1.0, -1.0]), 0.2, 0.2, np.random.default_rng(0))
    array([1. , 0.2])
    """
    x = check_float_array("input", x)
    slopes = np.ones_like(x)
    negative = x <= 0
    slopes[negative] = rng.uniform(lower, upper, size=int(negative.sum()))
    return slopes


def rrelu(
    x: np.ndarray,
    lower: float = 1 / 8,
    upper: float = 1 / 3,
    training: bool = False,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray | float]:
    """Return the output and the slopes (an array in training, the mean slope otherwise).

    Training: ``y = x * slope``, ``slope = 1`` for ``x > 0`` and ``U(lower, upper)`` else.
    Evaluation: ``y = x`` for ``x >= 0`` and ``(lower + upper) / 2 * x`` else.

    >>> rrelu(np.array([-2.0, 3.0]), 0.25, 0.75)
    (array([-1.,  3.]), 0.5)
    """
    x = check_float_array("input", x)
    if not training:
        slope = (lower + upper) / 2
        return np.where(x >= 0, x, x * slope).astype(x.dtype, copy=False), slope
    if rng is None:
        raise ValueError(
            "rrelu in training draws random slopes: give it `rng`. Received: rng=None."
        )
    slopes = rrelu_slopes(x, lower, upper, rng)
    return x * slopes, slopes


def rrelu_backward(grad_out: np.ndarray, x: np.ndarray, slopes: np.ndarray | float) -> np.ndarray:
    """``grad * slope``; in evaluation the slope is 1 for ``x > 0`` (PyTorch's leaky ReLU)."""
    if isinstance(slopes, np.ndarray):
        return grad_out * slopes
    return np.where(x > 0, grad_out, grad_out * slopes).astype(grad_out.dtype, copy=False)
