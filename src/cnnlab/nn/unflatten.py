"""Unflatten: split one dimension into several, the inverse of :class:`Flatten`."""

from __future__ import annotations

import math

import numpy as np

from .._validation import _is_int, check_axis, received
from .module import Module


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size``: ``(N, 60) -> (N, 3, 4, 5)``.

    One entry of ``unflattened_size`` may be -1, to be inferred (as in PyTorch).

    >>> Unflatten(1, (3, 4, 5))(np.zeros((2, 60))).shape
    (2, 3, 4, 5)
    """

    def __init__(self, dim: int, unflattened_size: tuple[int, ...]):
        super().__init__()
        message = (
            "`unflattened_size` must be a tuple of positive ints (one of them may be -1). "
            f"{received(unflattened_size=unflattened_size)}"
        )
        if not isinstance(unflattened_size, (tuple, list)) or not all(
            _is_int(s) for s in unflattened_size
        ):
            raise TypeError(message)
        if not unflattened_size or any(s < 1 and s != -1 for s in unflattened_size):
            raise ValueError(message)
        if list(unflattened_size).count(-1) > 1:
            raise ValueError(message)
        if not _is_int(dim):
            raise TypeError(f"`dim` must be an int. {received(dim=dim)}")
        self.dim = int(dim)
        self.unflattened_size = tuple(int(s) for s in unflattened_size)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        dim = check_axis("dim", self.dim, x.ndim)
        sizes = self.unflattened_size
        known = math.prod(s for s in sizes if s != -1)
        fits = x.shape[dim] == known if -1 not in sizes else known and x.shape[dim] % known == 0
        if not fits:
            raise ValueError(
                f"Unflatten cannot split dimension {self.dim} of size {x.shape[dim]} into "
                f"{sizes}. {received(input=x)}"
            )
        if -1 in sizes:
            sizes = tuple(x.shape[dim] // known if s == -1 else s for s in sizes)
        self.input_shape = x.shape
        return x.reshape(x.shape[:dim] + sizes + x.shape[dim + 1 :])

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return np.asarray(grad_out).reshape(self.input_shape)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
