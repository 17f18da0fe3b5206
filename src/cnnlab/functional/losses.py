"""Losses: cross-entropy, mean squared error and binary cross-entropy on logits.

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
    check_probability,
    check_same_shape,
    received,
)
from .activations import log_softmax, softmax

REDUCTIONS = ("mean", "sum")


# -- cross-entropy -----------------------------------------------------------------------
def _classes_last(
    logits: np.ndarray, targets: np.ndarray, weight: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Check the arguments and return logits as ``(M, C)`` and targets as ``(M,)``."""
    if logits.ndim < 2:
        raise ValueError(
            f"`logits` must have at least 2 dimensions (N, C, ...). {received(logits=logits)}"
        )
    check_finite_loss_input("logits", logits)
    targets = np.asarray(targets)
    classes = logits.shape[1]
    if not np.issubdtype(targets.dtype, np.integer):
        raise TypeError(
            "`targets` must hold integer class indices (class probabilities are not "
            f"supported). {received(targets=targets)}"
        )
    expected = logits.shape[:1] + logits.shape[2:]
    if targets.shape != expected:
        raise ValueError(
            f"`targets` must have shape {expected} (one class index per sample) to match "
            f"logits with shape {logits.shape}. {received(targets=targets)}"
        )
    if targets.size and (targets.min() < 0 or targets.max() >= classes):
        raise ValueError(
            f"`targets` must be class indices in [0, {classes}) for logits with {classes} "
            f"classes. Received: targets from {targets.min()} to {targets.max()}."
        )
    if weight is not None and np.shape(weight) != (classes,):
        raise ValueError(
            f"`weight` must hold one value per class, shape ({classes},). "
            f"{received(weight=np.asarray(weight))}"
        )
    scores = np.moveaxis(logits, 1, -1).reshape(-1, classes)  # (M, C), M = N * d1 * ...
    return scores, targets.reshape(-1)


def _check_options(reduction: str, label_smoothing: float) -> None:
    check_choice("reduction", reduction, REDUCTIONS)
    check_probability("label_smoothing", label_smoothing)


def cross_entropy(
    logits: np.ndarray,
    targets: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> float:
    """Cross-entropy of softmax(logits) against class indices, as ``F.cross_entropy``.

    With smoothing ``e`` the target distribution is ``(1 - e) * one_hot + e / C``; with
    class weights ``w`` each sample counts ``w[target]`` (and the smoothing term ``w[c]``),
    and ``"mean"`` divides by the sum of ``w[target]``, as PyTorch does.

    Parameters
    ----------
    logits : ndarray, shape (N, C) or (N, C, d1, ...)
    targets : int ndarray, shape (N,) or (N, d1, ...), values in [0, C)
    weight : ndarray, shape (C,), optional
    reduction : {"mean", "sum"}
    label_smoothing : float in [0, 1]

    Examples
    --------
    >>> round(cross_entropy(np.array([[0.0, 0.0]]), np.array([1])), 4)  # log(2)
    0.6931
    """
    _check_options(reduction, label_smoothing)
    logits = check_float_array("logits", logits)
    scores, labels = _classes_last(logits, targets, weight)
    log_probs = log_softmax(scores, dim=1)
    picked = log_probs[np.arange(labels.size), labels]  # (M,)
    sample_weight = None if weight is None else np.asarray(weight)[labels]
    nll = -(picked.sum() if weight is None else picked @ sample_weight)
    total = (1.0 - label_smoothing) * nll
    if label_smoothing:
        per_class = log_probs.sum(axis=0)  # (C,)
        smooth = -(per_class.sum() if weight is None else per_class @ np.asarray(weight))
        total += label_smoothing / scores.shape[1] * smooth
    return float(total / _denominator(labels, sample_weight, reduction))


def cross_entropy_backward(
    logits: np.ndarray,
    targets: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> np.ndarray:
    """Gradient of :func:`cross_entropy` with respect to the logits.

    For one sample with target distribution ``q`` (smoothed, weighted) it is
    ``sum(q) * softmax(logits) - q``; without class weights ``sum(q) = 1``.

    Examples
    --------
    >>> cross_entropy_backward(np.array([[0.0, 0.0]]), np.array([1]))
    array([[ 0.5, -0.5]])
    """
    _check_options(reduction, label_smoothing)
    logits = check_float_array("logits", logits)
    scores, labels = _classes_last(logits, targets, weight)
    classes = scores.shape[1]
    rows = np.arange(labels.size)
    grad = softmax(scores, dim=1)  # (M, C)
    if weight is None:
        grad[rows, labels] -= 1.0 - label_smoothing
        grad -= label_smoothing / classes
        sample_weight = None
    else:
        weight = np.asarray(weight)
        sample_weight = weight[labels]
        mass = (1.0 - label_smoothing) * sample_weight + label_smoothing / classes * weight.sum()
        grad *= mass[:, None]
        grad[rows, labels] -= (1.0 - label_smoothing) * sample_weight
        grad -= label_smoothing / classes * weight
    grad /= _denominator(labels, sample_weight, reduction)
    grad = grad.reshape(logits.shape[:1] + logits.shape[2:] + (classes,))
    return np.moveaxis(grad, -1, 1).astype(logits.dtype, copy=False)


def _denominator(labels: np.ndarray, sample_weight: np.ndarray | None, reduction: str):
    if reduction == "sum":
        return 1.0
    return labels.size if sample_weight is None else sample_weight.sum()


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
