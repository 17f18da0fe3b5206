"""Losses on pairs and triplets of embeddings: cosine embedding and triplet margin.

Inputs are vectors ``(N, D)`` or one vector ``(D,)``; each forward returns the reduced
loss (see :mod:`.loss_reduction`) and each backward a tuple with one gradient per
embedding input.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_finite_loss_input, check_float_array, received
from .distances import check_norm_degree, pairwise_distance, pairwise_distance_backward
from .loss_reduction import reduce_loss, reduction_backward

COSINE_EPSILON = 1e-12  # added to each squared norm, as PyTorch does


def _embeddings(names: tuple[str, ...], arrays) -> list[np.ndarray]:
    out = []
    for name, a in zip(names, arrays, strict=True):
        a = check_float_array(name, a)
        check_finite_loss_input(name, a)
        if a.ndim not in (1, 2) or a.shape != np.shape(arrays[0]):
            raise ValueError(
                f"{', '.join(f'`{n}`' for n in names)} must share one shape, (N, D) or (D,). "
                f"Received: "
                + ", ".join(
                    f"{n} with shape {np.shape(b)}" for n, b in zip(names, arrays, strict=True)
                )
                + "."
            )
        out.append(a)
    return out


# -- cosine embedding --------------------------------------------------------------------
def _cosine(input1, input2, target):
    x1, x2 = _embeddings(("input1", "input2"), (input1, input2))
    y = check_array("target", target, finite=True, allow_complex=False)
    if y.shape != x1.shape[:-1]:
        raise ValueError(
            f"`target` must have shape {x1.shape[:-1]}, one label per pair. {received(target=y)}"
        )
    dot = np.sum(x1 * x2, axis=-1)
    m1 = np.sum(x1 * x1, axis=-1) + COSINE_EPSILON
    m2 = np.sum(x2 * x2, axis=-1) + COSINE_EPSILON
    root = np.sqrt(m1 * m2)
    return x1, x2, y, dot / root, m1, m2, root


def cosine_embedding_loss(input1, input2, target, margin: float = 0.0, reduction: str = "mean"):
    """``1 - cos(x1, x2)`` where ``y = 1``, ``max(0, cos(x1, x2) - margin)`` where ``y = -1``.

    ``cos = x1 . x2 / sqrt((|x1|**2 + 1e-12) * (|x2|**2 + 1e-12))``, PyTorch's guard.

    >>> cosine_embedding_loss(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]), np.array([1]))
    1.0
    """
    _, _, y, cos, *_ = _cosine(input1, input2, target)
    losses = np.where(y == 1, 1 - cos, 0) + np.where(y == -1, np.maximum(cos - margin, 0), 0)
    return reduce_loss(losses.astype(cos.dtype, copy=False), reduction)


def cosine_embedding_loss_backward(
    input1, input2, target, margin: float = 0.0, reduction: str = "mean", grad_out=1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Through ``d cos / d x1 = x2 / sqrt(m1 m2) - cos * x1 / m1`` (``m`` the guarded squares).

    ``d loss / d cos`` is -1 where ``y = 1`` and 1 where ``y = -1`` and ``cos >= margin``.
    """
    x1, x2, y, cos, m1, m2, root = _cosine(input1, input2, target)
    g = reduction_backward(grad_out, cos.shape, reduction, x1.dtype)
    slope = np.where(y == 1, -1, 0) + np.where((y == -1) & (cos - margin >= 0), 1, 0)
    d = (g * slope)[..., None]
    cos, root = cos[..., None], root[..., None]
    grad1 = d * (x2 / root - cos * x1 / m1[..., None])
    grad2 = d * (x1 / root - cos * x2 / m2[..., None])
    return grad1.astype(x1.dtype, copy=False), grad2.astype(x1.dtype, copy=False)


# -- triplet margin ----------------------------------------------------------------------
def _triplet(anchor, positive, negative, p, eps, swap):
    a, pos, neg = _embeddings(("anchor", "positive", "negative"), (anchor, positive, negative))
    p = check_norm_degree(p)
    d_pos = pairwise_distance(a, pos, p, eps)
    d_neg = pairwise_distance(a, neg, p, eps)
    swapped = np.zeros(d_neg.shape, dtype=bool)  # where d(p, n) stands in for d(a, n)
    if swap:
        d_swap = pairwise_distance(pos, neg, p, eps)
        swapped = d_swap < d_neg
        d_neg = np.minimum(d_neg, d_swap)
    return a, pos, neg, p, d_pos, d_neg, swapped


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
):
    """``max(0, margin + d(a, p) - d(a, n))``, ``d`` the :func:`pairwise_distance`.

    With ``swap`` (Balntas et al., 2016), ``d(a, n)`` becomes ``min(d(a, n), d(p, n))``.

    >>> a, p, n = np.array([[0.0, 0.0]]), np.array([[0.0, 1.0]]), np.array([[3.0, 0.0]])
    >>> round(triplet_margin_loss(a, p, n, margin=3.0, eps=0.0), 6)  # 3 + 1 - 3
    1.0
    """
    *_, d_pos, d_neg, _ = _triplet(anchor, positive, negative, p, eps, swap)
    return reduce_loss(np.maximum(margin + d_pos - d_neg, 0), reduction)


def triplet_margin_loss_backward(
    anchor,
    positive,
    negative,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
    grad_out=1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients w.r.t. anchor, positive and negative, through the distances' backward.

    Where the hinge is active (``margin + d(a, p) - d(a, n) >= 0``) the loss grows with
    ``d(a, p)`` and falls with the negative distance.
    """
    a, pos, neg, p, d_pos, d_neg, swapped = _triplet(anchor, positive, negative, p, eps, swap)
    g = reduction_backward(grad_out, d_pos.shape, reduction, a.dtype)
    active = np.where(margin + d_pos - d_neg >= 0, g, 0)
    grad_a, grad_pos = pairwise_distance_backward(active, a, pos, p, eps)
    to_anchor = np.where(swapped, 0, -active)  # the negative distance is d(a, n) ...
    to_positive = np.where(swapped, -active, 0)  # ... or, swapped, d(p, n)
    a_from_neg, neg_from_a = pairwise_distance_backward(to_anchor, a, neg, p, eps)
    pos_from_neg, neg_from_pos = pairwise_distance_backward(to_positive, pos, neg, p, eps)
    return grad_a + a_from_neg, grad_pos + pos_from_neg, neg_from_a + neg_from_pos
