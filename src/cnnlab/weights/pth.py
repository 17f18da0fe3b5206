"""Reading PyTorch ``.pth`` checkpoints without torch and without running pickle code.

A ``.pth`` file written by ``torch.save`` is a zip archive: ``<name>/data.pkl`` is a
pickle of the state dict in which every tensor is a call to
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`` and every storage
a *persistent id* ``("storage", torch.FloatStorage, key, location, numel)`` whose bytes
are the record ``<name>/data/<key>``. A pickle may name any importable function, so
unpickling an untrusted file can run any code. Here a restricted unpickler accepts only
the few names a state dict needs, each mapped to a stand-in that builds NumPy arrays;
any other name is refused before anything runs.
"""

from __future__ import annotations

import collections
import io
import pickle
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

# torch's storage type names and the NumPy dtype of their elements.
STORAGE_DTYPES = {
    "DoubleStorage": "f8",
    "FloatStorage": "f4",
    "HalfStorage": "f2",
    "BFloat16Storage": "bf16",  # no NumPy type: widened to float32
    "LongStorage": "i8",
    "IntStorage": "i4",
    "ShortStorage": "i2",
    "CharStorage": "i1",
    "ByteStorage": "u1",
    "BoolStorage": "?",
}
STATE_KEYS = ("state_dict", "model_state_dict", "model")


class UnsafeCheckpointError(ValueError):
    """A checkpoint's pickle names a function that a state dict does not need."""


class _StorageType:
    def __init__(self, name: str) -> None:
        self.name = name


class _Storage:
    """The flat element array of one torch storage."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data


def _rebuild_tensor(storage, storage_offset, size, stride, *_ignored) -> np.ndarray:
    """``torch._utils._rebuild_tensor_v2`` as a copy out of a NumPy storage, bounds checked."""
    if not isinstance(storage, _Storage):
        raise UnsafeCheckpointError("A tensor in the checkpoint is not built from a storage.")
    size, stride = tuple(size), tuple(stride)
    values = (storage_offset, *size, *stride)
    if len(size) != len(stride) or not all(type(v) is int and v >= 0 for v in values):
        raise ValueError(
            f"A tensor in the checkpoint has a bad layout: size={size}, stride={stride}."
        )
    data = storage.data
    last = storage_offset + sum((n - 1) * s for n, s in zip(size, stride, strict=True))
    if 0 not in size and last >= data.size:
        raise ValueError(
            f"A tensor in the checkpoint reaches past its storage: size={size}, stride={stride}, "
            f"offset={storage_offset}, storage of {data.size} elements."
        )
    if 0 in size:
        return np.zeros(size, dtype=data.dtype)
    view = np.lib.stride_tricks.as_strided(
        data[storage_offset:],
        shape=size,
        strides=tuple(s * data.itemsize for s in stride),
        writeable=False,
    )
    return np.array(view, order="C")


def _rebuild_parameter(data, requires_grad=False, backward_hooks=None, *_ignored) -> np.ndarray:
    return data


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    **{("torch", name): _StorageType(name) for name in STORAGE_DTYPES},
}


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, read_record, byteorder: str) -> None:
        super().__init__(io.BytesIO(data))
        self._read_record = read_record
        self._byteorder = byteorder
        self._storages: dict[str, _Storage] = {}

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise UnsafeCheckpointError(
                f"Refusing to load the checkpoint: its pickle calls {module}.{name}, which a "
                "state dict does not need; the file may be unsafe (a pickle can run any code). "
                "Only load it with torch if you trust where it came from."
            ) from None

    def persistent_load(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and len(pid) >= 3 and pid[0] == "storage"):
            raise UnsafeCheckpointError(f"Unknown persistent id in the checkpoint: {pid!r}.")
        storage_type, key = pid[1], str(pid[2])
        if not isinstance(storage_type, _StorageType):
            raise UnsafeCheckpointError(
                f"Unknown storage type in the checkpoint: {storage_type!r}."
            )
        if key not in self._storages:
            self._storages[key] = _Storage(self._decode(self._read_record(key), storage_type.name))
        return self._storages[key]

    def _decode(self, raw: bytes, type_name: str) -> np.ndarray:
        order = "<" if self._byteorder == "little" else ">"
        code = STORAGE_DTYPES[type_name]
        if len(raw) % (2 if code == "bf16" else np.dtype(code).itemsize):
            raise ValueError(
                f"A {type_name} record of {len(raw)} bytes in the checkpoint is cut short."
            )
        if code == "bf16":  # bfloat16 is the top half of a float32
            halves = np.frombuffer(raw, dtype=order + "u2").astype(np.uint32)
            return (halves << 16).view(np.float32)
        return np.frombuffer(raw, dtype=np.dtype(order + code)).astype(np.dtype(code))


def load_pth(path: str | Path) -> dict[str, np.ndarray]:
    """Read the state dict of a PyTorch checkpoint (``torch.save``) as NumPy arrays.

    Parameters
    ----------
    path : str or Path
        A ``.pth`` / ``.pt`` / ``.bin`` file in torch's zip format (torch 1.6 and later).
        A checkpoint holding ``{"state_dict": ...}`` (or ``"model_state_dict"``,
        ``"model"``) gives that inner state dict.

    Returns
    -------
    dict of str to ndarray
        Tensor name to a C-contiguous array of the tensor's dtype (bfloat16 as float32).

    Raises
    ------
    UnsafeCheckpointError
        If the pickle names any function other than those a state dict needs; nothing
        from the file has run.
    ValueError
        If the file is not a torch checkpoint, or in the legacy (pre-1.6) format.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "missing.pth")
    >>> load_pth(path)
    Traceback (most recent call last):
    ...
    FileNotFoundError: No such checkpoint file: ...missing.pth
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such checkpoint file: {path}")
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as stream:
            legacy = stream.read(2) in (b"\x80\x02", b"\x80\x03", b"\x80\x04")
        raise ValueError(
            f"{path} is in torch's legacy (pre-1.6) checkpoint format, which cnnlab does not "
            "read; re-save it with a recent torch (torch.save(torch.load(path), path))."
            if legacy
            else f"{path} is not a PyTorch checkpoint (not a zip archive)."
        )
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pickles = [n for n in names if n.endswith("data.pkl") and n.count("/") == 1]
        if len(pickles) != 1:
            raise ValueError(f"{path} is not a PyTorch checkpoint (no <name>/data.pkl inside).")
        prefix = pickles[0][: -len("data.pkl")]
        byteorder = "little"
        if prefix + "byteorder" in names:
            byteorder = archive.read(prefix + "byteorder").decode().strip()

        def read_record(key: str) -> bytes:
            try:
                return archive.read(f"{prefix}data/{key}")
            except KeyError:
                raise ValueError(f"{path} is damaged: it has no storage record {key}.") from None

        loaded = _RestrictedUnpickler(archive.read(pickles[0]), read_record, byteorder).load()
    return _state_dict(loaded, path)


def _state_dict(loaded: Any, path: Path) -> dict[str, np.ndarray]:
    if isinstance(loaded, dict):
        for key in STATE_KEYS:
            if isinstance(loaded.get(key), dict):
                loaded = loaded[key]
                break
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, np.ndarray) for k, v in loaded.items()
    ):
        raise ValueError(f"{path} does not hold a state dict (a mapping of names to tensors).")
    return dict(loaded)
