"""Dense (fully connected) layer maths: ``y = x @ W.T + b`` and its gradients.

The weight has PyTorch's layout ``(out_features, in_features)``; the input may have any
leading axes ``(*, in_features)``, which are flattened into one batch axis so that
forward and backward are each a single 2-D matrix product.
"""

from __future__ import annotations

import numpy as np

from .._validation import received


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """Apply a dense layer: ``y = x @ weight.T + bias``.

    Parameters
    ----------
    x : ndarray, shape (*, in_features)
    weight : ndarray, shape (out_features, in_features)
    bias : ndarray, shape (out_features,), optional

    Returns
    -------
    ndarray, shape (*, out_features)

    Examples
    --------
    >>> x = np.array([[1.0, 2.0]])
    >>> linear(x, np.array([[1.0, 1.0], [0.0, -1.0]]), np.array([0.5, 0.0]))
    array([[ 3.5, -2. ]])
    """
    x = np.asarray(x)
    in_features = weight.shape[1]
    if x.ndim == 0 or x.shape[-1] != in_features:
        raise ValueError(f"expected {in_features} input features. {received(input=x)}")
    y = x.reshape(-1, in_features) @ weight.T  # (batch, out_features)
    if bias is not None:
        y += bias
    return y.reshape(x.shape[:-1] + (weight.shape[0],))


def linear_backward(
    grad_out: np.ndarray,
    x: np.ndarray,
    weight: np.ndarray,
    has_bias: bool = True,
    input_grad: bool = True,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Gradients of :func:`linear` with respect to its input, weight and bias.

    ``grad_x = grad_out @ W``, ``grad_W = grad_out.T @ x``, ``grad_b = sum(grad_out)``
    over every axis but the last.

    Returns
    -------
    grad_x : ndarray, shape of ``x``, or None when ``input_grad`` is false
    grad_weight : ndarray, shape (out_features, in_features)
    grad_bias : ndarray, shape (out_features,), or None when ``has_bias`` is false

    Examples
    --------
    >>> x, w = np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])
    >>> linear_backward(np.array([[1.0]]), x, w)
    (array([[3., 4.]]), array([[1., 2.]]), array([1.]))
    """
    out_features, in_features = weight.shape
    grad_2d = grad_out.reshape(-1, out_features)  # (batch, out_features)
    x_2d = x.reshape(-1, in_features)  # (batch, in_features)
    grad_x = (grad_2d @ weight).reshape(x.shape) if input_grad else None
    grad_weight = grad_2d.T @ x_2d
    grad_bias = grad_2d.sum(axis=0) if has_bias else None
    return grad_x, grad_weight, grad_bias
