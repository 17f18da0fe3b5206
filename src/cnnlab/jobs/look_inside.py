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
from .model_files import is_factory, is_torch_file, load_factory, load_torch_file
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


def resolve_model(
    spec: str | Path, input_shape: tuple[int, ...] | None = None, architecture: str | None = None
) -> NamedModel:
    """A model in one of the `MODEL_FORMS`, with its input shape.

    ``architecture`` names the zoo architecture of a torch ``.pth`` file; ``input_shape``
    overrides the form's own (and is needed by a factory that does not say it).
    """
    name = str(spec)
    for _, matches, load in MODEL_FORMS:
        if matches(name):
            return load(name, input_shape, architecture)
    hint = closest_names(name, ARCHITECTURES)
    suggestion = f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""
    raise ValueError(
        f"MODEL must be one of {', '.join(repr(a) for a in ARCHITECTURES)}{suggestion}, or "
        f"{', or '.join(form for form, _, _ in MODEL_FORMS[1:])}. {received(model=name)}"
    )


def _zoo(name: str, input_shape, architecture) -> NamedModel:
    shape = tuple(input_shape or DEFAULT_INPUTS.get(name, IMAGENET_INPUT))
    model = build_model(name, in_channels=shape[0], input_size=shape[-1], rng=0)
    return NamedModel(model, shape, name)


def _trained(name: str, input_shape, architecture) -> NamedModel:
    trained = load_model_file(name)
    shape = tuple(input_shape or trained.input_shape)
    return NamedModel(trained.model, shape, f"{trained.architecture} from {name}", trained)


def _torch_file(name: str, input_shape, architecture) -> NamedModel:
    if architecture is None and name.endswith(".safetensors"):  # the message of a
        return _trained(name, input_shape, architecture)  # model file without its JSON
    model = load_torch_file(name, architecture)
    shape = tuple(input_shape or DEFAULT_INPUTS.get(architecture, IMAGENET_INPUT))
    return NamedModel(model, shape, f"{architecture} from {name}")


def _onnx(name: str, input_shape, architecture) -> NamedModel:
    from ..export import load_onnx

    model = load_onnx(name)
    shape = input_shape or model.input_shape
    if not shape:
        raise ValueError(f"The ONNX input's size is open: give --input. {received(model=name)}")
    return NamedModel(model, tuple(shape), f"ONNX {name}")


def _is_onnx(name: str) -> bool:
    return Path(name).suffix == ".onnx"


def _factory(name: str, input_shape, architecture) -> NamedModel:
    model, shape = load_factory(name, input_shape)
    return NamedModel(model, shape, name)


# (what it is, does a MODEL argument name one, loader(name, input_shape, architecture))
MODEL_FORMS = (
    ("a zoo name", lambda name: name in ARCHITECTURES, _zoo),
    ("a Python file and a function making the model, path/to/file.py:factory", is_factory,
     _factory),
    ("an ONNX file of a CNN, model.onnx", _is_onnx, _onnx),
    ("a weights file (.pth, or .safetensors without model.json) with --model ARCH",
     is_torch_file, _torch_file),
    ("a weights file from `cnnlab train`",
     lambda name: Path(name).suffix == ".safetensors" or Path(name).exists(), _trained),
)  # fmt: skip


def estimate_summary_bytes(
    spec: str | Path, input_shape: tuple[int, ...] | None = None, batch_size: int = 1
) -> int:
    """About how many bytes ``summary(resolve_model(spec, input_shape), batch_size)`` holds.

    The weights, the input and every layer's output (float32), found without building the
    model at that size: it runs on small trial inputs, and the activations are scaled by
    the number of input pixels; a zoo model's weights by its channels and, for lenet5 and
    small_vgg, whose dense layers are sized for the input, by the pixels it is built for.

    >>> estimate_summary_bytes("lenet5", (1, 28, 28), batch_size=10**9) > 2**40
    True
    """
    name = str(spec)
    if name in ARCHITECTURES:
        shape = tuple(input_shape or DEFAULT_INPUTS.get(name, IMAGENET_INPUT))
        params, activations = _zoo_trials(name, shape)
    else:  # a file, or the message for an unknown name
        named = resolve_model(name, input_shape if is_factory(name) or _is_onnx(name) else None)
        built = named.input_shape
        shape = tuple(input_shape or built)
        table = summary(named.model, built)
        params = table.total_params
        activations = table.activation_bytes * _pixels(shape) / _pixels(built)
    return int(4 * params + batch_size * (activations + 4 * math.prod(shape)))


def _zoo_trials(name: str, shape: tuple[int, ...]) -> tuple[float, float]:
    """Weights and activation bytes per example of zoo model ``name`` built for ``shape``.

    From trial builds at the default size (64x64 for the ImageNet models), with one more
    channel when ``shape`` has other channels, and twice the side for the models whose
    dense layers grow with the input (built square, with the side ``shape[-1]``).
    """
    default = DEFAULT_INPUTS.get(name, (3, PROBE_SIDE, PROBE_SIDE))
    channels, side, dims = default[0], default[-1], len(default) - 1

    def trial(channels: int, side: int) -> tuple[int, int]:
        model = build_model(name, in_channels=channels, input_size=side, rng=0)
        table = summary(model, (channels,) + (side,) * dims)
        return table.total_params, table.activation_bytes

    params, activations = trial(channels, side)
    per_channel = trial(channels + 1, side)[0] - params if shape[0] != channels else 0
    per_pixel, pixels = 0.0, side**dims
    if name in DEFAULT_INPUTS and shape[-1] != side:
        per_pixel = max(trial(channels, 2 * side)[0] - params, 0) / (2**dims * pixels - pixels)
    built = params + per_channel * (shape[0] - channels) + per_pixel * (shape[-1] ** dims - pixels)
    return max(built, 0), activations * _pixels(shape) / pixels


def _pixels(shape: tuple[int, ...]) -> int:
    return math.prod(shape[1:])


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
    """Write the activation maps of every layer for one image, and every conv's kernels.

    ``weights`` is any MODEL form of :func:`resolve_model` with an image input: a model
    from ``cnnlab train`` brings its classes and normalisation; any other (``model.onnx``,
    a zoo name, ``file.py:factory``) sees the image in [0, 1], its outputs numbered.
    """
    named = resolve_model(weights)
    trained = named.trained
    if len(named.input_shape) != 3:
        raise ValueError(
            f"`show` draws image models, whose input is (channels, height, width). "
            f"{received(model=str(weights), input_shape=named.input_shape)}"
        )
    channels, height, width = named.input_shape
    picture = resize(read_image(image, color="gray" if channels == 1 else "rgb"), (height, width))
    x = picture[None, None] if picture.ndim == 2 else np.moveaxis(picture, -1, 0)[None]
    x = x.astype(np.float32)
    if trained is not None:
        x = trained.normalize(x)
    model = named.model
    out = Path(out)
    maps = activation_maps_per_layer(labelled_activations(model, x), out / "activations")
    kernels = []
    for name, module in model.named_modules():
        if isinstance(module, (Conv1d, Conv2d)):
            path = out / "kernels" / f"{name.replace('.', '_')}.png"
            title = f"layer {name}: {module.short_repr()}"
            kernels.append(conv_kernels(module.weight.data, path, title=title))
    probabilities = predict_proba(model, x)[0]
    best = int(np.argmax(probabilities))
    top = trained.classes[best] if trained is not None else f"output {best}"
    return Shown(maps, kernels, top, float(probabilities[best]))
