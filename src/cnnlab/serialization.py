"""Save and load a model's weights as ``.safetensors``, under PyTorch's key names.

The file holds ``model.state_dict()``: one tensor per parameter and buffer, named as
torch names them (``features.0.weight``), so ``safetensors.torch.load_file`` gives a
state dict that a torch module of the same structure loads as it is. Reading runs no code
(no pickle).

Writing is atomic: ``safetensors.numpy.save`` gives the file's bytes, which are written
beside the target under a fresh temporary name, flushed to disk, and renamed over the
target with ``os.replace``, so an interrupted save leaves the previous file whole. (Writing
the bytes ourselves, rather than with ``save_file``, keeps the usual file permissions.)
Reading checks the whole header before any tensor (``cnnlab.weights.safetensors_file``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import safetensors.numpy

from ._validation import received
from .nn.module import Module, shape_problems


def save(model: Module, path: str | os.PathLike, metadata: Mapping[str, str] | None = None) -> Path:
    """Write the parameters and buffers of ``model`` to a ``.safetensors`` file.

    Parameters
    ----------
    model : Module
        The model whose ``state_dict()`` is saved; arrays keep their dtype.
    path : str or path-like
        The file to write (replaced if it exists); its folder must exist.
    metadata : dict of str to str, optional
        Free text stored in the file's header (for example the epoch or the dataset).

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import os, tempfile
    >>> from cnnlab.nn import Parameter
    >>> class Scale(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.weight = Parameter(np.ones(3, dtype=np.float32))
    >>> trained, fresh = Scale(), Scale()
    >>> fresh.weight.data[:] = 0
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save(trained, os.path.join(folder, "scale.safetensors"), {"epoch": "3"})
    ...     metadata = load_weights(fresh, path)
    >>> metadata
    {'epoch': '3'}
    >>> fresh.weight.data
    array([1., 1., 1.], dtype=float32)
    """
    if not isinstance(model, Module):
        raise TypeError(
            f"`model` must be a cnnlab Module. Received: model of type {type(model).__name__}."
        )
    metadata = _check_metadata(metadata)
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"Cannot save to {path}: the folder {path.parent} does not exist.")
    tensors = {name: np.asarray(value, order="C") for name, value in model.state_dict().items()}
    write_atomically(path, safetensors.numpy.save(tensors, metadata=metadata))
    return path


def load_weights(model: Module, path: str | os.PathLike, strict: bool = True) -> dict[str, str]:
    """Load a ``.safetensors`` file written by :func:`save` (or by torch) into ``model``.

    Every name and shape in the file must match the model's state dict; otherwise one
    ``ValueError`` lists each difference (missing, unexpected, shape). ``strict=False``
    ignores missing and unexpected names but never a shape mismatch. Values are cast to
    the model's dtypes; the parameters stay the same objects.

    Parameters
    ----------
    model : Module
        The model to fill, in place.
    path : str or path-like
        A ``.safetensors`` file.
    strict : bool, default True
        Whether names must match exactly.

    Returns
    -------
    dict of str to str
        The metadata stored in the file (empty if none).

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is not a safetensors file, is damaged, or does not match the model
        (``cnnlab.weights.WeightsFileError`` for the first two).
    """
    from .weights.safetensors_file import read_header, read_safetensors  # weights imports us

    if not isinstance(model, Module):
        raise TypeError(
            f"`model` must be a cnnlab Module. Received: model of type {type(model).__name__}."
        )
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No weights file at {path}.")
    expected = {name: np.shape(value) for name, value in model.state_dict().items()}
    entries, _, _ = read_header(path)
    # shape_problems reads shapes with np.shape: broadcast views stand in, no data read
    shapes = {name: np.broadcast_to(0, entry.shape) for name, entry in entries.items()}
    problems = shape_problems(expected, shapes, strict)
    if problems:
        raise ValueError(
            f"The weights in {path} do not match {type(model).__name__}:\n  "
            + "\n  ".join(problems)
        )
    state, metadata = read_safetensors(path, names=set(expected))
    model.load_state_dict(state, strict=strict)
    return metadata


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` under a fresh name, flush it to disk, rename it over."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:  # O_EXCL: never reuse an existing name; 0o666: the usual permissions (umask)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _check_metadata(metadata: Mapping[str, str] | None) -> dict[str, str] | None:
    if metadata is None:
        return None
    if not isinstance(metadata, Mapping) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in metadata.items()
    ):
        raise TypeError(
            "`metadata` must be a dict of str to str (convert numbers with str()). "
            + received(metadata=metadata)
        )
    return dict(metadata)
