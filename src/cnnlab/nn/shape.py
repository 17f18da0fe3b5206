"""Layers that only move numbers around: ``Identity`` and ``Flatten``."""

from __future__ import annotations

import numpy as np

from .._validation import received
from .module import Module


class Identity(Module):
    """Returns its input unchanged (a placeholder, or an empty shortcut).

    >>> Identity()(np.arange(3))
    array([0, 1, 2])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out


class Flatten(Module):
    """Flattens dimensions ``start_dim`` to ``end_dim``: ``(N, C, H, W) -> (N, C*H*W)``.

    >>> Flatten()(np.zeros((2, 3, 4, 5))).shape
    (2, 60)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x: np.ndarray) -> np.ndarray:
        ndim = x.ndim
        start = self.start_dim % ndim if -ndim <= self.start_dim < ndim else None
        end = self.end_dim % ndim if -ndim <= self.end_dim < ndim else None
        if start is None or end is None or start > end:
            raise ValueError(
                f"Flatten(start_dim={self.start_dim}, end_dim={self.end_dim}) does not fit an "
                f"input with {ndim} dimensions. {received(input=x)}"
            )
        self.input_shape = x.shape
        shape = x.shape[:start] + (-1,) + x.shape[end + 1 :]
        return x.reshape(shape)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out.reshape(self.input_shape)

    def extra_repr(self) -> str:
        if (self.start_dim, self.end_dim) == (1, -1):
            return ""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
