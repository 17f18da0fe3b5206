"""The second part of ``cnnlab demo``: LeNet-5 learns the built-in ``shapes`` dataset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.console import Console

from ..data import Dataset, shapes
from ..jobs import TrainResult, train_classifier
from ..viz import image_grid


def split(count: int, seed: int) -> tuple[Dataset, Dataset]:
    """The demo's training and test sets: ``count`` shapes, then a sixth as many more."""
    data = shapes(count + count // 6, size=28, rng=seed)
    return data[np.arange(count)], data[np.arange(count, len(data))]


def training_tour(
    out_dir: str | Path,
    epochs: int = 6,
    count: int = 6000,
    seed: int = 0,
    console: Console | None = None,
    quiet: bool = False,
    data: tuple[Dataset, Dataset] | None = None,
) -> TrainResult:
    """Train LeNet-5 on ``count`` drawn shapes and test it on a sixth as many new ones.

    ``data`` gives the ``(train, test)`` pair of `split` when the caller already has it.

    Besides what `train_classifier` writes, ``predictions.png`` shows sixteen test images
    with the true and the predicted class.
    """
    console = console or Console()
    train, test = data or split(count, seed)
    result = train_classifier(
        (train, test), model="lenet5", epochs=epochs, seed=seed, out=out_dir,
        overwrite=True, quiet=quiet, console=console,  # the tour rewrites its own folder
    )  # fmt: skip
    sample = test[np.arange(16)]
    probabilities = result.trained.predict_proba(sample.images)
    pictures = {}
    for index, (image, label, row) in enumerate(
        zip(sample.images, sample.labels, probabilities, strict=True)
    ):
        guess = int(np.argmax(row))
        mark = "" if guess == label else "  (wrong)"
        title = f"{index}: {test.classes[guess]} {row[guess]:.0%}{mark}"
        pictures[title] = image[0]
    result.files["predictions"] = image_grid(
        pictures, Path(out_dir) / "predictions.png", columns=8,
        title="Test images and LeNet-5's guesses", colorbar=False,
    )  # fmt: skip
    return result
