"""Run an exported ``model.py`` with torch and compare it with the cnnlab model."""

from __future__ import annotations

import ast
import importlib.util
import itertools
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file

from cnnlab.export import to_torch, trace_graph
from cnnlab.export.torch_code import torch_code
from cnnlab.nn import no_grad

_names = itertools.count()


def load_module(code: Path):
    """``model.py`` imported as a fresh module (torch only: cnnlab is never imported)."""
    spec = importlib.util.spec_from_file_location(f"exported_{next(_names)}", code)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def imported_names(code: Path) -> set[str]:
    """The top-level packages ``model.py`` imports."""
    names = set()
    for node in ast.walk(ast.parse(code.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module.split(".")[0])
    return names


def export_and_compare(model, input_shape, folder: Path, batch=2, seed=0, files=True):
    """Export ``model``, load it in torch strictly, and return (relative error, torch model).

    The relative error is the largest absolute difference of the outputs over the largest
    absolute cnnlab output, in float32, on a seeded random batch. ``files=False`` (for the
    networks of 50-140 M parameters) writes only ``model.py`` and hands torch the state
    dict in memory, on a model built without initialising its weights: the same strict
    check, without writing and reading half a gigabyte.
    """
    if files:
        paths = to_torch(model, folder, input_shape)
        state = load_file(paths["weights"])
    else:
        paths = {"code": Path(folder) / "model.py"}
        paths["code"].write_text(torch_code(trace_graph(model, input_shape)))
        arrays = [*((n, p.data) for n, p in model.named_parameters()), *model.named_buffers()]
        state = {name: torch.from_numpy(np.asarray(value)) for name, value in arrays}
    assert imported_names(paths["code"]) <= {"json", "torch"}
    build = load_module(paths["code"]).build
    if files:
        torch_model = build()
        torch_model.load_state_dict(state, strict=True)
    else:
        with torch.device("meta"):
            torch_model = build()
        torch_model.load_state_dict(state, strict=True, assign=True)
    torch_model.eval()
    x = np.random.default_rng(seed).standard_normal((batch, *input_shape), dtype=np.float32)
    model.eval()
    with no_grad():
        expected = model(x)
    with torch.no_grad():
        got = torch_model(torch.from_numpy(x)).numpy()
    assert got.shape == expected.shape and got.dtype == np.float32
    return float(np.max(np.abs(got - expected)) / np.max(np.abs(expected))), torch_model
