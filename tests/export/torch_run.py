"""Run an exported ``model.py`` with torch and compare it with the cnnlab model."""

from __future__ import annotations

import ast
import importlib.util
import itertools
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file

from cnnlab.export import to_torch

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


def export_and_compare(model, input_shape, folder: Path, batch: int = 2, seed: int = 0):
    """Export ``model``, load it in torch strictly, and return (relative error, torch model).

    The relative error is the largest absolute difference of the outputs over the largest
    absolute cnnlab output, in float32, on a seeded random batch.
    """
    paths = to_torch(model, folder, input_shape)
    assert imported_names(paths["code"]) <= {"json", "torch"}
    torch_model = load_module(paths["code"]).build()
    torch_model.load_state_dict(load_file(paths["weights"]), strict=True)
    torch_model.eval()
    x = np.random.default_rng(seed).standard_normal((batch, *input_shape), dtype=np.float32)
    model.eval()
    expected = model(x)
    with torch.no_grad():
        got = torch_model(torch.from_numpy(x)).numpy()
    assert got.shape == expected.shape and got.dtype == np.float32
    return float(np.max(np.abs(got - expected)) / np.max(np.abs(expected))), torch_model
