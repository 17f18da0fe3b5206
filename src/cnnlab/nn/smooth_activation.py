"""Smooth activations: CELU, SELU, LogSigmoid, Mish, Softsign, and the gated GLU."""

from __future__ import annotations

import numpy as np

from .._validation import check_real, received
from ..functional import smooth_activations as F
from ..functional.glu import glu, glu_backward
from .elementwise import InputActivation


class CELU(InputActivation):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``, continuously differentiable ELU.

    >>> CELU(alpha=2.0)(np.array([-1000.0, 3.0]))
    array([-2.,  3.])
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.alpha = check_real("alpha", alpha)
        if self.alpha == 0:
            raise ValueError(f"`alpha` must not be 0 (CELU divides by it). {received(alpha=alpha)}")

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.celu(x, self.alpha)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.celu_backward(grad_out, x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class SELU(InputActivation):
    """``1.0507 * (max(0, x) + min(0, 1.6733 * (exp(x) - 1)))``, self-normalising.

    >>> SELU()(np.array([0.0, 1.0]))
    array([0.       , 1.05070099])
    """

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.selu(x)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.selu_backward(grad_out, x)


class LogSigmoid(InputActivation):
    """``log(sigmoid(x))``, finite for any input.

    >>> LogSigmoid()(np.array([-1000.0]))
    array([-1000.])
    """

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.logsigmoid(x)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.logsigmoid_backward(grad_out, x)


class Mish(InputActivation):
    """``x * tanh(softplus(x))``.

    >>> Mish()(np.array([0.0]))
    array([0.])
    """

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.mish(x)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.mish_backward(grad_out, x)


class Softsign(InputActivation):
    """``x / (1 + |x|)``.

    >>> Softsign()(np.array([-3.0, 1.0]))
    array([-0.75,  0.5 ])
    """

    def function(self, x: np.ndarray) -> np.ndarray:
        return F.softsign(x)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return F.softsign_backward(grad_out, x)


class GLU(InputActivation):
    """Gated linear unit ``a * sigmoid(b)``, ``a`` and ``b`` the two halves along ``dim``.

    The size along ``dim`` must be even; the output has half of it.

    >>> GLU()(np.array([[2.0, 0.0]]))
    array([[1.]])
    """

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def function(self, x: np.ndarray) -> np.ndarray:
        return glu(x, self.dim)

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        return glu_backward(grad_out, x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
