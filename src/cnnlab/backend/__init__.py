"""The seam between the maths and the speed work: which backend the layers run.

``"reference"`` runs :mod:`cnnlab.functional`, the readable maths (one file per op, forward
beside backward). ``"fast"`` (the default) runs :mod:`cnnlab.backend.fast`: the same ops
with threads, reused scratch buffers, column sharing, chunking and in-place work, each
tested equal to its reference. Only this package knows about speed; the layers in
:mod:`cnnlab.nn` ask :func:`ops` for the current backend's table of ops, every table
has the names in :data:`OPS` with the same signatures. A backend module defines only the
ops it computes its own way; the table takes the others from the reference.

>>> import cnnlab
>>> cnnlab.get_backend()
'fast'
>>> with cnnlab.use_backend("reference"):
...     cnnlab.get_backend()
'reference'
>>> ops("reference").relu(np.array([-1.0, 2.0]))
array([0., 2.])
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np  # noqa: F401  (the doctest above)

from .._validation import check_choice

__all__ = [
    "BACKENDS",
    "OPS",
    "get_backend",
    "get_num_threads",
    "ops",
    "parallel_for",
    "set_backend",
    "set_num_threads",
    "single_threaded_blas",
    "use_backend",
]

#: The backends, by name, and the module that holds each one's ops.
BACKENDS = {"reference": "cnnlab.backend.reference", "fast": "cnnlab.backend.fast"}

#: The ops every backend provides, each with the same signature in each backend.
OPS = (
    # convolution; ``scratch`` is a dict a layer keeps, for the backend's buffers
    "conv1d", "conv2d", "conv_backward",
    # pooling
    "max_pool", "max_pool_backward", "avg_pool", "avg_pool_backward",
    "global_avg_pool", "global_avg_pool_backward",
    "adaptive_avg_pool2d", "adaptive_avg_pool2d_backward",
    # dense
    "linear", "linear_backward",
    # activations; the ``*_in_place`` ops return whether they overwrote their input
    "relu", "relu_backward", "relu_in_place", "relu6", "relu6_backward",
    "leaky_relu", "leaky_relu_backward", "sigmoid", "sigmoid_backward",
    "tanh", "tanh_backward", "softmax", "softmax_backward",
    "log_softmax", "log_softmax_backward",
    # batch norm and dropout
    "batch_norm_train", "batch_norm_train_backward", "batch_norm_eval",
    "batch_norm_eval_backward", "batch_norm_eval_in_place", "update_running_stats",
    "dropout", "dropout_backward",
    # a sum written over its first operand (a residual block's, under no_grad)
    "add_in_place",
)  # fmt: skip

_current = "fast"
_loaded: dict[str, SimpleNamespace] = {}


def get_backend() -> str:
    """The name of the backend the layers run now: ``"fast"`` unless changed."""
    return _current


def set_backend(name: str) -> None:
    """Run the layers on backend ``name`` from now on: ``"reference"`` or ``"fast"``.

    A layer's backward runs on the backend its forward ran on. The setting is the whole
    process's, as ``torch.set_num_threads`` is.
    """
    global _current
    _current = check_choice("backend", name, tuple(BACKENDS))


@contextmanager
def use_backend(name: str) -> Iterator[None]:
    """Run the layers on backend ``name`` inside the ``with`` block, then go back."""
    before = get_backend()
    set_backend(name)
    try:
        yield
    finally:
        set_backend(before)


def ops(name: str | None = None) -> SimpleNamespace:
    """The table of ops of backend ``name`` (the current one by default): ``table.relu``."""
    name = _current if name is None else name
    table = _loaded.get(name)
    if table is None:
        table = _loaded[name] = _table(name)
    return table


def _table(name: str) -> SimpleNamespace:
    """Each op of :data:`OPS` from backend ``name``'s module, or the reference's if it has none."""
    own = importlib.import_module(BACKENDS[name])
    reference = importlib.import_module(BACKENDS["reference"])
    return SimpleNamespace(**{op: getattr(own, op, None) or getattr(reference, op) for op in OPS})


def get_num_threads() -> int:
    """How many threads the fast backend's batch-parallel work uses (as torch's)."""
    from .fast.parallel import get_num_threads as threads

    return threads()


def set_num_threads(count: int) -> None:
    """Use ``count`` threads for the fast backend's batch-parallel work (as torch's).

    One thread leaves BLAS to parallelise each matrix product by itself.
    """
    from .fast.parallel import set_num_threads as use_threads

    use_threads(count)


def parallel_for(function, count: int, chunk: int = 1, work: float | None = None) -> list:
    """Run ``function(start, stop, part)`` over ``range(count)``, one part per thread.

    For work outside the layers that wants the fast backend's threads (the physics data
    generators); see :func:`cnnlab.backend.fast.parallel.parallel_for`.
    """
    from .fast.parallel import parallel_for as run_parts

    return run_parts(function, count, chunk, work)


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold the loaded BLAS libraries to one thread inside the ``with`` block."""
    from .fast.parallel import single_threaded_blas as one_thread

    with one_thread():
        yield
