"""BCELoss, PoissonNLLLoss, SoftMarginLoss, MultiLabelSoftMarginLoss.

Called as ``loss(input, target)``; ``backward()`` returns the gradient w.r.t. ``input``
(see :mod:`cnnlab.nn.reduced_loss`).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_float
from ..functional import likelihood_losses as F
from .reduced_loss import ReducedLoss, weight_buffer


class BCELoss(ReducedLoss):
    """Binary cross-entropy of probabilities ``p`` in [0, 1] against targets ``t``.

    ``-w * (t * log(p) + (1 - t) * log(1 - p))`` per element, logs clamped at -100. On
    logits, :class:`BCEWithLogitsLoss` is the stabler choice.

    Parameters
    ----------
    weight : array, optional
        Broadcasts against the input; a buffer, saved in the state dict.
    reduction : {"mean", "sum", "none"}

    Examples
    --------
    >>> criterion = BCELoss()
    >>> round(criterion(np.array([0.5, 0.5]), np.array([1.0, 0.0])), 4)
    0.6931
    >>> criterion.backward()
    array([-1.,  1.])
    """

    def __init__(self, weight=None, reduction: str = "mean"):
        super().__init__(reduction)
        weight_buffer(self, weight)

    def _value(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, self.reduction)

    def _gradient(self, input, target, grad_out) -> np.ndarray:
        return F.binary_cross_entropy_backward(input, target, self.weight, self.reduction, grad_out)


class PoissonNLLLoss(ReducedLoss):
    """Negative log-likelihood of counts ``t`` under a Poisson rate given by the input.

    ``exp(x) - t * x`` for a log-rate input (``log_input=True``), else
    ``x - t * log(x + eps)``; ``full`` adds Stirling's approximation of ``log(t!)``.

    Examples
    --------
    >>> criterion = PoissonNLLLoss()
    >>> criterion(np.zeros(2), np.array([1.0, 3.0]))
    1.0
    >>> criterion.backward()
    array([ 0., -1.])
    """

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        eps: float = 1e-8,
        reduction: str = "mean",
    ):
        super().__init__(reduction)
        self.log_input = bool(log_input)
        self.full = bool(full)
        self.eps = check_positive_float("eps", eps)

    def _options(self) -> dict:
        return {"log_input": self.log_input, "full": self.full, "eps": self.eps}

    def _value(self, input, target):
        return F.poisson_nll_loss(input, target, **self._options(), reduction=self.reduction)

    def _gradient(self, input, target, grad_out) -> np.ndarray:
        return F.poisson_nll_loss_backward(
            input, target, **self._options(), reduction=self.reduction, grad_out=grad_out
        )


class SoftMarginLoss(ReducedLoss):
    """Logistic loss ``log(1 + exp(-y * x))`` per element, for labels ``y`` of ±1.

    Examples
    --------
    >>> criterion = SoftMarginLoss(reduction="sum")
    >>> round(criterion(np.zeros(2), np.array([1.0, -1.0])), 4)  # 2 log 2
    1.3863
    >>> criterion.backward()
    array([-0.5,  0.5])
    """

    def _value(self, input, target):
        return F.soft_margin_loss(input, target, self.reduction)

    def _gradient(self, input, target, grad_out) -> np.ndarray:
        return F.soft_margin_loss_backward(input, target, self.reduction, grad_out)


class MultiLabelSoftMarginLoss(ReducedLoss):
    """Per sample, the mean over classes of the binary cross-entropy of ``sigmoid(x)``.

    Input ``(N, C)`` or ``(C,)`` of logits; targets of 0 and 1, same shape; ``weight``
    one value per class (a buffer).

    Examples
    --------
    >>> criterion = MultiLabelSoftMarginLoss(reduction="none")
    >>> criterion(np.zeros((2, 3)), np.array([[1, 0, 1], [0, 0, 0]])).round(4)
    array([0.6931, 0.6931])
    """

    def __init__(self, weight=None, reduction: str = "mean"):
        super().__init__(reduction)
        weight_buffer(self, weight)

    def _value(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, self.weight, self.reduction)

    def _gradient(self, input, target, grad_out) -> np.ndarray:
        return F.multilabel_soft_margin_loss_backward(
            input, target, self.weight, self.reduction, grad_out
        )
