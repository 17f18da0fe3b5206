"""ReLU in cache-sized blocks split between threads, and in place.

The maths is :func:`cnnlab.functional.relu`'s: ``max(x, 0)``, and the gradient passes
where the output is positive.
"""

from __future__ import annotations

import numpy as np

from ..._validation import check_float_array
from .parallel import ELEMENT_WORK, parallel_for

BLOCK_ELEMENTS = 1 << 16  # elementwise work runs in blocks of this many (cache-sized)
_ZEROS: dict[np.dtype, np.ndarray] = {}  # a read-only block of zeros per dtype


def relu(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``max(x, 0)``, into ``out`` when given (``out=x`` works in place).

    Block by block, the maximum is taken against a block of zeros rather than the
    scalar 0: NumPy's vectorised loop needs both operands contiguous, and a broadcast
    scalar made it three times slower (25 against 8 µs per 65,536 float32 here).

    >>> relu(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 2.])
    """
    x = check_float_array("input", x)
    out = np.empty_like(x, order="C") if out is None else out
    zeros = _zeros_block(out.dtype)
    if not _blockwise(lambda a, b: np.maximum(a, zeros[: a.size], out=b), x, out):
        np.maximum(x, 0, out=out)
    return out


def relu_backward(grad_out: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Passes the gradient where the output is positive (zero at ``x = 0``, as PyTorch)."""
    grad_out, output = np.asarray(grad_out), np.asarray(output)
    grad = np.empty(np.broadcast_shapes(grad_out.shape, output.shape), grad_out.dtype)
    if not _blockwise(lambda g, y, out: np.multiply(g, y > 0, out=out), grad_out, output, grad):
        np.multiply(grad_out, output > 0, out=grad)
    return grad


def _zeros_block(dtype: np.dtype) -> np.ndarray:
    """A read-only block of ``BLOCK_ELEMENTS`` zeros of ``dtype``, made once."""
    zeros = _ZEROS.get(dtype)
    if zeros is None or zeros.size != BLOCK_ELEMENTS:  # or the block size has changed since
        zeros = np.zeros(BLOCK_ELEMENTS, dtype=dtype)
        zeros.flags.writeable = False
        _ZEROS[dtype] = zeros
    return zeros


def _blockwise(function, *arrays: np.ndarray) -> bool:
    """Apply ``function`` to cache-sized blocks of same-shaped contiguous ``arrays``.

    The blocks are shared out among cnnlab's threads. Returns False (and does nothing)
    when the arrays are not all C-contiguous with one shape.
    """
    shape = arrays[0].shape
    if any(a.shape != shape or not a.flags.c_contiguous for a in arrays):
        return False
    flat = [a.reshape(-1) for a in arrays]

    def blocks(start: int, stop: int, _) -> None:
        for first in range(start, stop, BLOCK_ELEMENTS):
            last = min(first + BLOCK_ELEMENTS, stop)
            function(*(a[first:last] for a in flat))

    size = flat[0].size
    parallel_for(blocks, size, chunk=BLOCK_ELEMENTS, work=size * len(arrays) * ELEMENT_WORK)
    return True


def relu_in_place(x: np.ndarray) -> bool:
    """``max(x, 0)`` written over ``x`` (a float array); returns True, it always does."""
    relu(x, out=x)
    return True


def add_in_place(a: np.ndarray, b: np.ndarray) -> bool:
    """``a + b`` written over ``a``, where the sum has ``a``'s shape and dtype; says if it was.

    The same elementwise sums as ``np.add(a, b)``, so the same bits, in no new array.
    """
    if not (isinstance(a, np.ndarray) and a.flags.writeable and np.shape(b) == a.shape):
        return False
    if np.result_type(a, b) != a.dtype:
        return False
    np.add(a, b, out=a)
    return True
