"""``cnnlab predict``: the top classes of image files, with a model from ``cnnlab train``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._validation import check_choice, check_positive_int
from ..data.image_folder import resize
from ..imageio import read_image
from .bundle import TrainedModel, description_path, load_trained

ON_ERROR = ("raise", "keep")


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


@dataclass(frozen=True)
class Unreadable:
    """An image that could not be classified, and why (the reason names the file)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return self.reason


def load_model_file(weights: str | Path) -> TrainedModel:
    """`load_trained`, with a pointer to the model when handed a training checkpoint.

    ``cnnlab train`` writes ``checkpoint.safetensors`` (what ``--resume`` reads) beside
    ``model.safetensors`` and its ``model.json``; only the latter pair is a model. Handed
    the folder itself, it names the model file inside.
    """
    path = Path(weights)
    if path.is_dir():
        inside = path / "model.safetensors"
        hint = f": pass {inside}" if inside.is_file() else ""
        raise IsADirectoryError(f"Expected a weights file but found a folder, {path}{hint}.")
    model = path.with_name("model.safetensors")
    if path.is_file() and not description_path(path).exists() and path != model:
        if model.is_file() and description_path(model).is_file():
            raise ValueError(
                f"{path} is not a model that `cnnlab train` finished (it has no "
                f"{description_path(path).name} beside it): pass the model.safetensors of "
                f"that folder, {model}."
            )
    return load_trained(path)


def predict_images(
    weights: str | Path, images: Sequence[str | Path], top: int = 1, on_error: str = "raise"
) -> list[Prediction | Unreadable]:
    """Classify image files with the model saved at ``weights`` by ``cnnlab train``.

    Each image is read in the model's colour (gray or RGB), resized to its input size,
    and normalised as in training. An image that cannot be read raises its error
    (``on_error="raise"``) or comes back as an `Unreadable` in its place (``"keep"``),
    so that the others are still classified.
    """
    top = check_positive_int("top", top)
    on_error = check_choice("on_error", on_error, ON_ERROR)
    trained = load_model_file(weights)
    channels, height, width = trained.input_shape
    color = "gray" if channels == 1 else "rgb"
    pictures: dict[int, np.ndarray] = {}
    results: dict[int, Prediction | Unreadable] = {}
    for i, path in enumerate(images):
        try:
            image = resize(read_image(path, color=color), (height, width))
        except (OSError, ValueError) as error:
            if on_error == "raise":
                raise
            results[i] = Unreadable(Path(path), str(error))
            continue
        pictures[i] = image[None] if image.ndim == 2 else np.moveaxis(image, -1, 0)
    if pictures:
        probabilities = trained.predict_proba(np.stack(list(pictures.values())).astype(np.float32))
        for i, row in zip(pictures, probabilities, strict=True):
            order = np.argsort(row)[::-1][: min(top, len(row))]
            results[i] = Prediction(
                Path(images[i]),
                tuple(trained.classes[c] for c in order),
                tuple(float(row[c]) for c in order),
            )  # fmt: skip
    return [results[i] for i in range(len(images))]
