"""The ``reduction`` of a loss, ``"none"``, ``"mean"`` or ``"sum"``, and its derivative.

A loss first computes one value per sample (per element for elementwise losses); the
reduction returns that array (``"none"``), its sum, or its mean, the last two as Python
floats. The mean of no values is ``nan``, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_choice, received

LOSS_REDUCTIONS = ("none", "mean", "sum")


def reduce_loss(losses: np.ndarray, reduction: str) -> np.ndarray | float:
    """``losses`` itself, its sum, or its mean (``nan`` when empty).

    >>> reduce_loss(np.array([1.0, 3.0]), "mean"), reduce_loss(np.zeros(0), "mean")
    (2.0, nan)
    """
    check_choice("reduction", reduction, LOSS_REDUCTIONS)
    if reduction == "none":
        return losses
    total = float(losses.sum())
    if reduction == "sum":
        return total
    return total / losses.size if losses.size else float("nan")


def reduction_backward(
    grad_out, shape: tuple[int, ...], reduction: str, dtype: np.dtype
) -> np.ndarray:
    """``grad_out`` times the derivative of the reduction: one weight per sample loss.

    For ``"none"``, ``grad_out`` is the gradient of each sample's loss (an array of
    ``shape``, or a number for all of them); otherwise it scales the float.

    >>> reduction_backward(1.0, (4,), "mean", np.float64)
    array([0.25, 0.25, 0.25, 0.25])
    """
    check_choice("reduction", reduction, LOSS_REDUCTIONS)
    grad_out = np.asarray(grad_out, dtype=dtype)
    if reduction == "none":
        if grad_out.shape not in ((), shape):
            raise ValueError(
                f"`grad_out` of a loss with reduction='none' must be a number or have the "
                f"loss's shape {shape}. {received(grad_out=grad_out)}"
            )
        return np.broadcast_to(grad_out, shape)
    if grad_out.shape != ():
        raise ValueError(
            f"`grad_out` of a loss with reduction={reduction!r} must be a number. "
            f"{received(grad_out=grad_out)}"
        )
    count = int(np.prod(shape))
    weight = grad_out / count if reduction == "mean" and count else grad_out
    return np.full(shape, weight, dtype=dtype)
