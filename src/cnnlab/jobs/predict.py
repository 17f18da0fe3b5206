"""``cnnlab predict``: the top classes of image files, with a model from ``cnnlab train``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._validation import check_positive_int
from ..data.image_folder import resize
from ..imageio import read_image
from .bundle import load_trained


@dataclass(frozen=True)
class Prediction:
    """The ``top`` classes of one image, most probable first."""

    path: Path
    classes: tuple[str, ...]
    probabilities: tuple[float, ...]

    def __str__(self) -> str:
        best = f"{self.path}: {self.classes[0]} ({self.probabilities[0]:.1%})"
        others = ", ".join(
            f"{c} {p:.1%}" for c, p in zip(self.classes[1:], self.probabilities[1:], strict=True)
        )
        return best + (f"; then {others}" if others else "")


def predict_images(
    weights: str | Path, images: Sequence[str | Path], top: int = 1
) -> list[Prediction]:
    """Classify image files with the model saved at ``weights`` by ``cnnlab train``.

    Each image is read in the model's colour (gray or RGB), resized to its input size,
    and normalised as in training.
    """
    top = check_positive_int("top", top)
    trained = load_trained(weights)
    channels, height, width = trained.input_shape
    color = "gray" if channels == 1 else "rgb"
    batch = []
    for path in images:
        image = resize(read_image(path, color=color), (height, width))
        batch.append(image[None] if image.ndim == 2 else np.moveaxis(image, -1, 0))
    probabilities = trained.predict_proba(np.stack(batch).astype(np.float32))
    predictions = []
    for path, row in zip(images, probabilities, strict=True):
        order = np.argsort(row)[::-1][: min(top, len(row))]
        predictions.append(
            Prediction(
                Path(path),
                tuple(trained.classes[i] for i in order),
                tuple(float(row[i]) for i in order),
            )  # fmt: skip
        )
    return predictions
