"""RReLU: a leaky ReLU whose negative slopes are random in training."""

from __future__ import annotations

import numpy as np

from .._validation import check_real, received
from ..functional.rrelu import rrelu, rrelu_backward
from .init import default_rng
from .module import Module


class RReLU(Module):
    """Randomized leaky ReLU: ``x`` for ``x > 0``, ``a * x`` otherwise.

    In training ``a`` is drawn from ``U(lower, upper)`` for every value, from the layer's
    own generator ``rng`` (a seeded layer draws the same slopes every run, as
    :class:`Dropout`); in evaluation ``a = (lower + upper) / 2``.

    Parameters
    ----------
    lower, upper : float, ``lower <= upper``
    rng : numpy.random.Generator or int, optional

    Examples
    --------
    >>> layer = RReLU(0.1, 0.3, rng=0)
    >>> y = layer(-np.ones(1000))
    >>> bool(-0.3 <= y.min() and y.max() <= -0.1)
    True
    >>> layer.eval()(np.array([-1.0, 2.0]))
    array([-0.2,  2. ])
    """

    def __init__(
        self,
        lower: float = 1 / 8,
        upper: float = 1 / 3,
        rng: np.random.Generator | int | None = None,
    ):
        super().__init__()
        self.lower = check_real("lower", lower)
        self.upper = check_real("upper", upper)
        if self.lower > self.upper:
            raise ValueError(
                f"`lower` must not exceed `upper`. {received(lower=lower, upper=upper)}"
            )
        self.rng = default_rng(rng)
        self.input: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        y, self.slopes = rrelu(x, self.lower, self.upper, self.training, self.rng)
        self.input = np.asarray(x)
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self.input is None:
            raise self.no_forward_error()
        return rrelu_backward(np.asarray(grad_out), self.input, self.slopes)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}"
