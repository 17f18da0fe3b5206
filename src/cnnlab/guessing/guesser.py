"""Guessing what an image shows, in the words of the ResNeXt guesser bot.

A :class:`Guesser` holds a network, its class names and its input preparation; it is
made from a known ImageNet weights name (downloaded once into the cache), from a weights
file for an architecture (``.pth`` or ``.safetensors``, ImageNet's 1000 classes), or from
a model written by ``cnnlab train`` (``model.safetensors`` with ``model.json`` beside it),
which brings its own classes, input size and normalisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import check_array, check_positive_int
from ..data import Normalize
from ..data.image_folder import resize
from ..jobs import load_trained
from ..jobs.bundle import description_path
from ..models import build_model
from ..nn import Module
from ..train import predict_proba
from ..weights import KNOWN_WEIGHTS, fetch_weights, load_state_into
from .classes import imagenet_classes
from .preprocess import IMAGENET_NORMALIZE, imagenet_input, read_rgb
from .tta import describe, views

GREY_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)


@dataclass(frozen=True)
class Guess:
    """The most probable classes of one image, best first, and how they were found.

    >>> print(Guess("pong.jpg", ("ping-pong ball", "torch"), (0.99999, 0.00001)))
    Image prediction: ping-pong ball
    Confidence: 100.0%
    top 2 guesses:
    ping-pong ball [ 1.000 ]
    torch [ 0.000 ]
    """

    source: str
    labels: tuple[str, ...]
    probabilities: tuple[float, ...]
    views: int = 1

    @property
    def label(self) -> str:
        return self.labels[0]

    @property
    def confidence(self) -> float:
        return self.probabilities[0]

    def __str__(self) -> str:
        # the bot's words and rounding: str(round(p * 100, 2)), so 100.0% and 87.65%
        lines = [
            f"Image prediction: {self.label}",
            f"Confidence: {round(self.confidence * 100, 2)}%",
        ]
        if self.views > 1:
            lines.append(describe(self.views))
        if len(self.labels) > 1:
            lines.append(f"top {len(self.labels)} guesses:")
            lines += [
                f"{n} [ {p:.3f} ]" for n, p in zip(self.labels, self.probabilities, strict=True)
            ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "image": self.source,
            "prediction": self.label,
            "confidence": self.confidence,
            "top": [
                {"label": n, "probability": p}
                for n, p in zip(self.labels, self.probabilities, strict=True)
            ],
            "views": self.views,
        }


@dataclass
class Guesser:
    """A network ready to guess: its classes, and ``prepare`` from ``(3, H, W)`` in [0, 1]."""

    model: Module
    classes: tuple[str, ...]
    normalize: Normalize
    channels: int = 3
    size: tuple[int, int] | None = None  # trained models: resize straight to this
    resize: int = 256  # ImageNet models: shorter side, then centre crop
    crop: int = 224

    @classmethod
    def load(cls, model: str = "resnext50_32x4d", weights: str | Path | None = None) -> Guesser:
        """The guesser for ``model`` with ``weights``; see :func:`guess` for both.

        A model from ``cnnlab train`` brings its own architecture, so ``model`` is unused.
        """
        if weights is None or str(weights) in KNOWN_WEIGHTS:
            entry = KNOWN_WEIGHTS.get(str(weights or model))
            if entry is None:
                raise ValueError(
                    f"There are no known ImageNet weights for {model}: pass a weights file. "
                    f"Known: {', '.join(KNOWN_WEIGHTS)}. Received: model={model!r}."
                )
            path = fetch_weights(entry.name)
            network = load_state_into(build_model(entry.architecture), path).eval()
            return cls(network, imagenet_classes(), IMAGENET_NORMALIZE, resize=entry.resize)
        path = Path(weights)
        if description_path(path).exists() and path.suffix == ".safetensors":
            trained = load_trained(path)
            channels, height, width = trained.input_shape
            return cls(trained.model, trained.classes, trained.normalize, channels, (height, width))
        network = load_state_into(build_model(model), path).eval()
        known = [w for w in KNOWN_WEIGHTS.values() if w.file == path.name]
        return cls(
            network,
            imagenet_classes(),
            IMAGENET_NORMALIZE,
            resize=known[0].resize if known else 256,
        )

    def prepare(self, image: np.ndarray) -> np.ndarray:
        """The network's input ``(C, H, W)`` in [0, 1], before normalisation."""
        if self.size is None:
            return imagenet_input(image, self.resize, self.crop)
        if self.channels == 1:  # Pillow's "L": what `cnnlab predict` reads for grey models
            image = np.tensordot(GREY_WEIGHTS, image, axes=(0, 0))[None]
        return np.moveaxis(resize(np.moveaxis(image, 0, -1), self.size), -1, 0)

    def guess(self, image: str | Path | np.ndarray, top: int = 5, tta: bool = False) -> Guess:
        """Guess what ``image`` (a file, or ``(H, W[, 3])`` in [0, 1]) shows."""
        top = check_positive_int("top", top)
        if isinstance(image, np.ndarray):
            source, pixels = "array", _rgb_array(image)
        else:
            source, pixels = str(image), read_rgb(image)
        prepared = self.prepare(pixels).astype(np.float32)
        batch = views(prepared) if tta else prepared[None]
        probabilities = predict_proba(self.model, self.normalize(batch), batch_size=16).mean(0)
        if len(probabilities) != len(self.classes):
            raise ValueError(
                f"The network has {len(probabilities)} outputs but {len(self.classes)} class "
                "names: pass the weights of a model with as many classes."
            )
        order = np.argsort(probabilities, kind="stable")[::-1][:top]
        return Guess(
            source,
            tuple(self.classes[i] for i in order),
            tuple(float(probabilities[i]) for i in order),
            len(batch),
        )


def _rgb_array(image: np.ndarray) -> np.ndarray:
    image = check_array("image", image, ndim=(2, 3), allow_complex=False).astype(np.float32)
    if image.ndim == 2:
        image = image[:, :, None]
    return np.moveaxis(np.broadcast_to(image[:, :, :3], (*image.shape[:2], 3)), -1, 0)


def guess(
    image: str | Path | np.ndarray,
    model: str = "resnext50_32x4d",
    weights: str | Path | None = None,
    top: int = 5,
    tta: bool = False,
) -> Guess:
    """Guess what an image shows: ``Image prediction: ping-pong ball / Confidence: 100.0%``.

    Parameters
    ----------
    image : str, Path or ndarray
        An image file (JPEG, PNG, GIF, WebP, ...; any size, colour or grey), or an array
        ``(H, W)`` / ``(H, W, 3)`` in ``[0, 1]``.
    model : str
        The architecture (``resnext50_32x4d``, ``resnet18``, ...).
    weights : str or Path, optional
        A known weights name (``cnnlab weights list``), a ``.pth`` / ``.safetensors`` file
        for ``model``, or a ``model.safetensors`` from ``cnnlab train``. By default the
        best known ImageNet weights of ``model`` (torchvision's V2 for ResNeXt-50; the
        bot used ``resnext50_32x4d.v1``), downloaded once.
    top : int
        How many classes to keep.
    tta : bool
        Average the class probabilities over test-time views (see ``cnnlab.guessing.tta``).

    Returns
    -------
    Guess
        ``str(result)`` is the bot's text.
    """
    return Guesser.load(model, weights).guess(image, top=top, tta=tta)
