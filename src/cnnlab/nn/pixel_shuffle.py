"""PixelShuffle and PixelUnshuffle: channels to resolution and back (sub-pixel convolution)."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..functional.pixel_shuffle import (
    pixel_shuffle,
    pixel_shuffle_backward,
    pixel_unshuffle,
    pixel_unshuffle_backward,
)
from .module import Module


class PixelShuffle(Module):
    """``(*, C * r**2, H, W) -> (*, C, H * r, W * r)`` with ``r = upscale_factor``.

    >>> PixelShuffle(2)(np.zeros((8, 12, 5, 5))).shape
    (8, 3, 10, 10)
    """

    def __init__(self, upscale_factor: int):
        super().__init__()
        self.upscale_factor = check_positive_int("upscale_factor", upscale_factor)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return pixel_shuffle(x, self.upscale_factor)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return pixel_shuffle_backward(grad_out, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """``(*, C, H * r, W * r) -> (*, C * r**2, H, W)`` with ``r = downscale_factor``.

    >>> PixelUnshuffle(2)(np.zeros((8, 3, 10, 10))).shape
    (8, 12, 5, 5)
    """

    def __init__(self, downscale_factor: int):
        super().__init__()
        self.downscale_factor = check_positive_int("downscale_factor", downscale_factor)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return pixel_unshuffle(x, self.downscale_factor)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return pixel_unshuffle_backward(grad_out, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
