"""LocalResponseNorm and CrossMapLRN2d: AlexNet's normalisation across channels."""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array, check_positive_int, check_real, received
from ..functional.local_response_norm import local_response_norm, local_response_norm_backward
from .module import Module


class LocalResponseNorm(Module):
    """Divide each value by ``(k + alpha / size * sum of squares of size neighbours) ** beta``.

    The neighbours are ``size`` channels around the value's own (see
    :mod:`cnnlab.functional.local_response_norm`). Input ``(N, C, *)``, at least 3-D.

    Parameters
    ----------
    size : int
        Number of neighbouring channels summed.
    alpha, beta, k : float
        AlexNet's layer is ``LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)`` (its
        paper's ``alpha = 1e-4`` is not divided by ``size``).

    Examples
    --------
    >>> LocalResponseNorm(2)
    LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)
    >>> LocalResponseNorm(3, alpha=3.0, beta=1.0, k=0.0)(np.ones((1, 3, 1))).ravel()
    array([0.5       , 0.33333333, 0.5       ])
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
        super().__init__()
        self.size = check_positive_int("size", size)
        self.alpha = check_real("alpha", alpha)
        self.beta = check_real("beta", beta)
        self.k = check_real("k", k)
        self.input: np.ndarray | None = None

    def _check(self, x) -> np.ndarray:
        return check_float_array("input", x)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check(x)
        y = local_response_norm(x, self.size, self.alpha, self.beta, self.k)
        self.input = x
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self.input is None:
            raise self.no_forward_error()
        return local_response_norm_backward(
            np.asarray(grad_out), self.input, self.size, self.alpha, self.beta, self.k
        )

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class CrossMapLRN2d(LocalResponseNorm):
    """:class:`LocalResponseNorm` for images ``(N, C, H, W)`` only, under Torch7's name.

    PyTorch 2.13's own ``CrossMapLRN2d`` adds channel 0's square into the sum of every
    channel from ``(size + 1) // 2`` on, and its backward is not the gradient of its
    forward (``torch.autograd.gradcheck`` fails); this one is the layer those docs describe,
    equal to PyTorch's on the channels where PyTorch is right.

    >>> CrossMapLRN2d(5)(np.zeros((1, 8, 4, 4))).shape
    (1, 8, 4, 4)
    """

    def _check(self, x) -> np.ndarray:
        x = check_float_array("input", x)
        if x.ndim != 4:
            raise ValueError(f"CrossMapLRN2d needs a 4-D input (N, C, H, W). {received(input=x)}")
        return x
