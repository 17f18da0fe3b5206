"""Activation functions, each forward beside its backward.

Each backward takes ``grad_out`` and whatever of the forward it needs (usually the output,
which the next layer holds anyway). Dtypes follow the input: float32 stays float32.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_axis, check_float_array
from ..parallel import ELEMENT_WORK, parallel_for

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
    if zeros is None:
        zeros = np.zeros(BLOCK_ELEMENTS, dtype=dtype)
        zeros.flags.writeable = False
        zeros = _ZEROS.setdefault(dtype, zeros)
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


def leaky_relu(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """``x`` where ``x > 0``, else ``negative_slope * x``.

    >>> leaky_relu(np.array([-2.0, 3.0]), 0.5)
    array([-1.,  3.])
    """
    x = check_float_array("input", x)
    return np.where(x > 0, x, x * negative_slope)


def leaky_relu_backward(
    grad_out: np.ndarray, x: np.ndarray, negative_slope: float = 0.01
) -> np.ndarray:
    """``grad`` where ``x > 0``, else ``negative_slope * grad``; takes the input ``x``."""
    return np.where(x > 0, grad_out, grad_out * negative_slope)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``, computed from ``exp(-|x|)`` so it never overflows.

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    x = check_float_array("input", x)
    e = np.exp(-np.abs(x))  # in (0, 1]
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_backward(grad_out: np.ndarray, output: np.ndarray) -> np.ndarray:
    """``grad * s * (1 - s)`` with ``s`` the output."""
    return grad_out * output * (1 - output)


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent.

    >>> tanh(np.array([0.0]))
    array([0.])
    """
    return np.tanh(check_float_array("input", x))


def tanh_backward(grad_out: np.ndarray, output: np.ndarray) -> np.ndarray:
    """``grad * (1 - t**2)`` with ``t`` the output."""
    return grad_out * (1 - output * output)


def softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """``exp(x) / sum(exp(x))`` along ``dim``, after subtracting the maximum (stable).

    >>> softmax(np.array([[1.0, 1.0], [0.0, 1000.0]]), dim=1)
    array([[0.5, 0.5],
           [0. , 1. ]])
    """
    x = check_float_array("input", x)
    dim = check_axis("dim", dim, max(x.ndim, 1))  # a 0-d input takes dim 0 or -1, as in torch
    dim = dim if x.ndim else None  # and is its own sum
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    e /= e.sum(axis=dim, keepdims=True)
    return e


def softmax_backward(grad_out: np.ndarray, output: np.ndarray, dim: int) -> np.ndarray:
    """``s * (grad - sum(grad * s))`` along ``dim``, with ``s`` the output."""
    return output * (
        grad_out - np.sum(grad_out * output, axis=dim if output.ndim else None, keepdims=True)
    )


def log_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """``x - max - log(sum(exp(x - max)))`` along ``dim``: finite even for huge logits.

    >>> log_softmax(np.array([[0.0, 1000.0]]), dim=1)
    array([[-1000.,     0.]])
    """
    x = check_float_array("input", x)
    dim = check_axis("dim", dim, max(x.ndim, 1))  # a 0-d input takes dim 0 or -1, as in torch
    dim = dim if x.ndim else None  # and is its own sum
    shifted = x - x.max(axis=dim, keepdims=True)
    shifted -= np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
    return shifted


def log_softmax_backward(grad_out: np.ndarray, output: np.ndarray, dim: int) -> np.ndarray:
    """``grad - exp(y) * sum(grad)`` along ``dim``, with ``y`` the output."""
    return grad_out - np.exp(output) * np.sum(
        grad_out, axis=dim if output.ndim else None, keepdims=True
    )
