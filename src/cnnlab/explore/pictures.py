"""The page's inputs as the model's: a drawing on the canvas, an uploaded image file.

Both come out as ``(C, H, W)`` in [0, 1] at the model's input size, before its
normalisation (which :class:`Session` applies), so the page shows what the model sees.
"""

from __future__ import annotations

import numpy as np

from .._validation import received
from ..data.image_folder import resize
from ..imageio import decode_image

LARGEST_DRAWING = 512  # rows and columns of a drawing sent as JSON
UPLOAD_PIXELS = 40_000_000  # an upload's pixels, checked before it is decoded


def number_grid(value) -> np.ndarray | None:
    """``value`` (rows of numbers, as JSON sends them) as a 2-D array of finite floats, or None.

    >>> number_grid([[1, 2], [3, 4]]).shape, number_grid([[1, None]]), number_grid([1, 2])
    ((2, 2), None, None)
    """
    try:
        grid = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return grid if grid.ndim == 2 and np.all(np.isfinite(grid)) else None


def prepare_drawing(drawing, input_shape: tuple[int, ...], ink_is_bright: bool) -> np.ndarray:
    """An ``H x W`` list of numbers in [0, 1] (1 = ink) as the model's input.

    >>> prepare_drawing([[0, 1], [1, 0]], (1, 2, 2), ink_is_bright=False)[0]
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    plane = number_grid(drawing)
    if plane is None or not 1 <= min(plane.shape) <= max(plane.shape) <= LARGEST_DRAWING:
        shown = type(drawing).__name__ if plane is None else f"array of shape {plane.shape}"
        raise ValueError(
            f"`drawing` must be a list of rows of numbers in [0, 1], at most "
            f"{LARGEST_DRAWING}x{LARGEST_DRAWING}. {received(drawing=shown)}"
        )
    plane = np.clip(plane, 0.0, 1.0).astype(np.float32)
    if plane.shape != tuple(input_shape[1:]):
        plane = np.clip(resize(plane, tuple(input_shape[1:])), 0.0, 1.0)
    if not ink_is_bright:
        plane = 1.0 - plane
    return np.repeat(plane[None], input_shape[0], axis=0)


def prepare_upload(data: bytes, input_shape: tuple[int, ...], imagenet: bool) -> np.ndarray:
    """An image file's bytes, decoded by the CLI's reader (`decode_image`), as the input."""
    color = "gray" if input_shape[0] == 1 else "rgb"
    return prepare_picture(decode_image(data, color, max_pixels=UPLOAD_PIXELS), input_shape,
                           imagenet)  # fmt: skip


def prepare_picture(picture: np.ndarray, input_shape: tuple[int, ...], imagenet: bool):
    """A picture ``(H, W)`` or ``(H, W, 3)`` in [0, 1] in the model's colour and size.

    An ImageNet network gets torchvision's preparation (shorter side resized, centre
    crop); any other model the whole picture resized, as ``cnnlab predict`` does.

    >>> prepare_picture(np.ones((30, 40), np.float32), (3, 8, 8), imagenet=False).shape
    (3, 8, 8)
    """
    channels, height, width = input_shape
    if picture.ndim == 2 and channels != 1:
        picture = np.repeat(picture[:, :, None], 3, axis=2)
    if imagenet:
        from ..guessing.preprocess import imagenet_input

        crop = min(height, width)
        return imagenet_input(np.moveaxis(picture, -1, 0), round(crop * 256 / 224), crop)
    planes = resize(picture, (height, width))
    planes = planes[None] if planes.ndim == 2 else np.moveaxis(planes, -1, 0)
    if planes.shape[0] != channels:  # a model of 2 or 4 channels: repeat the grey
        planes = np.repeat(planes.mean(axis=0, keepdims=True), channels, axis=0)
    return np.clip(planes, 0.0, 1.0).astype(np.float32)
