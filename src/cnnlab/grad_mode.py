"""``no_grad()``: forward passes that will not be differentiated, as ``torch.no_grad``.

Inside it, layers keep nothing for ``backward`` (calling it raises), and the containers
let batch norm (in evaluation mode) and ReLU overwrite the fresh array the layer before
them made, instead of allocating another: inference then moves about a third less memory.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _State(threading.local):
    enabled = True  # a class default: reading it in a new thread raises nothing (fast)


_state = _State()


def is_grad_enabled() -> bool:
    """False inside :func:`no_grad`.

    >>> is_grad_enabled()
    True
    """
    return _state.enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Run forward passes without keeping anything for ``backward`` (this thread only).

    >>> import numpy as np
    >>> from cnnlab.nn import Conv2d, is_grad_enabled, no_grad
    >>> layer = Conv2d(1, 2, 3, rng=0)
    >>> with no_grad():
    ...     y = layer(np.zeros((1, 1, 5, 5), np.float32))
    >>> y.shape, is_grad_enabled()
    ((1, 2, 3, 3), True)
    >>> layer.backward(np.ones_like(y))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    RuntimeError: Conv2d.backward() was called without a forward() to differentiate: ...
    """
    before = is_grad_enabled()
    _state.enabled = False
    try:
        yield
    finally:
        _state.enabled = before
