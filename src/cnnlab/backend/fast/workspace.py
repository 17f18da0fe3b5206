"""Scratch buffers that a layer keeps from one step to the next."""

from __future__ import annotations

import numpy as np


class Workspace:
    """Scratch buffers kept between calls, so big arrays are not allocated every step.

    A layer owns one and passes it to each forward; a buffer is handed out again by name
    (grown when too small), so whatever a previous call left in it is overwritten.

    >>> workspace = Workspace()
    >>> a = workspace.get("cols", 6, np.float32)
    >>> b = workspace.get("cols", 4, np.float32)
    >>> a.shape, b.shape, np.shares_memory(a, b)
    ((6,), (4,), True)
    """

    def __init__(self) -> None:
        self._buffers: dict[str, np.ndarray] = {}
        self._children: dict[str, Workspace] = {}

    def child(self, name: str) -> Workspace:
        """A workspace of its own, kept under ``name``, for a computation nested in this one.

        >>> workspace = Workspace()
        >>> workspace.child("input_grad") is workspace.child("input_grad")
        True
        """
        if name not in self._children:
            self._children[name] = Workspace()
        return self._children[name]

    def get(self, name: str, size: int, dtype) -> np.ndarray:
        """A 1-D buffer of ``size`` elements of ``dtype`` (uninitialised)."""
        buffer = self._buffers.get(name)
        if buffer is None or buffer.size < size or buffer.dtype != dtype:
            buffer = np.empty(size, dtype)
            self._buffers[name] = buffer
        return buffer[:size]
