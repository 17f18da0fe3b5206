"""Activation layers: ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax.

Each keeps what its backward needs (the output, or for LeakyReLU the input). None offers
``inplace``; under ``no_grad()`` the containers let ReLU overwrite a fresh array instead.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_real, received
from ..grad_mode import is_grad_enabled
from ._backend import backward_ops, forward_ops
from .module import Module


class ReLU(Module):
    """``max(x, 0)``, elementwise, any shape.

    >>> ReLU()(np.array([-1.0, 2.0]))
    array([0., 2.])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.output = forward_ops(self).relu(x)
        return self.output

    def forward_in_place(self, x: np.ndarray) -> bool:
        if not np.issubdtype(x.dtype, np.floating) or not forward_ops(self).relu_in_place(x):
            return False
        self.output = x if is_grad_enabled() else None  # backward needs only the output
        return True

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if getattr(self, "output", None) is None:
            raise self.no_forward_error()
        return backward_ops(self).relu_backward(grad_out, self.output)


class LeakyReLU(Module):
    """``x`` where ``x > 0``, else ``negative_slope * x``.

    >>> LeakyReLU(0.1)(np.array([-1.0, 2.0]))
    array([-0.1,  2. ])
    """

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = check_real("negative_slope", negative_slope)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input = np.asarray(x)
        return forward_ops(self).leaky_relu(self.input, self.negative_slope)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).leaky_relu_backward(grad_out, self.input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """``1 / (1 + exp(-x))``, finite for any input.

    >>> Sigmoid()(np.array([0.0]))
    array([0.5])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.output = forward_ops(self).sigmoid(x)
        return self.output

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).sigmoid_backward(grad_out, self.output)


class Tanh(Module):
    """Hyperbolic tangent, elementwise.

    >>> Tanh()(np.array([0.0]))
    array([0.])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.output = forward_ops(self).tanh(x)
        return self.output

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).tanh_backward(grad_out, self.output)


class _AlongDim(Module):
    """A normalisation along one axis; ``dim`` must be given, as PyTorch recommends."""

    def __init__(self, dim: int | None = None):
        super().__init__()
        if dim is None:
            raise ValueError(
                f"{type(self).__name__} needs an explicit `dim`, the axis to normalise "
                f"(PyTorch's implicit choice is deprecated), e.g. {type(self).__name__}(dim=1) "
                f"for (N, classes). {received(dim=dim)}"
            )
        self.dim = dim

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """Probabilities along ``dim``: non-negative, summing to one.

    >>> Softmax(dim=1)(np.zeros((1, 4)))
    array([[0.25, 0.25, 0.25, 0.25]])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.output = forward_ops(self).softmax(x, self.dim)
        return self.output

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).softmax_backward(grad_out, self.output, self.dim)


class LogSoftmax(_AlongDim):
    """Logarithm of :class:`Softmax` along ``dim``, computed stably.

    >>> LogSoftmax(dim=1)(np.array([[0.0, 1000.0]]))
    array([[-1000.,     0.]])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.output = forward_ops(self).log_softmax(x, self.dim)
        return self.output

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).log_softmax_backward(grad_out, self.output, self.dim)
