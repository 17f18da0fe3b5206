"""How a layer reaches the backend's ops: forward on the current one, backward on the same.

A layer's backward must run on the backend that ran its forward (the context it kept is
that backend's), even if :func:`cnnlab.set_backend` was called in between.
"""

from __future__ import annotations

from types import ModuleType

from .. import backend


def forward_ops(layer) -> ModuleType:
    """The current backend's ops, its name remembered in ``layer.backend_name``."""
    layer.backend_name = backend.get_backend()
    return backend.ops(layer.backend_name)


def backward_ops(layer) -> ModuleType:
    """The ops of the backend that ran ``layer``'s forward (the current one if none did)."""
    return backend.ops(getattr(layer, "backend_name", None))
