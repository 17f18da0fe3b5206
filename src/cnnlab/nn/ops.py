"""Array ops that a composed module's forward may call: each recorded, with its backward.

Inside a module's ``forward``, arithmetic on arrays goes through these functions instead
of NumPy's operators, so that the record (:mod:`cnnlab.nn.recording`) can send gradients
back through it: ``ops.add(a, b)``, not ``a + b``. Outside a forward they are plain NumPy.
Each op returns its output and, beside it, the function that turns the output's
gradient into one gradient per input.

add, subtract, multiply    elementwise, broadcasting as NumPy does
add_in_place               add, over the first operand under no_grad() (inference)
concatenate (cat)          along one axis, e.g. channels of two branches
flatten, reshape           the same numbers in another shape
mean, sum                  over axes (global average pooling is ``mean(x, (2, 3))``)
getitem                    ``x[index]``: slicing, e.g. the first half of the channels

>>> x = np.arange(6.0).reshape(2, 3)
>>> add(x, 1.0)
array([[1., 2., 3.],
       [4., 5., 6.]])
"""

from __future__ import annotations

import numpy as np

from .. import backend
from .._validation import received
from ..grad_mode import is_grad_enabled
from .recording import recorded_op


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes NumPy broadcast an input of ``shape`` along."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    axes = tuple(axis for axis, n in enumerate(shape) if n == 1 and grad.shape[axis] != 1)
    return grad.sum(axis=axes, keepdims=True) if axes else grad


def _broadcast_shape(a, b) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(np.shape(a), np.shape(b))
    except ValueError:
        raise ValueError(
            "The two operands must have shapes that broadcast together (equal, or 1, axis "
            f"by axis from the right). Received: shapes {np.shape(a)} and {np.shape(b)}."
        ) from None


@recorded_op
def add(a: np.ndarray, b: np.ndarray):
    """``a + b``; the gradient reaches both unchanged (summed where broadcast)."""
    _broadcast_shape(a, b)

    def backward(grad):
        return _unbroadcast(grad, np.shape(a)), _unbroadcast(grad, np.shape(b))

    return np.add(a, b), backward


def add_in_place(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`add`, written over ``a`` under ``no_grad()`` where the backend works in place.

    For a forward that made ``a`` itself and needs it no more, such as a residual block
    adding its shortcut to its main path's output: inference then makes no new array.
    With gradients on it is :func:`add`, a new array, as every recorded op makes.

    >>> from cnnlab.nn import no_grad
    >>> a = np.zeros(2, np.float32)
    >>> with no_grad():
    ...     total = add_in_place(a, np.ones(2, np.float32))
    >>> total is a, a
    (True, array([1., 1.], dtype=float32))
    """
    if not is_grad_enabled() and backend.ops().add_in_place(a, b):
        return a
    return add(a, b)


@recorded_op
def subtract(a: np.ndarray, b: np.ndarray):
    """``a - b``."""
    _broadcast_shape(a, b)

    def backward(grad):
        return _unbroadcast(grad, np.shape(a)), -_unbroadcast(grad, np.shape(b))

    return np.subtract(a, b), backward


@recorded_op
def multiply(a: np.ndarray, b: np.ndarray):
    """``a * b``, e.g. a feature map times per-channel weights (squeeze-and-excitation)."""
    _broadcast_shape(a, b)

    def backward(grad):
        return _unbroadcast(grad * b, np.shape(a)), _unbroadcast(grad * a, np.shape(b))

    return np.multiply(a, b), backward


@recorded_op
def concatenate(arrays: list[np.ndarray], axis: int = 1):
    """The arrays side by side along ``axis`` (channels by default, as ``torch.cat``)."""
    shapes = [np.shape(a) for a in arrays]
    try:
        output = np.concatenate(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError):
        raise ValueError(
            f"Arrays to concatenate along axis {axis} must agree on every other axis. "
            f"Received: shapes {', '.join(str(s) for s in shapes)}."
        ) from None
    ends = np.cumsum([shape[axis] for shape in shapes])[:-1]

    def backward(grad):
        return tuple(np.split(grad, ends, axis=axis))

    return output, backward


cat = concatenate


@recorded_op
def reshape(x: np.ndarray, shape: tuple[int, ...]):
    """The same numbers in ``shape`` (one entry may be -1)."""
    try:
        output = np.reshape(x, shape)
    except ValueError:
        raise ValueError(
            f"An array of {np.size(x)} numbers cannot take the shape {shape}. "
            f"{received(x=np.asarray(x))}"
        ) from None

    def backward(grad):
        return (grad.reshape(np.shape(x)),)

    return output, backward


@recorded_op
def flatten(x: np.ndarray, start_dim: int = 1):
    """``(N, C, H, W) -> (N, C*H*W)``: every axis from ``start_dim`` on merged into one."""
    output = np.reshape(x, np.shape(x)[:start_dim] + (-1,))

    def backward(grad):
        return (grad.reshape(np.shape(x)),)

    return output, backward


@recorded_op
def mean(x: np.ndarray, axis: int | tuple[int, ...], keepdims: bool = False):
    """The mean over ``axis``; each input element gets ``1 / count`` of the gradient."""
    output = np.mean(x, axis=axis, keepdims=keepdims)
    count = np.size(x) // max(np.size(output), 1)

    def backward(grad):
        kept = grad if keepdims else np.expand_dims(grad, axis)
        return (np.broadcast_to(kept / count, np.shape(x)).copy(),)

    return output, backward


@recorded_op
def sum(x: np.ndarray, axis: int | tuple[int, ...], keepdims: bool = False):  # noqa: A001
    """The sum over ``axis``; every input element gets the gradient of its sum."""
    output = np.sum(x, axis=axis, keepdims=keepdims)

    def backward(grad):
        kept = grad if keepdims else np.expand_dims(grad, axis)
        return (np.broadcast_to(kept, np.shape(x)).copy(),)

    return output, backward


@recorded_op
def getitem(x: np.ndarray, index):
    """``x[index]`` (basic slicing): the gradient lands where the slice was taken.

    >>> getitem(np.arange(4.0), slice(1, 3))
    array([1., 2.])
    """
    output = x[index]

    def backward(grad):
        full = np.zeros(np.shape(x), dtype=grad.dtype)
        np.add.at(full, index, grad)
        return (full,)

    return output, backward
