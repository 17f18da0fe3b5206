"""Checking a model's description (``model.json``) whole, before anything is built.

The description says which network to build for the weights beside it. It may come from
anywhere, so every field is checked for its type and range, the fields against each other
(as many class names as outputs, the input's channels and size as the arguments say), and
the size arguments against the weights file's header, which lists every tensor's shape
without reading any data: a model with ``num_classes`` outputs must find a tensor with as
many rows there, one with ``in_channels`` inputs a tensor with as many columns. So a
description cannot make cnnlab build a network far larger than the weights it comes with.
Each problem is one :class:`~cnnlab.weights.WeightsFileError` line naming the file.
"""

from __future__ import annotations

import inspect
import math
from pathlib import Path
from typing import Any

from ..models.registry import ARCHITECTURES
from ..weights import WeightsFileError
from ..weights.errors import short_repr
from ..weights.safetensors_file import read_header

FORMAT = "cnnlab-model"
VERSION = 1
LARGEST_DESCRIPTION = 16 << 20  # bytes of JSON; 100,000 class names take about 2 MB
MOST_CLASSES = 100_000
MOST_CHANNELS = 1024
INPUT_SIZE_FACTOR = 8  # input_size at most this times the architecture's default
LONGEST_CLASS_NAME = 1000


def check_description(info: Any, described: Path, weights: Path) -> None:
    """Check every field of the description ``info`` (read from ``described``) and the
    sizes it asks for against the ``weights`` file's header; one line for the first problem.
    """

    def refuse(message: str) -> WeightsFileError:
        return WeightsFileError(f"{described}: {message}")

    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise refuse(f"not a cnnlab model description (no format {FORMAT!r}).")
    version = info.get("version")
    if type(version) is not int or version != VERSION:
        raise refuse(
            f"written for version {version!r} of the description format; this cnnlab reads "
            f"version {VERSION}. {received(version=version)}"
        )
    missing = [k for k in ("architecture", "arguments", "classes", "input_shape", "normalize")
               if k not in info]  # fmt: skip
    if missing:
        raise refuse(f"it lacks the field{'s' * (len(missing) > 1)} {', '.join(missing)}.")
    architecture = info["architecture"]
    if not isinstance(architecture, str) or architecture not in ARCHITECTURES:
        raise refuse(
            f"`architecture` must be one of {', '.join(ARCHITECTURES)}. "
            + received(architecture=architecture)
        )
    arguments = _arguments(info["arguments"], architecture, refuse)
    classes = info["classes"]
    if not (
        isinstance(classes, list)
        and classes
        and all(isinstance(c, str) and 0 < len(c) <= LONGEST_CLASS_NAME for c in classes)
    ):
        raise refuse("`classes` must be a list of class names (non-empty text).")
    shape = info["input_shape"]
    if not (
        isinstance(shape, list)
        and len(shape) == 3
        and all(type(n) is int and 0 < n <= 1 << 16 for n in shape)
    ):
        raise refuse(
            f"`input_shape` must be 3 positive ints (C, H, W). {received(input_shape=shape)}"
        )
    expected = {
        "num_classes": (len(classes), "the number of class names"),
        "in_channels": (shape[0], "input_shape[0]"),
        "input_size": (shape[1], "input_shape[1]"),
    }
    for name, (value, source) in expected.items():
        if name in arguments and arguments[name] != value:
            raise refuse(
                f"`{name}` must equal {source} ({value}). {received(**{name: arguments[name]})}"
            )
    _check_normalize(info["normalize"], shape[0], refuse)
    _check_against_weights(arguments, weights, refuse)


def _arguments(arguments: Any, architecture: str, refuse) -> dict[str, Any]:
    """The size arguments with the architecture's defaults filled in, each checked."""
    parameters = inspect.signature(ARCHITECTURES[architecture]).parameters
    allowed = [name for name in parameters if name != "rng"]
    if not isinstance(arguments, dict) or not set(arguments) <= set(allowed):
        unknown = sorted(set(arguments) - set(allowed)) if isinstance(arguments, dict) else None
        raise refuse(
            f"`arguments` must be a mapping with keys among {', '.join(allowed)} "
            f"(for {architecture}). " + received(arguments=unknown[:5] if unknown else arguments)
        )
    limits = {
        "num_classes": MOST_CLASSES,
        "in_channels": MOST_CHANNELS,
        "input_size": INPUT_SIZE_FACTOR * parameters["input_size"].default,
    }
    sizes = {}
    for name in allowed:
        value = arguments.get(name, parameters[name].default)
        if name in limits:
            if type(value) is not int or not 1 <= value <= limits[name]:
                raise refuse(
                    f"`{name}` must be an int from 1 to {limits[name]:,} for {architecture}. "
                    + received(**{name: value})
                )
            sizes[name] = value
        elif type(value) not in (int, float) or not 0 <= value < 1:  # dropout
            raise refuse(
                f"`{name}` is not a valid {architecture} argument. {received(**{name: value})}"
            )
    return sizes


def received(**values: Any) -> str:
    """``cnnlab._validation.received``'s formula, with long values cut short."""
    return "Received: " + ", ".join(f"{k}={short_repr(v)}" for k, v in values.items()) + "."


def _check_normalize(normalize: Any, channels: int, refuse) -> None:
    values = [normalize.get(k) for k in ("mean", "std")] if isinstance(normalize, dict) else []
    if not (
        len(values) == 2
        and all(isinstance(v, list) and len(v) in (1, channels) for v in values)
        and all(type(x) in (int, float) and math.isfinite(x) for v in values for x in v)
        and min(values[1]) > 0
    ):
        raise refuse(
            '`normalize` must be {"mean": [...], "std": [...]} with one finite number per '
            f"channel (or one for all), std positive. {received(normalize=normalize)}"
        )


def _check_against_weights(sizes: dict[str, int], weights: Path, refuse) -> None:
    """A classifier of ``num_classes`` outputs and a first layer of ``in_channels`` inputs
    must both be among the weights' tensors (read from the header only)."""
    entries, _, _ = read_header(weights)
    shapes = [entry.shape for entry in entries.values()]
    parameters = sum(math.prod(shape) for shape in shapes)
    held = f"its {len(shapes)} tensors hold {parameters:,} numbers"
    if not any(len(s) >= 2 and s[0] == sizes["num_classes"] for s in shapes):
        raise refuse(
            f"it describes a network with {sizes['num_classes']:,} outputs, but no tensor in "
            f"{weights.name} has as many rows ({held}): they do not belong together."
        )
    if not any(len(s) >= 2 and s[1] == sizes["in_channels"] for s in shapes):
        raise refuse(
            f"it describes a network with {sizes['in_channels']:,} input channels, but no "
            f"tensor in {weights.name} has as many columns ({held}): they do not belong "
            "together."
        )
