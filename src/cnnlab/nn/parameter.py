"""Parameter: a trainable array together with the gradient that backward adds into."""

from __future__ import annotations

import numpy as np


class Parameter:
    """A trainable array ``data`` and its gradient ``grad`` (same shape and dtype).

    Layers add into ``grad`` with ``+=`` during ``backward``; ``Module.zero_grad()`` resets it.

    >>> p = Parameter(np.ones((2, 3), dtype=np.float32))
    >>> p.shape, p.grad.sum()
    ((2, 3), np.float32(0.0))
    """

    __slots__ = ("data", "grad")

    def __init__(self, data: np.ndarray):
        self.data = np.ascontiguousarray(data)
        self.grad = np.zeros(self.data.shape, self.data.dtype)  # calloc: untouched until used

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    def zero_grad(self) -> None:
        self.grad.fill(0)

    def astype(self, dtype) -> None:
        """Convert data and gradient to ``dtype`` in place (the object stays the same)."""
        self.data = self.data.astype(dtype)
        self.grad = np.zeros(self.data.shape, self.data.dtype)  # calloc: untouched until used

    def __repr__(self) -> str:
        return f"Parameter(shape={self.shape}, dtype={self.dtype})"
