"""Two forms of MODEL beside the zoo and ``cnnlab train``'s files: a weights file (torch
``.pth``, or a bare ``.safetensors``) for a zoo architecture, and a user's own Python file
with a function that builds the model.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .._validation import check_shape, received
from ..models import ARCHITECTURES, build_model
from ..nn import Module
from ..weights import load_state_into
from ..weights.state import TORCH_SUFFIXES


def is_torch_file(name: str) -> bool:
    """``name`` holds weights only: a torch checkpoint (``.pth``, ``.pt``, ...), or a
    ``.safetensors`` file without the ``.json`` that ``cnnlab train`` writes beside it."""
    path = Path(name)
    if path.suffix.lower() == ".safetensors":
        return path.is_file() and not path.with_suffix(".json").exists()
    return path.suffix.lower() in TORCH_SUFFIXES


def is_factory(name: str) -> bool:
    """``name`` reads ``path/to/file.py:factory``.

    >>> is_factory("nets/mine.py:build"), is_factory("C:/nets/mine.py"), is_factory("lenet5")
    (True, False, False)
    """
    path, _, function = name.rpartition(":")
    return path.endswith(".py") and function.isidentifier()


def load_torch_file(name: str, architecture: str | None) -> Module:
    """The zoo ``architecture`` filled with the weights in the file ``name``."""
    if architecture not in ARCHITECTURES:
        raise ValueError(
            f"A weights file holds weights only: name its architecture with --model, one of "
            f"{', '.join(ARCHITECTURES)}. {received(model=architecture, weights=name)}"
        )
    return load_state_into(build_model(architecture), name).eval()


def load_factory(name: str, input_shape: tuple[int, ...] | None) -> tuple[Module, tuple[int, ...]]:
    """Import ``path/to/file.py`` by its path, call its ``factory()``; the model and input shape.

    The input shape is ``input_shape`` when given, else an ``input_shape`` attribute of the
    model, of the factory, or of the file (in that order).
    """
    path_text, _, function = name.rpartition(":")
    path = Path(path_text)
    if not path.is_file():
        raise FileNotFoundError(f"No such Python file: {path} (from MODEL {name!r})")
    spec = importlib.util.spec_from_file_location(f"cnnlab_user_model_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look their module up there
    spec.loader.exec_module(module)
    factory = getattr(module, function, None)
    if not callable(factory):
        raise ValueError(
            f"{path} has no function {function!r} that builds the model: write "
            f"`def {function}(): return MyNet()` there. {received(model=name)}"
        )
    model = factory()
    if not isinstance(model, Module):
        raise TypeError(
            f"{name} must return a cnnlab Module (a subclass of cnnlab.nn.Module). "
            f"{received(returned=type(model).__name__)}"
        )
    found = input_shape or next(
        (o.input_shape for o in (model, factory, module) if hasattr(o, "input_shape")),
        None,
    )
    if found is None:
        raise ValueError(
            f"The model of {name} needs its input shape (one example, without the batch): "
            f"pass --input 1x28x28, or write `input_shape = (1, 28, 28)` in {path.name}."
        )
    return model, check_shape("input_shape", tuple(found))
