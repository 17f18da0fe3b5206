"""Losses: mean squared error and binary cross-entropy on logits (cross-entropy and NLL
are in :mod:`cnnlab.functional.classification_losses`).

Each loss comes as a forward function returning the loss as a Python ``float`` and a
``*_backward`` function with the same arguments returning the gradient of the loss with
respect to its first argument (same shape and dtype). ``reduction`` is ``"mean"`` or
``"sum"`` over the samples, with PyTorch's meaning.
"""

from __future__ import annotations

import numpy as np

from .._validation import (
    check_array,
    check_choice,
    check_finite_loss_input,
    check_float_array,
    check_same_shape,
)
from .classification_losses import cross_entropy, cross_entropy_backward  # noqa: F401

REDUCTIONS = ("mean", "sum")


# -- mean squared error ------------------------------------------------------------------
def _regression_pair(
    name: str, predictions: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    predictions = check_float_array(name, predictions)
    check_finite_loss_input(name, predictions)
    targets = check_array("targets", targets, finite=True, allow_complex=False)
    check_same_shape(name, predictions, "targets", targets)
    return predictions, targets


def mse_loss(predictions: np.ndarray, targets: np.ndarray, reduction: str = "mean") -> float:
    """Mean (or sum) of squared differences, as ``F.mse_loss``.

    Examples
    --------
    >>> mse_loss(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
    5.0
    """
    check_choice("reduction", reduction, REDUCTIONS)
    predictions, targets = _regression_pair("predictions", predictions, targets)
    diff = (predictions - targets).ravel()
    total = diff @ diff
    return float(total / diff.size if reduction == "mean" else total)


def mse_loss_backward(
    predictions: np.ndarray, targets: np.ndarray, reduction: str = "mean"
) -> np.ndarray:
    """Gradient of :func:`mse_loss`: ``2 * (predictions - targets)``, over the count for "mean".

    Examples
    --------
    >>> mse_loss_backward(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
    array([1., 3.])
    """
    check_choice("reduction", reduction, REDUCTIONS)
    predictions, targets = _regression_pair("predictions", predictions, targets)
    scale = 2.0 / predictions.size if reduction == "mean" else 2.0
    return ((predictions - targets) * scale).astype(predictions.dtype, copy=False)


# -- binary cross-entropy ----------------------------------------------------------------
def _check_pos_weight(pos_weight: np.ndarray | None, logits: np.ndarray) -> None:
    if pos_weight is None:
        return
    shape = np.shape(pos_weight)
    if len(shape) > logits.ndim or any(
        p not in (1, s) for p, s in zip(shape[::-1], logits.shape[::-1], strict=False)
    ):
        raise ValueError(
            "`pos_weight` must broadcast against the logits (one value per class, the last "
            f"axis). Received: pos_weight with shape {shape}, logits with shape {logits.shape}."
        )


def binary_cross_entropy_with_logits(
    logits: np.ndarray,
    targets: np.ndarray,
    reduction: str = "mean",
    pos_weight: np.ndarray | None = None,
) -> float:
    """Binary cross-entropy of sigmoid(logits), as ``F.binary_cross_entropy_with_logits``.

    ``loss = pos_weight * t * softplus(-x) + (1 - t) * softplus(x)``, with
    ``softplus(x) = max(x, 0) + log1p(exp(-|x|))`` so that no exp overflows.
    ``pos_weight`` (one value per class, the last axis) weighs the positive targets.

    Examples
    --------
    >>> round(binary_cross_entropy_with_logits(np.array([0.0]), np.array([1.0])), 4)
    0.6931
    """
    check_choice("reduction", reduction, REDUCTIONS)
    logits, targets = _regression_pair("logits", logits, targets)
    _check_pos_weight(pos_weight, logits)
    tail = np.log1p(np.exp(-np.abs(logits)))
    softplus_pos = np.maximum(logits, 0) + tail  # softplus(x)
    softplus_neg = softplus_pos - logits  # softplus(-x)
    positive = targets if pos_weight is None else targets * pos_weight
    loss = positive * softplus_neg + (1 - targets) * softplus_pos
    total = loss.sum()
    return float(total / loss.size if reduction == "mean" else total)


def binary_cross_entropy_with_logits_backward(
    logits: np.ndarray,
    targets: np.ndarray,
    reduction: str = "mean",
    pos_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Gradient of :func:`binary_cross_entropy_with_logits`:
    ``(1 - t) * sigmoid(x) - pos_weight * t * (1 - sigmoid(x))``.

    Examples
    --------
    >>> binary_cross_entropy_with_logits_backward(np.array([0.0]), np.array([1.0]))
    array([-0.5])
    """
    check_choice("reduction", reduction, REDUCTIONS)
    logits, targets = _regression_pair("logits", logits, targets)
    _check_pos_weight(pos_weight, logits)
    e = np.exp(-np.abs(logits))
    sigmoid = np.where(logits >= 0, 1.0, e) / (1.0 + e)
    positive = targets if pos_weight is None else targets * pos_weight
    grad = (1 - targets) * sigmoid - positive * (1 - sigmoid)
    if reduction == "mean":
        grad /= grad.size
    return grad.astype(logits.dtype, copy=False)
