"""Generated configurations as ``.npz`` files, for training a model anywhere.

A file holds three arrays: ``configurations`` (``(N, C, L, L)``, as generated),
``temperatures`` (``(N,)`` float64; ``inf`` for T = infinity) and ``parameters``, the
generating parameters as a JSON string. NumPy, PyTorch or JAX read it with ``np.load``;
no pickled objects are stored, so loading runs no code.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .._validation import check_array, received
from ..serialization import write_atomically


class StoredConfigurations(NamedTuple):
    """What :func:`load_configurations` reads: the arrays and the generating parameters."""

    configurations: np.ndarray
    temperatures: np.ndarray
    parameters: dict[str, Any]


def save_configurations(path: str | Path, configurations, temperatures, **parameters: Any) -> Path:
    """Write configurations ``(N, C, L, L)``, their temperatures ``(N,)`` and ``parameters``.

    ``parameters`` are the generating parameters (model, size, sampler settings, seed):
    anything JSON can write.

    Examples
    --------
    >>> import tempfile, os
    >>> from cnnlab.physics import sample_ising
    >>> samples = sample_ising([1.5, 3.5], size=8, per_temperature=2, chains=2,
    ...                        equilibration=5, gap=1, cache=False)
    >>> path = os.path.join(tempfile.mkdtemp(), "ising.npz")
    >>> _ = save_configurations(path, samples.spins, samples.temperatures, model="ising", size=8)
    >>> stored = load_configurations(path)
    >>> stored.configurations.shape, stored.temperatures.tolist(), stored.parameters
    ((4, 1, 8, 8), [1.5, 1.5, 3.5, 3.5], {'model': 'ising', 'size': 8})
    """
    configurations = check_array("configurations", configurations, ndim=4, allow_complex=False)
    temperatures = check_array("temperatures", temperatures, ndim=1, allow_complex=False)
    if len(temperatures) != len(configurations):
        raise ValueError(
            "`temperatures` must hold one temperature per configuration. "
            + received(
                configurations_shape=configurations.shape, temperatures_shape=temperatures.shape
            )
        )
    try:
        text = json.dumps(parameters, sort_keys=True)
    except TypeError as error:
        raise TypeError(
            f"`parameters` must be JSON-serialisable ({error}). Received: {parameters!r}."
        ) from None
    buffer = io.BytesIO()
    np.savez(
        buffer,
        configurations=configurations,
        temperatures=temperatures.astype(np.float64),
        parameters=np.array(text),
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, buffer.getvalue())
    return path


def load_configurations(path: str | Path) -> StoredConfigurations:
    """Read a file written by :func:`save_configurations` (see its example)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No configurations file at this path. Received: path={str(path)!r}."
        )
    with np.load(path, allow_pickle=False) as stored:
        missing = {"configurations", "temperatures", "parameters"} - set(stored.files)
        if missing:
            raise ValueError(
                f"The file lacks the arrays {sorted(missing)}; was it written by "
                f"save_configurations? Received: path={str(path)!r}."
            )
        return StoredConfigurations(
            stored["configurations"],
            stored["temperatures"],
            json.loads(str(stored["parameters"])),
        )
