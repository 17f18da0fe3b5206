"""``cnnlab summary``, ``show`` and ``draw``: a network by name or from its weights, seen inside."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._validation import closest_names, received
from ..data.image_folder import resize
from ..imageio import read_image
from ..inspect import capture_activations, summary
from ..models import ARCHITECTURES, build_model
from ..nn import Conv1d, Conv2d, Module
from ..train import predict_proba
from ..viz import activation_maps_per_layer, conv_kernels
from .bundle import TrainedModel
from .predict import load_model_file

DEFAULT_INPUTS = {"lenet5": (1, 28, 28), "small_vgg": (3, 32, 32)}
IMAGENET_INPUT = (3, 224, 224)  # every other architecture of the zoo
PROBE_SIDE = 64  # side of the trial input of `estimate_summary_bytes` for ImageNet models


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


def estimate_summary_bytes(
    spec: str | Path, input_shape: tuple[int, ...] | None = None, batch_size: int = 1
) -> int:
    """About how many bytes ``summary(resolve_model(spec, input_shape), batch_size)`` holds.

    The weights, the input and every layer's output (float32), without building the model
    at that size: the model runs on one small trial input (two for lenet5 and small_vgg,
    whose dense layers grow with the input) and the activations are scaled by the number
    of input samples, the weights by a straight line through the trials.

    >>> estimate_summary_bytes("lenet5", (1, 28, 28), batch_size=10**9) > 2**40
    True
    """
    name = str(spec)
    shape = tuple(input_shape) if input_shape else None
    if name in ARCHITECTURES:
        channels = (shape or DEFAULT_INPUTS.get(name, IMAGENET_INPUT))[0]
        default = DEFAULT_INPUTS.get(name, (channels, PROBE_SIDE, PROBE_SIDE))
        sides = [default[-1], 2 * default[-1]] if name in DEFAULT_INPUTS else [default[-1]]
        probes = [
            ((channels,) + (side,) * (len(default) - 1), build_model(
                name, in_channels=channels, input_size=side, rng=0))
            for side in sides
        ]  # fmt: skip
    else:
        trained = load_model_file(name)
        probes = [(trained.input_shape, trained.model)]
    shape = shape or probes[0][0]
    points = []
    for probe_shape, model in probes:
        table = summary(model, probe_shape)
        points.append((math.prod(probe_shape), table.total_params, table.activation_bytes))
    size = math.prod(shape)
    (n0, params0, activations0), (n1, params1, _) = points[0], points[-1]
    params = params0 + max(params1 - params0, 0) * (size - n0) / (n1 - n0) if n1 > n0 else params0
    per_example = activations0 * size / n0 + size * 4
    return int(max(params, params0) * 4 + batch_size * per_example)


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
