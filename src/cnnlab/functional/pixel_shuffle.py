"""Pixel shuffle (Shi et al., 2016): trade channels for resolution, and back.

``pixel_shuffle`` moves each group of ``r * r`` channels into an ``r x r`` block of
pixels, ``(*, C * r**2, H, W) -> (*, C, H * r, W * r)``; ``pixel_unshuffle`` undoes it.
Each is a reshape and a transpose, so each one's backward is the other.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive_int, received


def _check(x, name: str, factor: int) -> tuple[np.ndarray, int]:
    x = check_array("input", x)
    factor = check_positive_int(name, factor)
    if x.ndim < 3:
        raise ValueError(
            f"`input` must have at least 3 dimensions (*, C, H, W). {received(input=x)}"
        )
    return x, factor


def pixel_shuffle(x: np.ndarray, upscale_factor: int) -> np.ndarray:
    """``(*, C * r**2, H, W) -> (*, C, H * r, W * r)``, with ``r = upscale_factor``.

    Output pixel ``(c, h * r + i, w * r + j)`` is input pixel ``(c * r**2 + i * r + j, h, w)``.

    >>> pixel_shuffle(np.arange(4.0).reshape(1, 4, 1, 1), 2)[0, 0]
    array([[0., 1.],
           [2., 3.]])
    """
    x, r = _check(x, "upscale_factor", upscale_factor)
    *batch, channels, height, width = x.shape
    if channels % (r * r):
        raise ValueError(
            f"PixelShuffle needs the channels (dimension -3) divisible by upscale_factor**2 = "
            f"{r * r}. {received(input=x)}"
        )
    c = channels // (r * r)
    blocks = x.reshape(*batch, c, r, r, height, width)
    blocks = np.moveaxis(blocks, (-4, -3), (-3, -1))  # (*, c, H, r, W, r)
    return blocks.reshape(*batch, c, height * r, width * r)


def pixel_unshuffle(x: np.ndarray, downscale_factor: int) -> np.ndarray:
    """``(*, C, H * r, W * r) -> (*, C * r**2, H, W)``, the inverse of :func:`pixel_shuffle`.

    >>> pixel_unshuffle(np.arange(4.0).reshape(1, 1, 2, 2), 2).ravel()
    array([0., 1., 2., 3.])
    """
    x, r = _check(x, "downscale_factor", downscale_factor)
    *batch, channels, height, width = x.shape
    if height % r or width % r:
        raise ValueError(
            f"PixelUnshuffle needs the height and width (dimensions -2, -1) divisible by "
            f"downscale_factor = {r}. {received(input=x)}"
        )
    h, w = height // r, width // r
    blocks = x.reshape(*batch, channels, h, r, w, r)
    blocks = np.moveaxis(blocks, (-3, -1), (-4, -3))  # (*, C, r, r, h, w)
    return blocks.reshape(*batch, channels * r * r, h, w)


def pixel_shuffle_backward(grad_out: np.ndarray, upscale_factor: int) -> np.ndarray:
    """The gradient of :func:`pixel_shuffle`: the same numbers moved back."""
    return pixel_unshuffle(grad_out, upscale_factor)


def pixel_unshuffle_backward(grad_out: np.ndarray, downscale_factor: int) -> np.ndarray:
    """The gradient of :func:`pixel_unshuffle`: the same numbers moved back."""
    return pixel_shuffle(grad_out, downscale_factor)
