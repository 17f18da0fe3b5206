"""Training checkpoints: everything ``fit`` needs to go on exactly where it stopped.

One ``.safetensors`` file holds the arrays (weights, optimizer moments, ...) as tensors
and the rest as JSON in its header: the epoch, the history, the scheduler, the state of
every random generator (the one that shuffles, and each layer's own, such as dropout's),
and a SHA-256 checksum of it all. One file, written atomically (see ``cnnlab.save``), so
an interrupted write leaves the previous checkpoint whole (the temporary file a killed
write leaves beside it is removed by the next run); no pickle, so reading one runs no code.
Model arrays are named ``model.<state-dict key>``, optimizer arrays
``optimizer.state.<index>.<name>``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import safetensors.numpy
from safetensors import SafetensorError, safe_open

from ..nn.module import Module, shape_problems
from ..optim.lr_scheduler import LRScheduler
from ..optim.optimizer import Optimizer
from ..serialization import write_atomically
from ._tree import flatten, unflatten
from .folder import sync_folder
from .history import History

FORMAT = "cnnlab-training-checkpoint"
VERSION = "1"


class Trainee(NamedTuple):
    """What a checkpoint saves and restores, besides the epoch and the history."""

    model: Module
    optimizer: Optimizer
    scheduler: LRScheduler | None
    rng: np.random.Generator
    callbacks: Sequence[Any] = ()


class CheckpointInfo(NamedTuple):
    epoch: int
    history: History


def capture(trainee: Trainee, epoch: int, history: History) -> dict[str, Any]:
    """The whole training state as plain data (arrays copied), ready to write or restore."""
    model, optimizer, scheduler, rng, callbacks = trainee
    return {
        "epoch": epoch,
        "history": history.as_dict(),
        "model": model.state_dict(),
        "layer_rngs": {name: layer.rng.bit_generator.state for name, layer in _rng_layers(model)},
        "optimizer_class": type(optimizer).__name__,
        "optimizer": optimizer.state_dict(),
        "scheduler_class": None if scheduler is None else type(scheduler).__name__,
        "scheduler": None if scheduler is None else scheduler.state_dict(),
        "rng": rng.bit_generator.state,
        "callbacks": [
            {"class": type(c).__name__, "state": c.state_dict()} for c in _stateful(callbacks)
        ],
    }


def restore(state: dict[str, Any], trainee: Trainee, source: str) -> CheckpointInfo:
    """Put ``state`` (from :func:`capture` or a file) back; refuse it whole if it does not fit.

    Every check runs before anything changes, so a refused state leaves the run untouched.
    """
    model, optimizer, scheduler, rng, callbacks = trainee
    problems = _problems(state, trainee)
    if problems:
        raise ValueError(
            f"The checkpoint {source} does not match this training run:\n  " + "\n  ".join(problems)
        )
    try:  # checks its state fully before changing anything
        optimizer.load_state_dict(state["optimizer"])
    except ValueError as error:
        raise ValueError(f"The checkpoint {source} does not match the optimizer: {error}") from None
    model.load_state_dict(state["model"])
    for name, layer in _rng_layers(model):
        layer.rng.bit_generator.state = state["layer_rngs"][name]
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    for callback, saved in zip(_stateful(callbacks), state["callbacks"], strict=True):
        callback.load_state_dict(saved["state"])
    rng.bit_generator.state = state["rng"]
    return CheckpointInfo(int(state["epoch"]), History.from_dict(state["history"]))


def write_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Write ``state`` to ``path`` as one ``.safetensors`` file, atomically."""
    data, arrays = flatten(state)
    text = json.dumps(data)
    metadata = {
        "format": FORMAT,
        "version": VERSION,
        "state": text,
        "sha256": _digest(text, arrays),
    }
    write_atomically(path, safetensors.numpy.save(arrays, metadata=metadata))
    sync_folder(path.parent)


def read_checkpoint(path: str | os.PathLike) -> dict[str, Any]:
    """Read a file from :func:`write_checkpoint`; a damaged or foreign file is refused."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No checkpoint file at {path}.")
    damaged = f"The checkpoint {path} is damaged (cut short or changed since it was written)"
    try:
        with safe_open(path, framework="numpy") as file:
            metadata = file.metadata() or {}
            if metadata.get("format") != FORMAT:
                raise ValueError(
                    f"{path} is a safetensors file but not a cnnlab training checkpoint (plain "
                    "weights load with cnnlab.load_weights)."
                )
            arrays = {name: file.get_tensor(name) for name in file.keys()}
    except SafetensorError as error:
        raise ValueError(f"{damaged}, or it is not a safetensors file: {error}.") from None
    if metadata.get("version") != VERSION:
        raise ValueError(
            f"The checkpoint {path} has format version {metadata.get('version')!r}; this "
            f"cnnlab reads version {VERSION!r}."
        )
    text = metadata.get("state", "")
    if metadata.get("sha256") != _digest(text, arrays):
        raise ValueError(f"{damaged}: its checksum does not match its contents.")
    return unflatten(json.loads(text), arrays)


def load_checkpoint(model: Module, path: str | os.PathLike) -> CheckpointInfo:
    """Load only the weights from a training checkpoint into ``model`` (e.g. to predict).

    Returns
    -------
    CheckpointInfo
        ``(epoch, history)`` of the run that wrote the file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from cnnlab.nn import Linear
    >>> from cnnlab.optim import SGD
    >>> model = Linear(2, 1, rng=0)
    >>> trainee = Trainee(model, SGD(model.parameters(), lr=0.1), None, np.random.default_rng(0))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "run.safetensors"
    ...     write_checkpoint(path, capture(trainee, 3, History()))
    ...     load_checkpoint(Linear(2, 1, rng=1), path).epoch
    3
    """
    state = read_checkpoint(path)
    problems = _model_problems(state, model)
    if problems:
        raise ValueError(
            f"The checkpoint {path} does not match this model:\n  " + "\n  ".join(problems)
        )
    model.load_state_dict(state["model"])
    return CheckpointInfo(int(state["epoch"]), History.from_dict(state["history"]))


def _problems(state: dict[str, Any], trainee: Trainee) -> list[str]:
    model, optimizer, scheduler, rng, callbacks = trainee
    problems = _model_problems(state, model)
    saved_rng_layers = sorted(state["layer_rngs"])
    rng_layers = sorted(name for name, _ in _rng_layers(model))
    if saved_rng_layers != rng_layers:
        problems.append(
            f"layers with their own rng: checkpoint {saved_rng_layers}, model {rng_layers}"
        )
    saved, given = state["optimizer_class"], type(optimizer).__name__
    if saved != given:
        problems.append(f"optimizer: checkpoint has {saved}, this run has {given}")
    saved = state["scheduler_class"]
    given = None if scheduler is None else type(scheduler).__name__
    if saved != given:
        problems.append(f"scheduler: checkpoint has {saved}, this run has {given}")
    saved = [entry["class"] for entry in state["callbacks"]]
    given = [type(c).__name__ for c in _stateful(callbacks)]
    if saved != given:
        problems.append(f"callbacks with state: checkpoint has {saved}, this run has {given}")
    saved, given = state["rng"].get("bit_generator"), type(rng.bit_generator).__name__
    if saved != given:
        problems.append(f"rng: checkpoint has a {saved} generator, this run has {given}")
    return problems


def _model_problems(state: dict[str, Any], model: Module) -> list[str]:
    expected = {name: np.shape(value) for name, value in model.state_dict().items()}
    return [f"model: {problem}" for problem in shape_problems(expected, state["model"])]


def _rng_layers(model: Module) -> list[tuple[str, Module]]:
    """Layers that draw from their own generator (dropout): their state must travel too."""
    return [
        (name, layer)
        for name, layer in model.named_modules()
        if isinstance(vars(layer).get("rng"), np.random.Generator)
    ]


def _stateful(callbacks: Sequence[Any]) -> list[Any]:
    return [c for c in callbacks if callable(getattr(c, "state_dict", None))]


def _digest(text: str, arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256(text.encode())
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"\n{name} {array.dtype.str} {array.shape}\n".encode())
        digest.update(array)
    return digest.hexdigest()
