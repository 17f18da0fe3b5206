"""Datasets by name, as ``cnnlab train DATASET`` names them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._validation import check_choice, check_positive_int, received
from ..data import (
    Dataset,
    load_cifar10,
    load_fashion_mnist,
    load_image_folder,
    load_mnist,
    shapes,
)

LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist, "cifar10": load_cifar10}
DATASETS = ("shapes", *LOADERS)


def load_dataset(
    name: str | Path, size: int | None = None, seed: int = 0, shapes_count: int = 6000
) -> tuple[Dataset, Dataset]:
    """``(train, test)`` for a dataset name or an image folder.

    ``shapes`` is drawn by cnnlab (``shapes_count`` training images and a sixth as many
    test images, each ``size`` pixels, 28 by default); ``mnist``, ``fashion-mnist`` and
    ``cifar10`` are downloaded once into the cache (their images have their own size, so
    ``size`` must be ``None``); a folder path is read with `load_image_folder` (one
    sub-folder per class, resized to ``size``) and split 80/20.

    Examples
    --------
    >>> train, test = load_dataset("shapes", shapes_count=60)
    >>> len(train), len(test), train.sample_shape
    (60, 10, (1, 28, 28))
    """
    path = Path(str(name))
    pixels = 28 if size is None else check_positive_int("size", size)
    if str(name) not in DATASETS and path.is_dir():
        data = load_image_folder(path, size=pixels)
        return data.split(0.8, rng=seed)
    name = check_choice("dataset", str(name), DATASETS)
    if name == "shapes":
        data = shapes(shapes_count + shapes_count // 6, size=pixels, rng=seed)
        return data[np.arange(shapes_count)], data[np.arange(shapes_count, len(data))]
    if size is not None:
        raise ValueError(
            f"`size` sets the images of shapes and of image folders; {name} has its own "
            f"size. {received(size=size)}"
        )
    return LOADERS[name]("train"), LOADERS[name]("test")
