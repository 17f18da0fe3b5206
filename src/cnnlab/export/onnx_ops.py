"""``matmul``: the matrix product as a recorded op, for ONNX's MatMul with a constant.

:mod:`cnnlab.nn.ops` has no matrix product: inside cnnlab a product with a weight is a
``Linear`` layer. An ONNX graph may hold others: ``P @ x`` with a constant ``P`` on the
left, as an adaptive average pooling is written (``y = P_h @ x @ P_w.T``). This op
computes NumPy's ``a @ b`` (broadcast over the leading axes) and sends the gradient back
to both operands, so a network read from ONNX trains through it.

>>> matmul(np.eye(2), np.arange(4.0).reshape(2, 2))
array([[0., 1.],
       [2., 3.]])
"""

from __future__ import annotations

import numpy as np

from ..nn.ops import _unbroadcast
from ..nn.recording import recorded_op


@recorded_op
def matmul(a: np.ndarray, b: np.ndarray):
    """``a @ b``; the gradient is ``grad @ b.T`` for ``a`` and ``a.T @ grad`` for ``b``."""
    try:
        output = np.matmul(a, b)
    except ValueError:
        raise ValueError(
            "The operands of a matrix product must agree: the last axis of the first is "
            f"the second-to-last of the second. Received: shapes {np.shape(a)} and "
            f"{np.shape(b)}."
        ) from None

    def backward(grad):
        grad_a = np.matmul(grad, np.swapaxes(b, -1, -2))
        grad_b = np.matmul(np.swapaxes(a, -1, -2), grad)
        return _unbroadcast(grad_a, np.shape(a)), _unbroadcast(grad_b, np.shape(b))

    return output, backward
