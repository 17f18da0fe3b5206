"""MultiMarginLoss, MultiLabelMarginLoss, HingeEmbeddingLoss, MarginRankingLoss.

Called as ``loss(input, target)``, or ``loss(input1, input2, target)`` for
``MarginRankingLoss``, whose ``backward()`` returns the pair of gradients (see
:mod:`cnnlab.nn.reduced_loss`).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_real, received
from ..functional import margin_losses as F
from .reduced_loss import ReducedLoss, weight_buffer


class MultiMarginLoss(ReducedLoss):
    """Multi-class hinge: ``sum_{i != y} w[y] * max(0, margin - x[y] + x[i])**p / C``.

    Input ``(N, C)`` or ``(C,)`` of scores, target ``(N,)`` or ``()`` of class indices.

    Parameters
    ----------
    p : {1, 2}
    margin : float
    weight : array, shape (C,), optional
        A weight per class (a buffer).
    reduction : {"mean", "sum", "none"}

    Examples
    --------
    >>> criterion = MultiMarginLoss()
    >>> criterion(np.array([[0.1, 0.2, 0.4, 0.8]]), np.array([3]))  # (0.3 + 0.4 + 0.6) / 4
    0.325
    """

    def __init__(self, p: int = 1, margin: float = 1.0, weight=None, reduction: str = "mean"):
        super().__init__(reduction)
        if p not in (1, 2) or isinstance(p, bool):
            raise ValueError(f"`p` must be 1 or 2. {received(p=p)}")
        self.p = int(p)
        self.margin = check_real("margin", margin)
        weight_buffer(self, weight)

    def _options(self) -> dict:
        return {"p": self.p, "margin": self.margin, "weight": self.weight}

    def _value(self, input, target):
        return F.multi_margin_loss(input, target, **self._options(), reduction=self.reduction)

    def _gradient(self, input, target, grad_out) -> np.ndarray:
        return F.multi_margin_loss_backward(
            input, target, **self._options(), reduction=self.reduction, grad_out=grad_out
        )


class MultiLabelMarginLoss(ReducedLoss):
    """Multi-label hinge: every listed class should beat every other by a margin of 1.

    Target ``(N, C)`` (or ``(C,)``) of class indices, each row ended by the first -1.

    Examples
    --------
    >>> criterion = MultiLabelMarginLoss()
    >>> criterion(np.array([[0.1, 0.2, 0.4, 0.8]]), np.array([[3, 0, -1, 1]]))
    0.85
    """

    def _value(self, input, target):
        return F.multilabel_margin_loss(input, target, self.reduction)

    def _gradient(self, input, target, grad_out) -> np.ndarray:
        return F.multilabel_margin_loss_backward(input, target, self.reduction, grad_out)


class HingeEmbeddingLoss(ReducedLoss):
    """``x`` where ``y = 1`` and ``max(0, margin - x)`` where ``y = -1``, per element.

    ``x`` is typically a distance between two embeddings and ``y`` whether they match.

    Examples
    --------
    >>> criterion = HingeEmbeddingLoss(reduction="none")
    >>> criterion(np.array([0.3, 0.2]), np.array([1.0, -1.0]))
    array([0.3, 0.8])
    """

    def __init__(self, margin: float = 1.0, reduction: str = "mean"):
        super().__init__(reduction)
        self.margin = check_real("margin", margin)

    def _value(self, input, target):
        return F.hinge_embedding_loss(input, target, self.margin, self.reduction)

    def _gradient(self, input, target, grad_out) -> np.ndarray:
        return F.hinge_embedding_loss_backward(input, target, self.margin, self.reduction, grad_out)


class MarginRankingLoss(ReducedLoss):
    """``max(0, -y * (x1 - x2) + margin)``: ``y = 1`` means ``x1`` should rank higher.

    Called as ``loss(input1, input2, target)``; ``backward()`` returns
    ``(grad_input1, grad_input2)``.

    Examples
    --------
    >>> criterion = MarginRankingLoss(margin=0.5)
    >>> criterion(np.array([1.0, 2.0]), np.array([2.0, 2.5]), np.array([1.0, 1.0]))
    1.25
    >>> criterion.backward()
    (array([-0.5, -0.5]), array([0.5, 0.5]))
    """

    def __init__(self, margin: float = 0.0, reduction: str = "mean"):
        super().__init__(reduction)
        self.margin = check_real("margin", margin)

    def _value(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, self.margin, self.reduction)

    def _gradient(self, input1, input2, target, grad_out) -> tuple[np.ndarray, np.ndarray]:
        return F.margin_ranking_loss_backward(
            input1, input2, target, self.margin, self.reduction, grad_out
        )
