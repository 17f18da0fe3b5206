"""Flips and crops of image batches: the pixel-exact geometric transforms.

Each image of the batch draws its own flip or crop position from the explicit ``rng``.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int_tuple, check_probability, check_real
from .transforms import Transform, check_images, check_rng


class RandomHorizontalFlip(Transform):
    """Mirror each image left-right with probability ``p``.

    Examples
    --------
    >>> x = np.arange(3, dtype=np.float32).reshape(1, 1, 1, 3)
    >>> RandomHorizontalFlip(p=1.0)(x, np.random.default_rng(0))
    array([[[[2., 1., 0.]]]], dtype=float32)
    """

    axis = -1

    def __init__(self, p: float = 0.5) -> None:
        self.p = check_probability("p", p)

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        images = check_images(images)
        rng = check_rng(rng, type(self).__name__)
        chosen = (rng.random(len(images)) < self.p)[:, None, None, None]
        return np.where(chosen, np.flip(images, axis=self.axis), images)


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirror each image top-bottom with probability ``p``.

    Examples
    --------
    >>> x = np.arange(2, dtype=np.float32).reshape(1, 1, 2, 1)
    >>> RandomVerticalFlip(p=1.0)(x, np.random.default_rng(0))[0, 0, :, 0]
    array([1., 0.], dtype=float32)
    """

    axis = -2


class RandomCrop(Transform):
    """Cut a random ``size`` window from each image, after padding its border with ``fill``.

    Parameters
    ----------
    size : int or (int, int)
        Height and width of the output.
    padding : int or (int, int)
        Pixels added above and below, and left and right, before cropping; with
        ``size`` equal to the input size this is a random translation by up to ``padding``.
    fill : float
        Value of the padded pixels.

    Examples
    --------
    >>> x = np.ones((2, 1, 28, 28), dtype=np.float32)
    >>> RandomCrop(28, padding=4)(x, np.random.default_rng(0)).shape
    (2, 1, 28, 28)
    """

    def __init__(
        self, size: int | tuple[int, int], padding: int | tuple[int, int] = 0, fill: float = 0.0
    ) -> None:
        self.size = check_int_tuple("size", size, 2)
        self.padding = check_int_tuple("padding", padding, 2, minimum=0)
        self.fill = check_real("fill", fill)

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        images = check_images(images)
        rng = check_rng(rng, "RandomCrop")
        (h, w), (ph, pw) = self.size, self.padding
        N, C, H, W = images.shape
        if h > H + 2 * ph or w > W + 2 * pw:
            raise ValueError(
                f"RandomCrop's `size` must fit inside the padded image ({H + 2 * ph}, "
                f"{W + 2 * pw}). Received: size={self.size}, padding={self.padding}, "
                f"images with shape {images.shape}."
            )
        padded = np.pad(images, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=self.fill)
        top = rng.integers(0, H + 2 * ph - h, size=N, endpoint=True)
        left = rng.integers(0, W + 2 * pw - w, size=N, endpoint=True)
        rows = (top[:, None] + np.arange(h))[:, :, None]  # (N, h, 1)
        cols = (left[:, None] + np.arange(w))[:, None, :]  # (N, 1, w)
        batch = np.arange(N)[:, None, None]
        # the advanced indices are split by the channel slice, so NumPy puts them first
        return np.ascontiguousarray(padded[batch, :, rows, cols].transpose(0, 3, 1, 2))
