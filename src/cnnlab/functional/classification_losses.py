"""Classification losses: cross-entropy on logits, negative log-likelihood on log-probabilities.

Both compare a score per class with an integer class index per sample, as PyTorch's
``F.cross_entropy`` and ``F.nll_loss`` do, with the same options: class ``weight``,
``ignore_index`` (samples with that target count for nothing, -100 by default),
``reduction`` ("mean" divides by the summed weight of the counted samples, "sum", or
"none" for one loss per sample), and for cross-entropy ``label_smoothing``.

Each forward returns the loss (a ``float``, or an array for "none"); each backward takes
the same arguments plus ``grad_out`` (a number, or an array shaped like the "none" loss)
and returns the gradient with respect to the scores, same shape and dtype.
"""

from __future__ import annotations

import numpy as np

from .._validation import (
    check_choice,
    check_finite_loss_input,
    check_float_array,
    check_probability,
    received,
)
from .activations import log_softmax, softmax

REDUCTIONS = ("mean", "sum", "none")


def _classes_last(scores, targets, weight, ignore_index: int, name: str = "logits"):
    """Check the arguments; return scores ``(M, C)``, targets ``(M,)``, class weights ``(C,)``."""
    scores = check_float_array(name, scores)
    if scores.ndim < 2:
        raise ValueError(
            f"`{name}` must have at least 2 dimensions (N, C, ...). {received(**{name: scores})}"
        )
    check_finite_loss_input(name, scores)
    targets = np.asarray(targets)
    classes = scores.shape[1]
    if not np.issubdtype(targets.dtype, np.integer):
        raise TypeError(
            "`targets` must hold integer class indices (class probabilities are not "
            f"supported). {received(targets=targets)}"
        )
    expected = scores.shape[:1] + scores.shape[2:]
    if targets.shape != expected:
        raise ValueError(
            f"`targets` must have shape {expected} (one class index per sample) to match "
            f"{name} with shape {scores.shape}. {received(targets=targets)}"
        )
    if targets.size and (targets.min() < 0 or targets.max() >= classes):  # ignored ones?
        _check_counted_targets(targets, ignore_index, classes, name)
    if weight is not None and np.shape(weight) != (classes,):
        raise ValueError(
            f"`weight` must hold one value per class, shape ({classes},). "
            f"{received(weight=np.asarray(weight))}"
        )
    if scores.ndim == 2:
        rows = scores  # (M, C), M = N
    else:
        rows = np.moveaxis(scores, 1, -1).reshape(-1, classes)  # (M, C), M = N * d1 * ...
    weight = np.ones(classes, scores.dtype) if weight is None else np.asarray(weight)
    return scores, rows, targets.reshape(-1), weight


def _check_counted_targets(targets, ignore_index: int, classes: int, name: str) -> None:
    """Every target that is not ``ignore_index`` must be a class index in [0, C)."""
    counted = targets[targets != ignore_index]
    if counted.size and (counted.min() < 0 or counted.max() >= classes):
        raise ValueError(
            f"`targets` must be class indices in [0, {classes}) for {name} with {classes} "
            f"classes (or ignore_index={ignore_index}). "
            f"Received: targets from {counted.min()} to {counted.max()}."
        )


def _check_options(reduction: str, label_smoothing: float = 0.0) -> None:
    check_choice("reduction", reduction, REDUCTIONS)
    check_probability("label_smoothing", label_smoothing)


def _targets_of(labels: np.ndarray, ignore_index: int, weight: np.ndarray):
    """Each sample's class (0 where ignored) and weight ``w[target]`` (0 where ignored)."""
    counted = labels != ignore_index
    picked = np.where(counted, labels, 0)
    return picked, weight[picked] * counted


def _reduce(losses: np.ndarray, sample_weight: np.ndarray, reduction: str, shape):
    if reduction == "none":
        return losses.reshape(shape)
    total = losses.sum()
    if reduction == "sum":
        return float(total)
    with np.errstate(invalid="ignore", divide="ignore"):  # every sample ignored: NaN, as torch
        return float(total / sample_weight.sum())


def _scale(grad_rows, sample_weight, reduction: str, grad_out, scores: np.ndarray):
    """The rows' gradient times ``grad_out``, divided as the reduction divides; as scores."""
    if reduction == "none":
        grad_rows *= np.reshape(grad_out, (-1, 1))
    else:
        if reduction == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                grad_rows /= sample_weight.sum()
        if np.ndim(grad_out) or grad_out != 1.0:
            grad_rows *= grad_out
    if scores.ndim > 2:
        grad_rows = grad_rows.reshape(scores.shape[:1] + scores.shape[2:] + scores.shape[1:2])
        grad_rows = np.moveaxis(grad_rows, -1, 1)
    return grad_rows.astype(scores.dtype, copy=False)


# -- cross-entropy -----------------------------------------------------------------------
def cross_entropy(
    logits: np.ndarray,
    targets: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
    ignore_index: int = -100,
):
    """Cross-entropy of softmax(logits) against class indices, as ``F.cross_entropy``.

    Sample ``i`` with target ``y`` and ``log p = log_softmax(logits_i)`` loses
    ``-(1 - e) w[y] log p[y] - e / C sum_c w[c] log p[c]`` (smoothing ``e``, class
    weights ``w``, all 1 by default); "mean" divides the sum by ``sum_i w[y_i]``.

    Parameters
    ----------
    logits : ndarray, shape (N, C) or (N, C, d1, ...)
    targets : int ndarray, shape (N,) or (N, d1, ...), values in [0, C) or ignore_index
    weight : ndarray, shape (C,), optional
    reduction : {"mean", "sum", "none"}
    label_smoothing : float in [0, 1]
    ignore_index : int

    Examples
    --------
    >>> round(cross_entropy(np.array([[0.0, 0.0]]), np.array([1])), 4)  # log(2)
    0.6931
    >>> cross_entropy(np.zeros((2, 2)), np.array([1, -100]), reduction="none").round(4)
    array([0.6931, 0.    ])
    """
    _check_options(reduction, label_smoothing)
    logits, scores, labels, weight = _classes_last(logits, targets, weight, ignore_index)
    picked, sample_weight = _targets_of(labels, ignore_index, weight)
    log_probs = log_softmax(scores, dim=1)
    losses = -(1.0 - label_smoothing) * sample_weight * log_probs[np.arange(labels.size), picked]
    if label_smoothing:
        counted = labels != ignore_index
        losses -= label_smoothing / scores.shape[1] * (log_probs @ weight) * counted
    return _reduce(losses, sample_weight, reduction, np.shape(targets))


def cross_entropy_backward(
    logits: np.ndarray,
    targets: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
    ignore_index: int = -100,
    grad_out=1.0,
) -> np.ndarray:
    """Gradient of :func:`cross_entropy` (times ``grad_out``) with respect to the logits.

    For one sample with target distribution ``q`` (smoothed, weighted; zero when
    ignored) it is ``sum(q) * softmax(logits) - q``; without class weights ``sum(q) = 1``.

    Examples
    --------
    >>> cross_entropy_backward(np.array([[0.0, 0.0]]), np.array([1]))
    array([[ 0.5, -0.5]])
    """
    _check_options(reduction, label_smoothing)
    logits, scores, labels, weight = _classes_last(logits, targets, weight, ignore_index)
    picked, sample_weight = _targets_of(labels, ignore_index, weight)
    classes, rows = scores.shape[1], np.arange(labels.size)
    mass = (1.0 - label_smoothing) * sample_weight  # sum(q) per sample
    if label_smoothing:
        smooth = label_smoothing / classes * weight * (labels != ignore_index)[:, None]  # (M, C)
        mass += smooth.sum(axis=1)
    grad = softmax(scores, dim=1) * mass[:, None]  # (M, C)
    grad[rows, picked] -= (1.0 - label_smoothing) * sample_weight
    if label_smoothing:
        grad -= smooth
    return _scale(grad, sample_weight, reduction, grad_out, logits)


# -- negative log-likelihood -------------------------------------------------------------
def nll_loss(
    log_probs: np.ndarray,
    targets: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    ignore_index: int = -100,
):
    """``-w[y] * log_probs[y]`` per sample, as ``F.nll_loss`` (after a log-softmax).

    Examples
    --------
    >>> nll_loss(np.log(np.array([[0.25, 0.75]])), np.array([1])).__round__(4)
    0.2877
    """
    _check_options(reduction)
    log_probs, scores, labels, weight = _classes_last(
        log_probs, targets, weight, ignore_index, "log_probs"
    )
    picked, sample_weight = _targets_of(labels, ignore_index, weight)
    losses = -sample_weight * scores[np.arange(labels.size), picked]
    return _reduce(losses, sample_weight, reduction, np.shape(targets))


def nll_loss_backward(
    log_probs: np.ndarray,
    targets: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    ignore_index: int = -100,
    grad_out=1.0,
) -> np.ndarray:
    """Gradient of :func:`nll_loss`: ``-w[y]`` at each sample's target, zero elsewhere.

    Examples
    --------
    >>> nll_loss_backward(np.zeros((1, 3)), np.array([2]))
    array([[ 0.,  0., -1.]])
    """
    _check_options(reduction)
    log_probs, scores, labels, weight = _classes_last(
        log_probs, targets, weight, ignore_index, "log_probs"
    )
    picked, sample_weight = _targets_of(labels, ignore_index, weight)
    grad = np.zeros_like(scores)
    grad[np.arange(labels.size), picked] = -sample_weight
    return _scale(grad, sample_weight, reduction, grad_out, log_probs)
