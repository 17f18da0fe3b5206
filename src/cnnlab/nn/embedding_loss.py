"""CosineEmbeddingLoss and TripletMarginLoss: losses on pairs and triplets of embeddings.

Called on the embeddings (and, for the cosine loss, the labels); ``backward()`` returns
one gradient per embedding, as a tuple (see :mod:`cnnlab.nn.reduced_loss`).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_float, check_real
from ..functional import embedding_losses as F
from ..functional.distances import check_norm_degree
from .reduced_loss import ReducedLoss


class CosineEmbeddingLoss(ReducedLoss):
    """``1 - cos(x1, x2)`` for ``y = 1``, ``max(0, cos(x1, x2) - margin)`` for ``y = -1``.

    Called as ``loss(input1, input2, target)`` with embeddings ``(N, D)`` (or ``(D,)``) and
    labels ``(N,)`` (or ``()``); ``backward()`` returns ``(grad_input1, grad_input2)``.

    Examples
    --------
    >>> criterion = CosineEmbeddingLoss()
    >>> criterion(np.array([[1.0, 0.0]]), np.array([[0.0, 2.0]]), np.array([1]))
    1.0
    >>> [g.shape for g in criterion.backward()]
    [(1, 2), (1, 2)]
    """

    def __init__(self, margin: float = 0.0, reduction: str = "mean"):
        super().__init__(reduction)
        self.margin = check_real("margin", margin)

    def _value(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, self.margin, self.reduction)

    def _gradient(self, input1, input2, target, grad_out) -> tuple[np.ndarray, np.ndarray]:
        return F.cosine_embedding_loss_backward(
            input1, input2, target, self.margin, self.reduction, grad_out
        )


class TripletMarginLoss(ReducedLoss):
    """``max(0, margin + d(a, p) - d(a, n))`` with ``d`` the p-norm :class:`PairwiseDistance`.

    Called as ``loss(anchor, positive, negative)``, each ``(N, D)`` or ``(D,)``;
    ``backward()`` returns the three gradients. ``swap`` uses ``min(d(a, n), d(p, n))``.

    Examples
    --------
    >>> criterion = TripletMarginLoss(margin=3.0, eps=0.0)
    >>> a, p, n = np.array([[0.0, 0.0]]), np.array([[0.0, 1.0]]), np.array([[3.0, 0.0]])
    >>> criterion(a, p, n)
    1.0
    >>> criterion.backward()[2]
    array([[-1., -0.]])
    """

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        reduction: str = "mean",
    ):
        super().__init__(reduction)
        self.margin = check_real("margin", margin)
        self.p = check_norm_degree(p)
        self.eps = check_positive_float("eps", eps, allow_zero=True)
        self.swap = bool(swap)

    def _options(self) -> dict:
        return {"margin": self.margin, "p": self.p, "eps": self.eps, "swap": self.swap}

    def _value(self, anchor, positive, negative):
        return F.triplet_margin_loss(
            anchor, positive, negative, **self._options(), reduction=self.reduction
        )

    def _gradient(self, anchor, positive, negative, grad_out):
        return F.triplet_margin_loss_backward(
            anchor,
            positive,
            negative,
            **self._options(),
            reduction=self.reduction,
            grad_out=grad_out,
        )
