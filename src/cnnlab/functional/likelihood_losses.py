"""Negative log-likelihood losses of probabilities and counts, forward beside backward.

``binary_cross_entropy`` (probabilities), ``poisson_nll_loss`` (counts), and the logistic
losses ``soft_margin_loss`` (labels ±1) and ``multilabel_soft_margin_loss`` (0/1 per
class). Each forward returns the reduced loss (see :mod:`.loss_reduction`); each
``*_backward`` takes the same arguments and ``grad_out`` and returns the gradient with
respect to the first argument, the prediction (targets are data, not trained).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import (
    check_array,
    check_finite_loss_input,
    check_float_array,
    check_same_shape,
    received,
)
from .activations import sigmoid
from .loss_reduction import reduce_loss, reduction_backward
from .smooth_activations import softplus

BCE_LOG_FLOOR = -100.0  # PyTorch clamps log(p) and log(1 - p) here, so p = 0 gives 100
# and keeps the backward's p * (1 - p) at least this: the float32 number nearest 1e-12,
# which is PyTorch's constant (a C++ float) in float64 too
BCE_EPSILON = float(np.float32(1e-12))


def _prediction_and_target(input, target) -> tuple[np.ndarray, np.ndarray]:
    input = check_float_array("input", input)
    check_finite_loss_input("input", input)
    target = check_array("target", target, finite=True, allow_complex=False)
    check_same_shape("input", input, "target", target)
    return input, target.astype(input.dtype, copy=False)


def _probabilities(input, target) -> tuple[np.ndarray, np.ndarray]:
    input, target = _prediction_and_target(input, target)
    if input.size and (input.min() < 0 or input.max() > 1):
        raise ValueError(
            "`input` of binary cross-entropy must hold probabilities in [0, 1] (apply a "
            "sigmoid first, or use BCEWithLogitsLoss on the logits). "
            f"Received: input from {input.min()} to {input.max()}."
        )
    return input, target


def _weight(weight, input: np.ndarray) -> np.ndarray | None:
    """The optional weight in the input's dtype, so float32 stays float32."""
    if weight is None:
        return None
    weight = check_array("weight", weight, finite=True, allow_complex=False)
    try:
        np.broadcast_shapes(weight.shape, input.shape)
    except ValueError:
        raise ValueError(
            f"`weight` must broadcast against the input. Received: weight with shape "
            f"{weight.shape}, input with shape {input.shape}."
        ) from None
    return weight.astype(input.dtype, copy=False)


# -- binary cross-entropy ----------------------------------------------------------------
def binary_cross_entropy(input, target, weight=None, reduction: str = "mean"):
    """``-w * (t * log(p) + (1 - t) * log(1 - p))``, as ``F.binary_cross_entropy``.

    Each log is clamped at -100, so a confident wrong answer costs 100, not infinity.

    >>> round(binary_cross_entropy(np.array([0.5]), np.array([1.0])), 4)  # log(2)
    0.6931
    """
    p, t = _probabilities(input, target)
    weight = _weight(weight, p)
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        log_p = np.maximum(np.log(p), BCE_LOG_FLOOR)
        log_q = np.maximum(np.log1p(-p), BCE_LOG_FLOOR)
    losses = -(t * log_p + (1 - t) * log_q)
    if weight is not None:
        losses = losses * weight
    return reduce_loss(losses, reduction)


def binary_cross_entropy_backward(
    input, target, weight=None, reduction: str = "mean", grad_out=1.0
) -> np.ndarray:
    """``w * (p - t) / max(p * (1 - p), 1e-12)``, PyTorch's formula."""
    p, t = _probabilities(input, target)
    weight = _weight(weight, p)
    g = reduction_backward(grad_out, p.shape, reduction, p.dtype)
    grad = g * (p - t) / np.maximum(p * (1 - p), BCE_EPSILON)
    return grad if weight is None else grad * weight


# -- Poisson negative log-likelihood ----------------------------------------------------
def poisson_nll_loss(
    input,
    target,
    log_input: bool = True,
    full: bool = False,
    eps: float = 1e-8,
    reduction: str = "mean",
):
    """Poisson NLL of counts ``t`` with rate ``r``, dropping the constant ``log(t!)``.

    ``exp(x) - t * x`` when the input is ``x = log(r)`` (``log_input``), else
    ``r - t * log(r + eps)``. ``full`` adds Stirling's ``t log t - t + log(2 pi t) / 2`` for
    ``t > 1``, the approximation of ``log(t!)``.

    >>> poisson_nll_loss(np.array([0.0]), np.array([1.0]))  # exp(0) - 1 * 0
    1.0
    """
    x, t = _prediction_and_target(input, target)
    losses = np.exp(x) - t * x if log_input else x - t * np.log(x + eps)
    if full:
        big = np.where(t > 1, t, 1)  # Stirling's term is 0 where t <= 1
        stirling = big * np.log(big) - big + 0.5 * np.log(2 * math.pi * big)
        losses = losses + np.where(t > 1, stirling, 0)
    return reduce_loss(losses, reduction)


def poisson_nll_loss_backward(
    input,
    target,
    log_input: bool = True,
    full: bool = False,
    eps: float = 1e-8,
    reduction: str = "mean",
    grad_out=1.0,
) -> np.ndarray:
    """``exp(x) - t`` (``log_input``) or ``1 - t / (r + eps)``; Stirling's term is constant."""
    x, t = _prediction_and_target(input, target)
    g = reduction_backward(grad_out, x.shape, reduction, x.dtype)
    return g * (np.exp(x) - t if log_input else 1 - t / (x + eps))


# -- logistic losses ---------------------------------------------------------------------
def soft_margin_loss(input, target, reduction: str = "mean"):
    """``log(1 + exp(-y * x))`` per element, labels ``y`` of ±1, as ``F.soft_margin_loss``.

    >>> round(soft_margin_loss(np.array([0.0]), np.array([1.0])), 4)
    0.6931
    """
    x, y = _prediction_and_target(input, target)
    return reduce_loss(softplus(-y * x), reduction)


def soft_margin_loss_backward(input, target, reduction: str = "mean", grad_out=1.0):
    """``-y * sigmoid(-y * x)``."""
    x, y = _prediction_and_target(input, target)
    g = reduction_backward(grad_out, x.shape, reduction, x.dtype)
    return g * -y * sigmoid(-y * x)


def _classes_last(input, target, weight) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    x, t = _prediction_and_target(input, target)
    if x.ndim == 0:
        raise ValueError(f"`input` must have a class axis (the last). {received(input=x)}")
    if weight is not None and np.shape(weight) not in ((x.shape[-1],), ()):
        raise ValueError(
            f"`weight` must hold one value per class, shape ({x.shape[-1]},). "
            f"{received(weight=np.asarray(weight))}"
        )
    return x, t, _weight(weight, x)


def multilabel_soft_margin_loss(input, target, weight=None, reduction: str = "mean"):
    """Mean over classes (the last axis) of ``-w * (t log sigmoid(x) + (1-t) log sigmoid(-x))``.

    Input ``(N, C)`` or ``(C,)``, targets 0 or 1 of the same shape; one loss per sample.

    >>> round(multilabel_soft_margin_loss(np.zeros((1, 3)), np.ones((1, 3))), 4)
    0.6931
    """
    x, t, weight = _classes_last(input, target, weight)
    per_class = t * softplus(-x) + (1 - t) * softplus(x)
    if weight is not None:
        per_class = per_class * weight
    return reduce_loss(per_class.mean(axis=-1) if x.shape[-1] else per_class.sum(-1), reduction)


def multilabel_soft_margin_loss_backward(
    input, target, weight=None, reduction: str = "mean", grad_out=1.0
):
    """``w * (sigmoid(x) - t) / C`` for each class, times the sample's ``grad_out``."""
    x, t, weight = _classes_last(input, target, weight)
    g = reduction_backward(grad_out, x.shape[:-1], reduction, x.dtype)
    grad = np.expand_dims(g, -1) * (sigmoid(x) - t) / max(x.shape[-1], 1)
    return grad if weight is None else grad * weight
