"""Loss modules: ``MSELoss``, ``BCEWithLogitsLoss`` (and in ``classification_loss``
``CrossEntropyLoss``, ``NLLLoss``).

A loss is called on two arrays and returns a Python float; ``backward()`` then returns
the gradient of that float with respect to the first array, ready for the network's
``backward``::

    loss = criterion(model(x), y)
    model.backward(criterion.backward())
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_choice
from ..functional.losses import (
    REDUCTIONS,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_backward,
    mse_loss,
    mse_loss_backward,
)
from .module import Module


class _Loss(Module):
    """Shared part of the losses: two-argument call, saved inputs, ``backward()``."""

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        self.reduction = check_choice("reduction", reduction, REDUCTIONS)
        self.logits: np.ndarray | None = None
        self.targets: np.ndarray | None = None

    def __call__(self, logits: np.ndarray, targets: np.ndarray) -> float:  # type: ignore[override]
        return self.forward(logits, targets)

    def forward(self, logits: np.ndarray, targets: np.ndarray) -> float:  # type: ignore[override]
        value = self._value(logits, targets)  # validates before anything is kept
        self.logits, self.targets = logits, targets
        return value

    def backward(self, grad_out: float = 1.0) -> np.ndarray:
        """Gradient of the last computed loss (times ``grad_out``) w.r.t. its first input."""
        if self.logits is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before the loss was computed: "
                "call the loss on (logits, targets) first."
            )
        grad = self._gradient(self.logits, self.targets)
        return grad if grad_out == 1.0 else grad * grad.dtype.type(grad_out)

    def _value(self, logits: np.ndarray, targets: np.ndarray) -> float:
        raise NotImplementedError

    def _gradient(self, logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


def _weight_buffer(name: str, value) -> np.ndarray:
    array = check_array(name, value, finite=True, allow_complex=False)
    return array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float32)


class MSELoss(_Loss):
    """Mean (or sum) of squared differences between predictions and same-shape targets.

    Examples
    --------
    >>> criterion = MSELoss()
    >>> criterion(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    2.0
    >>> criterion.backward()
    array([0., 2.])
    """

    def _value(self, predictions, targets) -> float:
        return mse_loss(predictions, targets, self.reduction)

    def _gradient(self, predictions, targets) -> np.ndarray:
        return mse_loss_backward(predictions, targets, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of ``sigmoid(logits)`` against targets in [0, 1] (same shape).

    Parameters
    ----------
    reduction : {"mean", "sum"}
    pos_weight : array, optional
        Weight of the positive targets, one per class (the last axis); a buffer.

    Examples
    --------
    >>> criterion = BCEWithLogitsLoss()
    >>> round(criterion(np.array([0.0, 0.0]), np.array([1.0, 0.0])), 4)
    0.6931
    >>> criterion.backward()
    array([-0.25,  0.25])
    """

    def __init__(self, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction)
        if pos_weight is None:
            self.pos_weight = None
        else:
            self.register_buffer("pos_weight", _weight_buffer("pos_weight", pos_weight))

    def _value(self, logits, targets) -> float:
        return binary_cross_entropy_with_logits(logits, targets, self.reduction, self.pos_weight)

    def _gradient(self, logits, targets) -> np.ndarray:
        return binary_cross_entropy_with_logits_backward(
            logits, targets, self.reduction, self.pos_weight
        )
