"""PairwiseDistance and CosineSimilarity: layers of two inputs.

Called as ``layer(x1, x2)``; ``backward(grad_out)`` returns ``(grad_x1, grad_x2)``.
"""

from __future__ import annotations

import numpy as np

from .._validation import _is_int, check_positive_float, received
from ..functional import distances as F
from .module import Module


class _TwoInputs(Module):
    """Keeps both inputs of the last call for ``backward``."""

    inputs: tuple[np.ndarray, np.ndarray] | None = None

    def __call__(self, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:  # type: ignore[override]
        return self.forward(x1, x2)

    def _saved(self) -> tuple[np.ndarray, np.ndarray]:
        if self.inputs is None:
            raise self.no_forward_error()
        return self.inputs


class PairwiseDistance(_TwoInputs):
    """``|| x1 - x2 + eps ||_p`` along the last axis: ``(N, D), (N, D) -> (N,)``.

    The inputs broadcast (one may be a single vector ``(D,)``).

    Examples
    --------
    >>> layer = PairwiseDistance(eps=0.0)
    >>> layer(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]))
    array([5.])
    >>> layer.backward(np.ones(1))
    (array([[-0.6, -0.8]]), array([[0.6, 0.8]]))
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
        super().__init__()
        self.norm = F.check_norm_degree(p)
        self.eps = check_positive_float("eps", eps, allow_zero=True)
        self.keepdim = bool(keepdim)

    def forward(self, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:  # type: ignore[override]
        y = F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
        self.inputs = (np.asarray(x1, dtype=y.dtype), np.asarray(x2, dtype=y.dtype))
        return y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x1, x2 = self._saved()
        return F.pairwise_distance_backward(grad_out, x1, x2, self.norm, self.eps, self.keepdim)

    def extra_repr(self) -> str:
        return (
            ""
            if (self.norm, self.eps, self.keepdim) == (2.0, 1e-6, False)
            else (f"p={self.norm}, eps={self.eps}, keepdim={self.keepdim}")
        )


class CosineSimilarity(_TwoInputs):
    """``x1 . x2 / (max(|x1|, eps) * max(|x2|, eps))`` along ``dim``.

    Examples
    --------
    >>> layer = CosineSimilarity(dim=1)
    >>> layer(np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]])).round(4)
    array([0.7071])
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8):
        super().__init__()
        if not _is_int(dim):
            raise TypeError(f"`dim` must be an int. {received(dim=dim)}")
        self.dim = int(dim)
        self.eps = check_positive_float("eps", eps, allow_zero=True)

    def forward(self, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:  # type: ignore[override]
        y = F.cosine_similarity(x1, x2, self.dim, self.eps)
        self.inputs = (np.asarray(x1, dtype=y.dtype), np.asarray(x2, dtype=y.dtype))
        return y

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x1, x2 = self._saved()
        return F.cosine_similarity_backward(grad_out, x1, x2, self.dim, self.eps)

    def extra_repr(self) -> str:
        return "" if (self.dim, self.eps) == (1, 1e-8) else f"dim={self.dim}, eps={self.eps}"
