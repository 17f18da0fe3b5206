"""``cnnlab summary``, ``show`` and ``draw``: a network by name or from its weights, seen inside."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._validation import closest_names, received
from ..data.image_folder import resize
from ..imageio import read_image
from ..inspect import capture_activations
from ..models import ARCHITECTURES, build_model
from ..nn import Conv1d, Conv2d, Module
from ..train import predict_proba
from ..viz import activation_maps_per_layer, conv_kernels
from .bundle import TrainedModel
from .predict import load_model_file

DEFAULT_INPUTS = {"lenet5": (1, 28, 28), "small_vgg": (3, 32, 32)}
IMAGENET_INPUT = (3, 224, 224)  # every other architecture of the zoo


def parse_shape(text: str) -> tuple[int, ...]:
    """``"1x28x28"`` (or ``"1,28,28"``) as ``(1, 28, 28)``.

    >>> parse_shape("3x32x32")
    (3, 32, 32)
    """
    parts = text.replace(",", "x").lower().split("x")
    try:
        shape = tuple(int(p) for p in parts)
    except ValueError:
        shape = ()
    if not shape or min(shape) < 1:
        raise ValueError(f"An input shape is written like 1x28x28. {received(input=text)}")
    return shape


@dataclass
class NamedModel:
    """A model, the input shape it takes, and where it came from."""

    model: Module
    input_shape: tuple[int, ...]
    label: str
    trained: TrainedModel | None = None


def resolve_model(spec: str | Path, input_shape: tuple[int, ...] | None = None) -> NamedModel:
    """A zoo name (``lenet5``, ``small_vgg``) or a weights file written by ``cnnlab train``."""
    name = str(spec)
    if name in ARCHITECTURES:
        shape = tuple(input_shape or DEFAULT_INPUTS.get(name, IMAGENET_INPUT))
        model = build_model(name, in_channels=shape[0], input_size=shape[-1], rng=0)
        return NamedModel(model, shape, name)
    if Path(name).suffix == ".safetensors" or Path(name).exists():
        trained = load_model_file(name)
        shape = tuple(input_shape or trained.input_shape)
        return NamedModel(trained.model, shape, f"{trained.architecture} from {name}", trained)
    hint = closest_names(name, ARCHITECTURES)
    suggestion = f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""
    raise ValueError(
        f"MODEL must be one of {', '.join(repr(a) for a in ARCHITECTURES)}{suggestion} or a "
        f"weights file from `cnnlab train`. {received(model=name)}"
    )


def labelled_activations(model: Module, x: np.ndarray) -> dict[str, np.ndarray]:
    """Every layer's output for ``x``, keyed ``"3 Conv2d(6 -> 16, kernel_size=5)"``."""
    modules = dict(model.named_modules())
    return {
        f"{name} {modules[name].short_repr()}": value
        for name, value in capture_activations(model, x).items()
    }


@dataclass
class Shown:
    """What `show_network` wrote and found."""

    activation_maps: list[Path]
    kernels: list[Path]
    top_class: str
    probability: float


def show_network(weights: str | Path, image: str | Path, out: str | Path) -> Shown:
    """Write the activation maps of every layer for one image, and every conv's kernels."""
    trained = load_model_file(weights)
    channels, height, width = trained.input_shape
    picture = resize(read_image(image, color="gray" if channels == 1 else "rgb"), (height, width))
    x = picture[None, None] if picture.ndim == 2 else np.moveaxis(picture, -1, 0)[None]
    x = trained.normalize(x.astype(np.float32))
    out = Path(out)
    maps = activation_maps_per_layer(labelled_activations(trained.model, x), out / "activations")
    kernels = []
    for name, module in trained.model.named_modules():
        if isinstance(module, (Conv1d, Conv2d)):
            path = out / "kernels" / f"{name.replace('.', '_')}.png"
            title = f"layer {name}: {module.short_repr()}"
            kernels.append(conv_kernels(module.weight.data, path, title=title))
    probabilities = predict_proba(trained.model, x)[0]
    best = int(np.argmax(probabilities))
    return Shown(maps, kernels, trained.classes[best], float(probabilities[best]))
