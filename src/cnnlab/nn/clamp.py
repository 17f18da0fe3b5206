"""ReLU6: ``min(max(x, 0), 6)``, the bounded activation of MobileNet."""

from __future__ import annotations

import numpy as np

from ._backend import backward_ops, forward_ops
from .module import Module


class ReLU6(Module):
    """``min(max(x, 0), 6)``, elementwise, any shape, as ``torch.nn.ReLU6``.

    The gradient passes where ``0 < x < 6`` and is zero elsewhere (PyTorch's rule at the
    two corners).

    >>> layer = ReLU6()
    >>> layer(np.array([-1.0, 3.0, 8.0]))
    array([0., 3., 6.])
    >>> layer.backward(np.ones(3))
    array([0., 1., 0.])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.output = forward_ops(self).relu6(x)
        return self.output

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return backward_ops(self).relu6_backward(grad_out, self.output)
