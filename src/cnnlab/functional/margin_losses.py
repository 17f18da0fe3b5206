"""Hinge (margin) losses, forward beside backward.

``multi_margin_loss`` and ``multilabel_margin_loss`` score classes against each other,
``hinge_embedding_loss`` and ``margin_ranking_loss`` score values against labels ±1.
Each forward returns the reduced loss (see :mod:`.loss_reduction`); each backward takes
the same arguments and ``grad_out``. Gradients of the inputs only; targets are data.
"""

from __future__ import annotations

import numpy as np

from .._validation import (
    check_array,
    check_finite_loss_input,
    check_float_array,
    check_same_shape,
    received,
)
from .loss_reduction import reduce_loss, reduction_backward


def _scores_and_classes(input, target, target_shape: str) -> tuple[np.ndarray, np.ndarray]:
    """Scores ``(N, C)`` or ``(C,)`` and integer targets; both as 2-D, N = 1 for one sample."""
    x = check_float_array("input", input)
    check_finite_loss_input("input", x)
    if x.ndim not in (1, 2):
        raise ValueError(f"`input` must have shape (N, C) or (C,). {received(input=x)}")
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"`target` must hold integer class indices. {received(target=target)}")
    expected = x.shape[:-1] if target_shape == "one per sample" else x.shape
    if target.shape != expected:
        raise ValueError(
            f"`target` must have shape {expected} ({target_shape}) for input with shape "
            f"{x.shape}. {received(target=target)}"
        )
    samples = len(x) if x.ndim == 2 else 1
    per_sample = 1 if target_shape == "one per sample" else x.shape[-1]
    return x.reshape(samples, x.shape[-1]), target.reshape(samples, per_sample)


def _check_classes(target: np.ndarray, low: int, classes: int) -> None:
    if target.size and (target.min() < low or target.max() >= classes):
        raise ValueError(
            f"`target` must hold class indices in [{low}, {classes}). "
            f"Received: target from {target.min()} to {target.max()}."
        )


# -- multi-class margin ------------------------------------------------------------------
def _multi_margin(input, target, p: int, margin: float, weight):
    if p not in (1, 2):
        raise ValueError(f"`p` must be 1 or 2. {received(p=p)}")
    x, y = _scores_and_classes(input, target, "one per sample")
    _check_classes(y, 0, x.shape[1])
    if weight is not None and np.shape(weight) != (x.shape[1],):
        raise ValueError(
            f"`weight` must hold one value per class, shape ({x.shape[1]},). "
            f"{received(weight=np.asarray(weight))}"
        )
    y = y[:, 0]
    rows = np.arange(len(x))
    z = margin - x[rows, y][:, None] + x  # (N, C): the margin each wrong class violates
    z[rows, y] = 0.0  # the target class does not compete with itself
    w = 1.0 if weight is None else np.asarray(weight, dtype=x.dtype)[y][:, None]
    return x, y, rows, z, w


def multi_margin_loss(
    input, target, p: int = 1, margin: float = 1.0, weight=None, reduction: str = "mean"
):
    """``sum_{i != y} w[y] * max(0, margin - x[y] + x[i])**p / C`` per sample.

    Input ``(N, C)`` or ``(C,)``, target ``(N,)`` or ``()``, ``p`` 1 or 2.

    >>> multi_margin_loss(np.array([[0.0, 0.5]]), np.array([0]))  # (1 - 0 + 0.5) / 2
    0.75
    """
    x, y, rows, z, w = _multi_margin(input, target, p, margin, weight)
    per_sample = (w * np.maximum(z, 0) ** p).sum(axis=1) / x.shape[1]
    return reduce_loss(per_sample.reshape(np.shape(target)), reduction)


def multi_margin_loss_backward(
    input,
    target,
    p: int = 1,
    margin: float = 1.0,
    weight=None,
    reduction: str = "mean",
    grad_out=1.0,
):
    """``w[y] * p * z**(p-1) / C`` to each violating class ``i``, minus their sum to ``y``."""
    x, y, rows, z, w = _multi_margin(input, target, p, margin, weight)
    g = reduction_backward(grad_out, np.shape(target), reduction, x.dtype).reshape(-1, 1)
    grad = g * w * np.where(z > 0, p * z ** (p - 1), 0) / x.shape[1]
    grad[rows, y] = -grad.sum(axis=1)
    return grad.reshape(np.shape(input)).astype(x.dtype, copy=False)


# -- multi-label margin ------------------------------------------------------------------
def _multilabel_margin(input, target):
    x, t = _scores_and_classes(input, target, "class indices, ended by -1")
    _check_classes(t, -1, x.shape[1])
    listed = np.cumprod(t != -1, axis=1).astype(bool)  # (N, C): entries before the first -1
    rows = np.broadcast_to(np.arange(len(x))[:, None], t.shape)
    labels = np.maximum(t, 0)  # -1 entries are masked out by `listed`
    is_target = np.zeros(x.shape, dtype=bool)
    is_target[rows[listed], labels[listed]] = True
    # hinge[n, k, i]: target t[n, k] against non-target class i
    hinge = 1 - x[rows, labels][:, :, None] + x[:, None, :]
    active = (hinge > 0) & listed[:, :, None] & ~is_target[:, None, :]
    return x, rows, labels, hinge, active


def multilabel_margin_loss(input, target, reduction: str = "mean"):
    """``sum_{j in targets} sum_{i not in targets} max(0, 1 - (x[j] - x[i])) / C`` per sample.

    ``target`` has the input's shape and lists each sample's classes, ended by the first
    -1 (``[3, 0, -1, 1]`` means classes 3 and 0).

    >>> multilabel_margin_loss(np.array([[0.1, 0.2, 0.4, 0.8]]), np.array([[3, 0, -1, 1]]))
    0.85
    """
    x, _, _, hinge, active = _multilabel_margin(input, target)
    per_sample = np.where(active, hinge, 0).sum(axis=(1, 2)) / x.shape[1]
    return reduce_loss(per_sample.reshape(np.shape(input)[:-1]), reduction)


def multilabel_margin_loss_backward(input, target, reduction: str = "mean", grad_out=1.0):
    """Each active pair ``(j, i)`` adds ``1 / C`` to class ``i`` and ``-1 / C`` to ``j``."""
    x, rows, labels, _, active = _multilabel_margin(input, target)
    shape = np.shape(input)[:-1]
    g = reduction_backward(grad_out, shape, reduction, x.dtype).reshape(-1, 1)
    grad = active.sum(axis=1).astype(x.dtype)  # (N, C): pairs where i is the non-target
    np.add.at(grad, (rows, labels), -active.sum(axis=2))  # repeated targets count twice
    return (g * grad / x.shape[1]).reshape(np.shape(input)).astype(x.dtype, copy=False)


# -- labels of ±1 ------------------------------------------------------------------------
def _values_and_labels(input, target, name="input") -> tuple[np.ndarray, np.ndarray]:
    x = check_float_array(name, input)
    check_finite_loss_input(name, x)
    y = check_array("target", target, finite=True, allow_complex=False)
    check_same_shape(name, x, "target", y)
    return x, y.astype(x.dtype, copy=False)


def hinge_embedding_loss(input, target, margin: float = 1.0, reduction: str = "mean"):
    """``x`` where ``y = 1``, ``max(0, margin - x)`` where ``y = -1``, per element.

    ``x`` is usually a distance between two embeddings, ``y`` says whether they match.
    (Like PyTorch, a label other than ±1 gets both terms.)

    >>> hinge_embedding_loss(np.array([0.3, 0.2]), np.array([1.0, -1.0]), reduction="sum")
    1.1
    """
    x, y = _values_and_labels(input, target)
    losses = np.where(y != -1, x, 0) + np.where(y != 1, np.maximum(margin - x, 0), 0)
    return reduce_loss(losses.astype(x.dtype, copy=False), reduction)


def hinge_embedding_loss_backward(
    input, target, margin: float = 1.0, reduction: str = "mean", grad_out=1.0
):
    """``1`` where ``y != -1``, minus ``1`` where ``y != 1`` and ``margin - x >= 0``."""
    x, y = _values_and_labels(input, target)
    g = reduction_backward(grad_out, x.shape, reduction, x.dtype)
    slope = (y != -1).astype(x.dtype) - ((y != 1) & (margin - x >= 0))
    return g * slope


def _ranking(x1, x2, target) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x1, y = _values_and_labels(x1, target, "input1")
    x2 = check_float_array("input2", x2)
    check_finite_loss_input("input2", x2)
    check_same_shape("input1", x1, "input2", x2)
    return x1, x2, y


def margin_ranking_loss(input1, input2, target, margin: float = 0.0, reduction: str = "mean"):
    """``max(0, -y * (x1 - x2) + margin)``: ``y = 1`` asks for ``x1 > x2``, ``y = -1`` for less.

    >>> margin_ranking_loss(np.array([1.0]), np.array([2.0]), np.array([1.0]))
    1.0
    """
    x1, x2, y = _ranking(input1, input2, target)
    return reduce_loss(np.maximum(-y * (x1 - x2) + margin, 0), reduction)


def margin_ranking_loss_backward(
    input1, input2, target, margin: float = 0.0, reduction: str = "mean", grad_out=1.0
) -> tuple[np.ndarray, np.ndarray]:
    """``(-y, y)`` where the hinge is active (``-y * (x1 - x2) + margin >= 0``), else 0."""
    x1, x2, y = _ranking(input1, input2, target)
    g = reduction_backward(grad_out, x1.shape, reduction, x1.dtype)
    slope = np.where(-y * (x1 - x2) + margin >= 0, -y, 0) * g
    return slope, -slope
