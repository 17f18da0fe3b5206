"""Preparing an image file for an ImageNet network, as torchvision's eval transform does.

torchvision's ``ImageClassification(crop_size=224, resize_size=256)`` (V1 weights; V2 use
232): resize the shorter side with antialiased bilinear interpolation (the longer side to
``int(resize * long / short)``), crop the centre ``crop x crop``, scale to ``[0, 1]``, and
normalise each channel with ImageNet's mean and standard deviation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._validation import check_positive_int
from ..data import Normalize
from ..data.image_folder import resize
from ..imageio import read_image

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
IMAGENET_NORMALIZE = Normalize(IMAGENET_MEAN, IMAGENET_STD)


def read_rgb(path: str | Path) -> np.ndarray:
    """An image file as ``(3, H, W)`` float32 in ``[0, 1]``.

    Any format Pillow reads (JPEG, PNG, GIF's first frame, WebP, ...); greyscale is
    repeated into three channels and transparency is dropped.
    """
    return np.moveaxis(read_image(path, color="rgb"), -1, 0)


def resize_shorter(image: np.ndarray, size: int) -> np.ndarray:
    """Resize ``(C, H, W)`` so that its shorter side is ``size``, keeping the aspect ratio.

    >>> resize_shorter(np.zeros((3, 300, 400), np.float32), 256).shape
    (3, 256, 341)
    """
    size = check_positive_int("size", size)
    _, height, width = image.shape
    if height <= width:
        shape = (size, int(size * width / height))
    else:
        shape = (int(size * height / width), size)
    return np.moveaxis(resize(np.moveaxis(image, 0, -1), shape), -1, 0)


def center_crop(image: np.ndarray, size: int) -> np.ndarray:
    """The centre ``size x size`` of ``(C, H, W)``, placed as torchvision places it.

    >>> center_crop(np.arange(25.0).reshape(1, 5, 5), 3)[0, 0]
    array([6., 7., 8.])
    """
    size = check_positive_int("size", size)
    _, height, width = image.shape
    if height < size or width < size:
        raise ValueError(
            f"The image is smaller than the crop. Received: image of {height}x{width}, size={size}."
        )
    top, left = int(round((height - size) / 2.0)), int(round((width - size) / 2.0))
    return image[:, top : top + size, left : left + size]


def imagenet_input(image: np.ndarray, resize: int = 256, crop: int = 224) -> np.ndarray:
    """A ``(3, H, W)`` image in ``[0, 1]``, resized, centre-cropped: ``(3, crop, crop)``.

    The result is still in ``[0, 1]``; normalise with ``IMAGENET_NORMALIZE`` (after any
    test-time augmentation).

    >>> imagenet_input(np.ones((3, 480, 640), np.float32)).shape
    (3, 224, 224)
    """
    return center_crop(resize_shorter(image, resize), crop).astype(np.float32)
