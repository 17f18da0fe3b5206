"""A dataset from a folder of images, one sub-folder per class (torchvision's ImageFolder)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .._validation import check_choice, check_int_tuple, received
from ..imageio import read_image
from ._memory import check_fits_in_memory
from .dataset import Dataset


def load_image_folder(
    path: str | Path, size: int | tuple[int, int] = (28, 28), color: str = "gray"
) -> Dataset:
    """Read ``path/<class>/<image>`` files into a :class:`Dataset`.

    The sorted names of the sub-folders are the classes. Every file below a class folder
    (sub-folders included; hidden files excepted) that Pillow reads becomes one image,
    resized to ``size``; files that cannot be read are skipped and named in one warning.

    Parameters
    ----------
    path : str or Path
        The folder holding one sub-folder per class.
    size : int or (int, int)
        Height and width of the images in the dataset.
    color : {"gray", "rgb"}
        One channel or three.

    Returns
    -------
    Dataset
        Images ``(N, 1 or 3, H, W)`` float32 in ``[0, 1]``, labels, and the class names.

    Examples
    --------
    >>> import os, tempfile
    >>> from cnnlab.imageio import write_image
    >>> root = tempfile.mkdtemp()
    >>> for name in ("cat", "dog"):
    ...     write_image(os.path.join(root, name, "1.png"), np.full((40, 30), 0.5))
    >>> data = load_image_folder(root, size=(8, 8))
    >>> data.images.shape, data.classes
    ((2, 1, 8, 8), ('cat', 'dog'))
    """
    height, width = check_int_tuple("size", size, 2)
    color = check_choice("color", color, ("gray", "rgb"))
    root = Path(path)
    if not root.is_dir():
        raise NotADirectoryError(
            f"`path` must be a folder of class folders. {received(path=str(path))}"
        )
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not classes:
        raise ValueError(
            f"`path` must hold one sub-folder per class (e.g. {root / 'cat'}), but it has no "
            f"sub-folders. {received(path=str(path))}"
        )
    files = [
        (label, file)
        for label, name in enumerate(classes)
        for file in sorted((root / name).rglob("*"))
        if file.is_file() and not any(p.startswith(".") for p in file.relative_to(root).parts)
    ]
    check_fits_in_memory(  # the resized images, then their stacked copy
        2 * len(files) * height * width * (1 if color == "gray" else 3) * 4,
        f"{len(files)} images of {height}x{width} pixels",
        size=size,
    )
    images, labels, unreadable = [], [], []
    for label, file in files:
        try:
            pixels = read_image(file, color=color)
        except ValueError:
            unreadable.append(str(file.relative_to(root)))
            continue
        images.append(resize(pixels, (height, width)))
        labels.append(label)
    if unreadable:
        warnings.warn(
            f"Skipped {len(unreadable)} file(s) in {root} that are not images Pillow reads: "
            + ", ".join(unreadable),
            stacklevel=2,
        )
    if not images:
        raise ValueError(f"No readable image in the class folders {', '.join(classes)} of {root}.")
    stacked = np.stack(images)  # (N, H, W) or (N, H, W, 3)
    stacked = stacked[:, None] if stacked.ndim == 3 else stacked.transpose(0, 3, 1, 2)
    return Dataset(stacked, np.array(labels, dtype=np.int64), tuple(classes))


def resize(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize an ``(H, W)`` or ``(H, W, C)`` image by separable linear interpolation.

    When shrinking, the triangle filter is widened by the shrink factor (as Pillow's
    bilinear filter does), so every input pixel contributes and fine detail does not alias.

    >>> resize(np.arange(4.0).reshape(2, 2), (4, 4)).shape
    (4, 4)
    """
    rows, cols = _weights(image.shape[0], size[0]), _weights(image.shape[1], size[1])
    out = np.tensordot(rows, image, axes=(1, 0))  # (h, W[, C])
    out = np.tensordot(cols, out, axes=(1, 1))  # (w, h[, C])
    return np.swapaxes(out, 0, 1).astype(np.float32)


def _weights(n_in: int, n_out: int) -> np.ndarray:
    """The ``(n_out, n_in)`` matrix of triangle-filter weights, each row summing to 1."""
    scale = n_in / n_out
    support = max(scale, 1.0)  # half-width of the triangle, in input pixels
    centres = (np.arange(n_out) + 0.5) * scale - 0.5  # output pixel centres on the input grid
    distance = np.abs(np.arange(n_in)[None, :] - centres[:, None]) / support
    weights = np.clip(1.0 - distance, 0.0, None)
    return weights / weights.sum(axis=1, keepdims=True)
