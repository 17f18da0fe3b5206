"""``ELU`` and ``GELU`` layers, as ``torch.nn.ELU`` and ``torch.nn.GELU`` (maths in
:mod:`cnnlab.functional.elu_gelu`). Both keep their input for the backward."""

from __future__ import annotations

import numpy as np

from .._validation import check_choice, check_real
from ..functional import elu_gelu as F
from .module import Module


class ELU(Module):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below: smooth, saturating at ``-alpha``.

    >>> ELU()(np.array([-1.0, 2.0])).round(4)
    array([-0.6321,  2.    ])
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.alpha = check_real("alpha", alpha)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input = np.asarray(x)
        return F.elu(self.input, self.alpha)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if getattr(self, "input", None) is None:
            raise self.no_forward_error()
        return F.elu_backward(grad_out, self.input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class GELU(Module):
    """``x * Phi(x)`` (``Phi``: the standard normal CDF); ``approximate="tanh"`` for the
    tanh formula of BERT and GPT-2.

    >>> GELU()(np.array([-1.0, 1.0])).round(4)
    array([-0.1587,  0.8413])
    >>> GELU(approximate="tanh")
    GELU(approximate='tanh')
    """

    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = check_choice("approximate", approximate, ("none", "tanh"))

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input = np.asarray(x)
        return F.gelu(self.input, self.approximate)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if getattr(self, "input", None) is None:
            raise self.no_forward_error()
        return F.gelu_backward(grad_out, self.input, self.approximate)

    def extra_repr(self) -> str:
        return "" if self.approximate == "none" else f"approximate={self.approximate!r}"
