"""Helpers of the ONNX tests: run a file with ONNX Runtime, compare, randomise a model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime

from cnnlab.nn import BatchNorm2d, Module


def run_onnxruntime(path: str | Path, x: np.ndarray) -> np.ndarray:
    """The output of ONNX Runtime's CPU session for the file at ``path`` on ``x``."""
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (name,) = [i.name for i in session.get_inputs()]
    return session.run(None, {name: x})[0]


def relative_error(ours: np.ndarray, reference: np.ndarray) -> float:
    """``max |ours - reference| / max |reference|``: one number for a whole output."""
    assert ours.shape == reference.shape, f"shape {ours.shape} != {reference.shape}"
    return float(np.max(np.abs(ours - reference)) / np.max(np.abs(reference)))


def randomize_batch_norms(model: Module, seed: int = 0) -> Module:
    """Seeded statistics and affine parameters in every BatchNorm2d, so that they count."""
    rng = np.random.default_rng(seed)
    for module in model.modules():
        if isinstance(module, BatchNorm2d):
            n = module.num_features
            module.weight.data[:] = rng.uniform(0.5, 1.5, n)
            module.bias.data[:] = rng.uniform(-0.2, 0.2, n)
            module.running_mean[:] = rng.uniform(-0.2, 0.2, n)
            module.running_var[:] = rng.uniform(0.5, 1.5, n)
    return model
