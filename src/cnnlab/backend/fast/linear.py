"""Dense layers with each matrix product split between threads by output features.

The maths is :mod:`cnnlab.functional.linear`'s: ``y = x @ W.T + b`` and its gradients.

The weight has PyTorch's layout ``(out_features, in_features)``; the input may have any
leading axes ``(*, in_features)``, which are flattened into one batch axis so that
forward and backward are each a single 2-D matrix product.
"""

from __future__ import annotations

import numpy as np

from ..._validation import received
from .parallel import parallel_for

FEATURES_PER_CHUNK = 16  # threads split a product into parts of at least this many features


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """As :func:`cnnlab.functional.linear`, with the product split by output features."""
    x = np.asarray(x)
    in_features = weight.shape[1]
    if x.ndim == 0 or x.shape[-1] != in_features:
        raise ValueError(f"expected {in_features} input features. {received(input=x)}")
    rows = x.reshape(-1, in_features)
    y = np.empty((rows.shape[0], weight.shape[0]), np.result_type(rows, weight))

    def multiply(start: int, stop: int, _) -> None:  # output features start:stop
        np.matmul(rows, weight[start:stop].T, out=y[:, start:stop])
        if bias is not None:
            y[:, start:stop] += bias[start:stop]

    parallel_for(multiply, weight.shape[0], chunk=FEATURES_PER_CHUNK, work=y.size * in_features)
    return y.reshape(x.shape[:-1] + (weight.shape[0],))


def linear_backward(
    grad_out: np.ndarray,
    x: np.ndarray,
    weight: np.ndarray,
    has_bias: bool = True,
    input_grad: bool = True,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """As :func:`cnnlab.functional.linear_backward`, each product split between threads."""
    out_features, in_features = weight.shape
    grad_2d = grad_out.reshape(-1, out_features)  # (batch, out_features)
    x_2d = x.reshape(-1, in_features)
    dtype = np.result_type(grad_2d, weight, x_2d)
    grad_x = np.empty(x_2d.shape, dtype) if input_grad else None
    grad_weight = np.empty(weight.shape, dtype)

    def input_gradient(start: int, stop: int, _) -> None:  # input features start:stop
        np.matmul(grad_2d, weight[:, start:stop], out=grad_x[:, start:stop])

    def weight_gradient(start: int, stop: int, _) -> None:  # rows of the weight
        np.matmul(grad_2d[:, start:stop].T, x_2d, out=grad_weight[start:stop])

    work = grad_2d.size * in_features  # multiply-adds of each product
    if input_grad:
        parallel_for(input_gradient, in_features, chunk=FEATURES_PER_CHUNK, work=work)
        grad_x = grad_x.reshape(x.shape)
    parallel_for(weight_gradient, out_features, chunk=FEATURES_PER_CHUNK, work=work)
    grad_bias = grad_2d.sum(axis=0) if has_bias else None
    return grad_x, grad_weight, grad_bias
