"""Base of the losses with ``reduction`` ``"none"``, ``"mean"`` or ``"sum"``.

Such a loss is called on its arrays, the prediction first (``loss(input, target)``,
``loss(x1, x2, y)``, ``loss(anchor, positive, negative)``). It returns a Python float for
``"mean"`` and ``"sum"`` and the array of per-sample losses for ``"none"``. Then
``backward(grad_out=1.0)`` returns the gradient with respect to the first array, or, for
a loss of several embeddings (``MarginRankingLoss``, ``CosineEmbeddingLoss``,
``TripletMarginLoss``), a tuple with one gradient per embedding, in argument order::

    loss = criterion(model(x), y)
    model.backward(criterion.backward())

For ``"none"``, ``grad_out`` is one weight per sample (an array of the loss's shape); the
default 1.0 gives the gradient of the losses' sum.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_choice
from ..functional.loss_reduction import LOSS_REDUCTIONS
from .module import Module


class ReducedLoss(Module):
    """Keeps the arrays of the last call for ``backward``; subclasses give the maths.

    A subclass defines ``_value(*arrays)`` and ``_gradient(*arrays, grad_out)``, each one
    call into :mod:`cnnlab.functional` with ``reduction=self.reduction``.
    """

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        self.reduction = check_choice("reduction", reduction, LOSS_REDUCTIONS)
        self.inputs: tuple | None = None

    def __call__(self, *arrays: np.ndarray) -> float | np.ndarray:  # type: ignore[override]
        return self.forward(*arrays)

    def forward(self, *arrays: np.ndarray) -> float | np.ndarray:  # type: ignore[override]
        value = self._value(*arrays)  # validates before anything is kept
        self.inputs = arrays
        return value

    def backward(self, grad_out=1.0):
        """Gradient of the last loss (times ``grad_out``) w.r.t. the prediction(s)."""
        if self.inputs is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before the loss was computed: "
                "call the loss on its arrays first."
            )
        return self._gradient(*self.inputs, grad_out)

    def _value(self, *arrays):
        raise NotImplementedError

    def _gradient(self, *arrays_and_grad_out):
        raise NotImplementedError

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


def weight_buffer(owner: Module, value) -> None:
    """Register the optional ``weight`` as a buffer (saved in the state dict, as PyTorch)."""
    if value is None:
        owner.weight = None
        return
    array = check_array("weight", value, finite=True, allow_complex=False)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float32)
    owner.register_buffer("weight", array)
