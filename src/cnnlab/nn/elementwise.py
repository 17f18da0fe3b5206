"""Base of the activations whose backward needs the forward's input."""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array
from .module import Module


class InputActivation(Module):
    """Keeps the input in ``forward`` and hands it to ``gradient`` in ``backward``.

    A subclass defines ``function(x)`` and ``gradient(grad_out, x)``, usually one call
    each into :mod:`cnnlab.functional`.
    """

    input: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input = check_float_array("input", x)
        return self.function(self.input)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self.input is None:
            raise self.no_forward_error()
        return self.gradient(np.asarray(grad_out), self.input)

    def function(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def gradient(self, grad_out: np.ndarray, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError
