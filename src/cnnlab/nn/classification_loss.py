"""``CrossEntropyLoss`` and ``NLLLoss``: a score per class against a class index per sample.

As PyTorch's: class ``weight`` (a buffer), ``ignore_index`` (-100: samples with that
target count for nothing) and ``reduction`` ("mean", "sum", or "none" for one loss per
sample; then ``backward`` takes a gradient per sample, e.g. ``np.ones_like(losses)``).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_choice, check_probability, received
from ..functional.classification_losses import (
    REDUCTIONS,
    cross_entropy,
    cross_entropy_backward,
    nll_loss,
    nll_loss_backward,
)
from .loss import _Loss


def _weight_buffer(value) -> np.ndarray:
    array = check_array("weight", value, finite=True, allow_complex=False)
    return array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float32)


class _ClassLoss(_Loss):
    """Shared part: the options, and a backward that passes ``grad_out`` per sample."""

    def __init__(self, weight=None, reduction: str = "mean", ignore_index: int = -100):
        super().__init__("mean")
        self.reduction = check_choice("reduction", reduction, REDUCTIONS)
        if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
            raise TypeError(f"`ignore_index` must be an int. {received(ignore_index=ignore_index)}")
        self.ignore_index = int(ignore_index)
        if weight is None:
            self.weight = None
        else:
            self.register_buffer("weight", _weight_buffer(weight))

    def _options(self) -> dict:
        return {
            "weight": self.weight,
            "reduction": self.reduction,
            "ignore_index": self.ignore_index,
        }

    def backward(self, grad_out=1.0) -> np.ndarray:
        """Gradient of the last loss (times ``grad_out``: a number, or one per sample for
        ``reduction="none"``) with respect to the scores."""
        if self.logits is None:
            super().backward()  # the error of a backward before the loss
        return self._backward(self.logits, self.targets, grad_out)

    def _extra_parts(self) -> list[str]:
        return []

    def extra_repr(self) -> str:
        parts = [super().extra_repr(), *self._extra_parts()]
        if self.ignore_index != -100:
            parts.append(f"ignore_index={self.ignore_index}")
        if self.weight is not None:
            parts.append(f"weight=<{self.weight.shape[0]} classes>")
        return ", ".join(p for p in parts if p)


class CrossEntropyLoss(_ClassLoss):
    """Cross-entropy of ``softmax(logits)`` against integer class targets.

    Parameters
    ----------
    weight : array, shape (C,), optional
        A weight per class (a buffer, saved in the state dict as PyTorch does).
    reduction : {"mean", "sum", "none"}
    ignore_index : int
        Samples with this target add nothing, and "mean" does not count them.
    label_smoothing : float in [0, 1]
        Mixes the one-hot target with the uniform distribution, as PyTorch does.

    Call it on logits ``(N, C)`` (or ``(N, C, d1, ...)``) and targets ``(N,)`` (or
    ``(N, d1, ...)``) with values in ``[0, C)``.

    Examples
    --------
    >>> criterion = CrossEntropyLoss()
    >>> round(criterion(np.array([[2.0, 0.0, 0.0]]), np.array([0])), 4)
    0.2395
    >>> criterion.backward().round(3)
    array([[-0.213,  0.107,  0.107]])
    >>> CrossEntropyLoss(reduction="none")(np.zeros((2, 2)), np.array([0, -100])).round(4)
    array([0.6931, 0.    ])
    """

    def __init__(
        self,
        weight=None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
        ignore_index: int = -100,
    ):
        super().__init__(weight, reduction, ignore_index)
        self.label_smoothing = check_probability("label_smoothing", label_smoothing)

    def _options(self) -> dict:
        return {**super()._options(), "label_smoothing": self.label_smoothing}

    def _value(self, logits, targets):
        return cross_entropy(logits, targets, **self._options())

    def _backward(self, logits, targets, grad_out) -> np.ndarray:
        return cross_entropy_backward(logits, targets, **self._options(), grad_out=grad_out)

    def _extra_parts(self) -> list[str]:
        return [f"label_smoothing={self.label_smoothing}"] if self.label_smoothing else []


class NLLLoss(_ClassLoss):
    """Negative log-likelihood of log-probabilities ``(N, C, ...)`` at the target classes.

    ``NLLLoss()(LogSoftmax(dim=1)(logits), targets)`` is ``CrossEntropyLoss`` in two steps.

    Examples
    --------
    >>> criterion = NLLLoss()
    >>> round(criterion(np.log(np.array([[0.25, 0.75]])), np.array([1])), 4)
    0.2877
    >>> criterion.backward()
    array([[ 0., -1.]])
    """

    def _value(self, log_probs, targets):
        return nll_loss(log_probs, targets, **self._options())

    def _backward(self, log_probs, targets, grad_out) -> np.ndarray:
        return nll_loss_backward(log_probs, targets, **self._options(), grad_out=grad_out)
