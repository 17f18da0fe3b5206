"""Linear: the dense (fully connected) layer."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ._backend import backward_ops, forward_ops
from .init import default_rng, uniform_fan_in
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """Dense layer ``y = x @ weight.T + bias``, as PyTorch's ``nn.Linear``.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the last axis of the input and of the output.
    bias : bool
        Whether to learn an additive bias.
    rng : numpy.random.Generator or int, optional
        Source of the initial weights, drawn like PyTorch's default:
        ``U(-1/sqrt(in_features), 1/sqrt(in_features))`` for weight and bias.
    dtype : numpy dtype
        Dtype of the parameters (float32 by default).

    Shapes: input ``(*, in_features)``, output ``(*, out_features)``, weight
    ``(out_features, in_features)``, bias ``(out_features,)``.

    Examples
    --------
    >>> layer = Linear(400, 120, rng=0)
    >>> layer
    Linear(400 -> 120)
    >>> layer(np.zeros((64, 400), dtype=np.float32)).shape
    (64, 120)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        rng: np.random.Generator | int | None = None,
        dtype=np.float32,
    ):
        super().__init__()
        self.in_features = check_positive_int("in_features", in_features)
        self.out_features = check_positive_int("out_features", out_features)
        rng = default_rng(rng)
        shape = (self.out_features, self.in_features)
        self.weight = Parameter(uniform_fan_in(shape, self.in_features, rng, dtype))
        self.bias = (
            Parameter(uniform_fan_in((self.out_features,), self.in_features, rng, dtype))
            if bias
            else None
        )

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        # Integer inputs (raw pixels) are computed in the weight's dtype, not float64.
        self.x = x if np.issubdtype(x.dtype, np.floating) else x.astype(self.weight.dtype)
        return forward_ops(self).linear(
            self.x, self.weight.data, None if self.bias is None else self.bias.data
        )

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        grad_x, grad_weight, grad_bias = backward_ops(self).linear_backward(
            grad_out, self.x, self.weight.data, has_bias=self.bias is not None
        )
        self.weight.grad += grad_weight
        if self.bias is not None:
            self.bias.grad += grad_bias
        return grad_x

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """Weight and bias gradients only (no ``grad_out @ W`` for the input)."""
        _, grad_weight, grad_bias = backward_ops(self).linear_backward(
            grad_out, self.x, self.weight.data, has_bias=self.bias is not None, input_grad=False
        )
        self.weight.grad += grad_weight
        if self.bias is not None:
            self.bias.grad += grad_bias

    def extra_repr(self) -> str:
        bias = "" if self.bias is not None else ", bias=False"
        return f"{self.in_features} -> {self.out_features}{bias}"
