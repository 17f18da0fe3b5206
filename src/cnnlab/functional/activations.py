"""Activation functions, each forward beside its backward.

Each backward takes ``grad_out`` and whatever of the forward it needs (usually the output,
which the next layer holds anyway). Dtypes follow the input: float32 stays float32.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_axis, check_float_array


def relu(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)``, elementwise.

    >>> relu(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 2.])
    """
    return np.maximum(check_float_array("input", x), 0)


def relu_backward(grad_out: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Passes the gradient where the output is positive (zero at ``x = 0``, as PyTorch)."""
    return grad_out * (np.asarray(output) > 0)


def relu6(x: np.ndarray) -> np.ndarray:
    """``min(max(x, 0), 6)``, elementwise, the bounded activation of MobileNet.

    >>> relu6(np.array([-1.0, 3.0, 8.0]))
    array([0., 3., 6.])
    """
    return np.clip(np.asarray(x), 0, 6)


def relu6_backward(grad_out: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Passes the gradient where ``0 < output < 6``, zero elsewhere (PyTorch's corners)."""
    output = np.asarray(output)
    return grad_out * ((output > 0) & (output < 6))


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
