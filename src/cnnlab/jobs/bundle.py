"""A trained model on disk: weights (``.safetensors``) plus a JSON description beside them.

The JSON holds what is needed to use the weights again: the architecture and its
arguments, the class names, the input shape and the input normalisation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..data import Normalize
from ..models import build_model
from ..nn import Module
from ..serialization import load_weights, save, write_atomically
from ..train import predict_proba
from ..weights import WeightsFileError
from ..weights.errors import one_line
from .description import FORMAT, LARGEST_DESCRIPTION, VERSION, check_description


@dataclass
class TrainedModel:
    """A network, the classes it tells apart and how its inputs are normalised."""

    model: Module
    architecture: str
    arguments: dict[str, Any]
    classes: tuple[str, ...]
    input_shape: tuple[int, ...]
    normalize: Normalize
    extra: dict[str, Any] = field(default_factory=dict)

    def predict_proba(self, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Class probabilities ``(N, classes)`` for raw images ``(N, C, H, W)`` in [0, 1]."""
        return predict_proba(self.model, self.normalize(images), batch_size=batch_size)

    def description(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "architecture": self.architecture,
            "arguments": self.arguments,
            "classes": list(self.classes),
            "input_shape": list(self.input_shape),
            "normalize": {"mean": list(self.normalize.mean), "std": list(self.normalize.std)},
            **self.extra,
        }


def description_path(weights: str | Path) -> Path:
    return Path(weights).with_suffix(".json")


def save_trained(trained: TrainedModel, weights: str | Path) -> tuple[Path, Path]:
    """Write ``weights`` (.safetensors) and its description (same name, ``.json``)."""
    weights = Path(weights)
    save(trained.model, weights, metadata={"architecture": trained.architecture})
    text = json.dumps(trained.description(), indent=2) + "\n"
    write_atomically(description_path(weights), text.encode())
    return weights, description_path(weights)


def load_trained(weights: str | Path) -> TrainedModel:
    """Read a model written by `save_trained` (or ``cnnlab train``).

    Raises ``FileNotFoundError`` when the weights or their JSON are missing and
    ``WeightsFileError`` (a ``ValueError``) when the JSON is not a valid cnnlab model
    description (every field is checked before the model is built; see
    ``cnnlab.jobs.description``) or the weights are damaged or do not match it.
    """
    weights = Path(weights)
    if not weights.exists():
        raise FileNotFoundError(f"No such weights file: {weights}")
    described = description_path(weights)
    if not described.exists():
        raise FileNotFoundError(
            f"The weights {weights} have no description beside them (expected {described}, "
            "written by `cnnlab train`)."
        )
    if described.stat().st_size > LARGEST_DESCRIPTION:
        raise WeightsFileError(
            f"{described}: {described.stat().st_size:,} bytes is too large for a model "
            f"description (at most {LARGEST_DESCRIPTION:,})."
        )
    try:
        info = json.loads(described.read_bytes().decode("utf-8"))
    except (ValueError, RecursionError) as error:  # JSON and UTF-8 errors are ValueErrors
        raise WeightsFileError(f"{described} is not valid JSON: {one_line(error)}") from error
    check_description(info, described, weights)
    model = build_model(info["architecture"], **info["arguments"])
    load_weights(model, weights)
    model.eval()
    known = {"format", "version", "architecture", "arguments", "classes", "input_shape",
             "normalize"}  # fmt: skip
    return TrainedModel(
        model=model,
        architecture=info["architecture"],
        arguments=dict(info["arguments"]),
        classes=tuple(info["classes"]),
        input_shape=tuple(info["input_shape"]),
        normalize=Normalize(info["normalize"]["mean"], info["normalize"]["std"]),
        extra={k: v for k, v in info.items() if k not in known},
    )
