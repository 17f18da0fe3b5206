"""What the explorer needs to know about a model: classes, input preparation, examples.

A model comes as any MODEL form of :func:`cnnlab.jobs.resolve_model`, or as a ``Module``
with its input shape. A model from ``cnnlab train`` brings its classes and normalisation;
a network with 1000 outputs on RGB input is taken for an ImageNet one (its class names,
ImageNet's normalisation); any other gets its outputs numbered and no normalisation.
Without a MODEL it is the LeNet-5 that ``cnnlab demo`` trains, trained first if missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._validation import received
from ..data import Normalize
from ..data.demo_image import demo_image
from ..data.image_folder import resize
from ..data.shapes import shapes
from ..inspect import Summary, summary
from ..jobs.look_inside import NamedModel, resolve_model
from ..nn import Module

DEMO_FOLDER = Path("cnnlab-demo")  # where `cnnlab demo` writes its model
SHAPE_CLASSES = ("circle", "square", "triangle", "cross", "ring")  # the demo's dataset
EXAMPLE_SEED = 2026  # test pictures drawn anew, never the training set's
POOL6X6 = np.array(
    [[1, 0, 0, 0, 0, 1], [0, 1, 6, 0, 1, 6], [3, 0, 1, 1, 0, 0],
     [1, 0, 3, 0, 1, 0], [0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 1, 0]], dtype=np.float32,
)  # fmt: skip  # the lecture's pooling example; its 2x2 max pooling is [[1,6,6],[3,3,1],[1,1,1]]


@dataclass
class Example:
    """A built-in input: its label and the image ``(C, H, W)`` in [0, 1]."""

    label: str
    image: np.ndarray


@dataclass
class Loaded:
    """A model ready to explore."""

    model: Module
    input_shape: tuple[int, ...]
    name: str
    classes: tuple[str, ...]
    normalize: Normalize | None
    imagenet: bool = False
    table: Summary | None = None  # ``summary`` of the model at its input shape
    examples: dict[str, Example] = field(default_factory=dict)

    @property
    def ink_is_bright(self) -> bool:
        """A drawing's ink is bright (MNIST, the demo's shapes) or dark (paper, photos)."""
        pictures = [e.image for k, e in self.examples.items() if k.startswith("test-")]
        if pictures:
            borders = np.concatenate([np.r_[p[:, 0].ravel(), p[:, -1].ravel()] for p in pictures])
            return float(np.median(borders)) < 0.5
        return self.input_shape[0] == 1 and not self.imagenet


def load(
    spec: str | Path | Module | None = None,
    input_shape: tuple[int, ...] | None = None,
    architecture: str | None = None,
    console=None,
) -> Loaded:
    """The model named by ``spec`` (see the module notes), with its examples."""
    if isinstance(spec, Module):
        if input_shape is None:
            input_shape = getattr(spec, "input_shape", None)
        if input_shape is None:
            raise ValueError(
                "A model passed as a Module needs its input shape: explore(model, "
                "input_shape=(1, 28, 28)), or an `input_shape` attribute on the model."
            )
        named = NamedModel(spec, tuple(input_shape), type(spec).__name__)
    else:
        named = resolve_model(spec if spec is not None else demo_model(console), input_shape,
                              architecture)  # fmt: skip
    loaded = _describe(named)
    loaded.examples = _examples(loaded)
    return loaded


def demo_model(console=None) -> Path:
    """``cnnlab-demo/model.safetensors``, trained as ``cnnlab demo`` trains it if missing."""
    weights = DEMO_FOLDER / "model.safetensors"
    if not (weights.is_file() and weights.with_suffix(".json").is_file()):
        from ..tour.training import training_tour

        training_tour(DEMO_FOLDER, console=console)
    return weights


def _describe(named: NamedModel) -> Loaded:
    model, shape, label, trained = named.model, named.input_shape, named.label, named.trained
    if len(shape) not in (2, 3):
        raise ValueError(
            f"The explorer shows models of images (C, H, W) or signals (C, L): the input "
            f"shape has 3 or 2 numbers. {received(input_shape=shape)}"
        )
    table = summary(model, shape)
    if table.error or not table.rows:
        raise ValueError(f"The model does not run on an input of shape {shape}: {table.error}")
    if trained is not None:
        return Loaded(model, shape, label, tuple(trained.classes), trained.normalize, table=table)
    count = int(np.prod(table.rows[-1].output_shape[1:]))
    if count == 1000 and shape[0] == 3:
        from ..guessing.classes import imagenet_classes
        from ..guessing.preprocess import IMAGENET_NORMALIZE

        return Loaded(model, shape, label, imagenet_classes(), IMAGENET_NORMALIZE, True, table)
    return Loaded(model, shape, label, tuple(str(i) for i in range(count)), None, table=table)


def _examples(loaded: Loaded) -> dict[str, Example]:
    channels, *spatial = loaded.input_shape
    examples: dict[str, Example] = {}
    if len(spatial) != 2:
        return examples
    height, width = spatial
    if loaded.classes == SHAPE_CLASSES and channels == 1 and height == width:
        drawn = shapes(10, size=height, rng=EXAMPLE_SEED)
        for index, (image, label) in enumerate(zip(drawn.images, drawn.labels, strict=True)):
            examples[f"test-{index}"] = Example(SHAPE_CLASSES[label], image.astype(np.float32))
    picture = resize(demo_image(128), (height, width))
    examples["picture"] = Example("the built-in test picture", _channels(picture, channels))
    pool = POOL6X6[np.arange(height) * 6 // height][:, np.arange(width) * 6 // width] / 6
    examples["pool6x6"] = Example("the lecture's 6x6 pooling example", _channels(pool, channels))
    return examples


def _channels(plane: np.ndarray, channels: int) -> np.ndarray:
    """A grey ``(H, W)`` plane as ``(channels, H, W)``."""
    return np.repeat(np.clip(plane, 0, 1)[None], channels, axis=0).astype(np.float32)
