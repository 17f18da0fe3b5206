"""A state dict from a weights file of either kind, and loading it into a model.

``.pth`` / ``.pt`` / ``.bin`` files are torch checkpoints, read by :func:`load_pth` (no
torch, no pickle code); ``.safetensors`` files by :func:`read_safetensors` (header checked
first; bfloat16 and float8 widened to float32, as ``load_pth`` widens bfloat16).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..nn import Module
from ..nn.module import shape_problems
from .pth import load_pth
from .safetensors_file import read_safetensors

TORCH_SUFFIXES = (".pth", ".pt", ".bin", ".ckpt")
BATCHES_TRACKED = "num_batches_tracked"


def load_state(path: str | Path) -> dict[str, np.ndarray]:
    """Read the tensors of a weights file, by its suffix: torch checkpoint or safetensors.

    Parameters
    ----------
    path : str or Path
        ``.pth``, ``.pt``, ``.bin`` or ``.ckpt`` (torch's zip format) or ``.safetensors``.

    Returns
    -------
    dict of str to ndarray

    Examples
    --------
    >>> import os, tempfile, safetensors.numpy
    >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
    >>> safetensors.numpy.save_file({"fc.bias": np.zeros(3, np.float32)}, path)
    >>> load_state(path)
    {'fc.bias': array([0., 0., 0.], dtype=float32)}
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*TORCH_SUFFIXES, ".safetensors"):
        raise ValueError(
            "A weights file must end in .safetensors or one of "
            f"{', '.join(TORCH_SUFFIXES)}. Received: path={str(path)!r}."
        )
    if suffix != ".safetensors":
        return load_pth(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such weights file: {path}")
    return read_safetensors(path)[0]


def load_state_into(model: Module, path: str | Path, strict: bool = True) -> Module:
    """Fill ``model`` with the weights in ``path`` (see :func:`load_state`); return it.

    Names and shapes must match the model's ``state_dict()`` exactly, with one
    tolerance: a BatchNorm ``num_batches_tracked`` counter missing from the file is kept
    at the model's value (it is a training statistic that inference never reads, and some
    exporters drop it). A counter the model lacks is ignored the same way.

    Examples
    --------
    >>> import os, tempfile, safetensors.numpy
    >>> from cnnlab.nn import BatchNorm2d
    >>> path = os.path.join(tempfile.mkdtemp(), "bn.safetensors")
    >>> ones = np.ones(2, np.float32)
    >>> safetensors.numpy.save_file(
    ...     {"weight": 2 * ones, "bias": ones, "running_mean": ones, "running_var": ones}, path)
    >>> load_state_into(BatchNorm2d(2), path).weight.data
    array([2., 2.], dtype=float32)
    """
    state = load_state(path)
    expected = model.state_shapes()  # names and shapes only: no copy of the model's arrays
    kept = [n for n in expected if n.rsplit(".", 1)[-1] == BATCHES_TRACKED and n not in state]
    for name in kept:  # the model keeps its own counter
        del expected[name]
    for name in list(state):
        if name.rsplit(".", 1)[-1] == BATCHES_TRACKED and name not in expected:
            del state[name]
    problems = shape_problems(expected, state, strict)
    if problems:
        raise ValueError(
            f"The weights in {path} do not match {type(model).__name__}:\n  "
            + "\n  ".join(problems)
        )
    model.load_state_dict(state, strict=strict and not kept)  # names checked above
    return model
