"""Dropout: randomly zero activations while training (inverted dropout)."""

from __future__ import annotations

import numpy as np

from .._validation import check_probability
from ._backend import backward_ops, forward_ops
from .init import default_rng
from .module import Module


class Dropout(Module):
    """Zero each value with probability ``p`` in training and scale the rest by ``1/(1-p)``.

    In evaluation mode (``layer.eval()``) it is the identity. The mask comes from the
    layer's own generator ``rng``, so a seeded layer drops the same units every run.

    Parameters
    ----------
    p : float in [0, 1)
        Probability of zeroing a value; ``p=0`` is the identity.
    rng : numpy.random.Generator or int, optional

    Examples
    --------
    >>> layer = Dropout(0.5, rng=0)
    >>> layer
    Dropout(p=0.5)
    >>> np.unique(layer(np.ones(100, dtype=np.float32)))
    array([0., 2.], dtype=float32)
    >>> layer.eval()(np.ones(3, dtype=np.float32))
    array([1., 1., 1.], dtype=float32)
    """

    def __init__(self, p: float = 0.5, rng: np.random.Generator | int | None = None):
        super().__init__()
        self.p = check_probability("p", p, include_one=False)
        self.rng = default_rng(rng)

    def forward(self, x: np.ndarray) -> np.ndarray:
        y, self.mask = forward_ops(self).dropout(x, self.p, self.rng, self.training)
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).dropout_backward(grad_out, self.mask)

    def extra_repr(self) -> str:
        return f"p={self.p}"
