"""Reading PyTorch ``.pth`` checkpoints without torch and without running pickle code.

A ``.pth`` file written by ``torch.save`` is a zip archive of uncompressed records:
``<name>/data.pkl`` is a pickle of the state dict in which every tensor is a call to
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`` and every storage
a *persistent id* ``("storage", torch.FloatStorage, key, location, numel)`` whose bytes
are the record ``<name>/data/<key>``. A pickle may name any importable function, so
unpickling an untrusted file can run any code; here :func:`~.unpickle.unpickle` interprets
the pickle itself and calls only the stand-ins made for this one load (below), so nothing
from the file runs and nothing it does outlives the load.

The file may be crafted, so what it can make the loader allocate is bounded by what it
holds: records must be stored uncompressed (as torch writes them) and fit in the file
(:class:`~.torch_zip.TorchArchive`); each storage's declared element count must match
its record's bytes; a tensor must lie inside its storage, and all tensors together may
repeat their storages' bytes at most ``COPY_FACTOR`` times (views and tied weights share
a storage), plus ``COPY_SLACK``.
Every way the file can be damaged ends in a one-line :class:`WeightsFileError`.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UnsafeCheckpointError, WeightsFileError, one_line, short_repr
from .torch_zip import TorchArchive
from .unpickle import Global, unpickle

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
COPY_FACTOR = 4
COPY_SLACK = 1 << 20  # bytes
LONGEST_LAYOUT = 2**62  # a size, stride or offset beyond this is no tensor's


@dataclass(frozen=True)
class StorageType:
    """The stand-in for ``torch.FloatStorage`` and its kin: a name and a dtype code."""

    name: str
    code: str

    @property
    def itemsize(self) -> int:
        return 2 if self.code == "bf16" else np.dtype(self.code).itemsize


STORAGE_TYPES = {("torch", name): StorageType(name, code) for name, code in STORAGE_DTYPES.items()}


class _Storage:
    """The flat elements of one storage, as this load decoded them."""

    __slots__ = ("data", "lent")

    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        self.lent = False  # whether a tensor already is ``data`` itself (not a copy)


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
        If the pickle names any function other than those a state dict needs, or does
        anything else a state dict's pickle never does; nothing from the file has run.
    WeightsFileError
        A ``ValueError``: the file is not a torch checkpoint, is in the legacy (pre-1.6)
        format, is damaged, or asks for more memory than it holds. One line, naming
        the file.

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
    try:
        with open(path, "rb") as stream:
            with TorchArchive(stream, path.stat().st_size) as archive:
                load = _Load(archive.read_record, archive.byteorder)
                loaded = load.run(archive.read_pickle())
    except WeightsFileError as error:
        raise type(error)(f"{path}: {error}") from error
    except (FileNotFoundError, PermissionError):
        raise
    except Exception as error:  # a crafted file reaches zipfile's and NumPy's own errors
        raise WeightsFileError(f"{path}: damaged ({one_line(error)}).") from error
    return _state_dict(loaded, path)


class _Load:
    """One load: the storages it decoded, the bytes it copied, and its stand-ins."""

    def __init__(self, read_record, byteorder: str) -> None:
        self.read_record = read_record
        self.order = "<" if byteorder == "little" else ">"
        self.storages: dict[str, tuple[StorageType, _Storage]] = {}
        self.storage_bytes = 0
        self.copied_bytes = 0

    def run(self, pickle_data: bytes) -> Any:
        functions = {
            ("collections", "OrderedDict"): self.ordered_dict,
            ("torch._utils", "_rebuild_tensor_v2"): self.rebuild_tensor,
            ("torch._utils", "_rebuild_parameter"): self.rebuild_parameter,
            **STORAGE_TYPES,
        }
        return unpickle(pickle_data, functions, self.persistent_load)

    def persistent_load(self, pid: Any) -> _Storage:
        if not (type(pid) is tuple and len(pid) == 5 and pid[0] == "storage"):
            raise WeightsFileError(f"damaged: unknown persistent id {short_repr(pid)}.")
        _, kind, key, _location, numel = pid
        kind = kind.function if isinstance(kind, Global) else kind
        if not isinstance(kind, StorageType) or type(key) is not str or type(numel) is not int:
            raise WeightsFileError(f"damaged: bad storage {short_repr(pid)}.")
        if key not in self.storages:
            data = self._decode(self.read_record(key), kind, numel, key)
            self.storages[key] = (kind, _Storage(data))
            self.storage_bytes += data.nbytes
        known, storage = self.storages[key]
        if known != kind:
            raise WeightsFileError(
                f"damaged: its storage {key[:40]!r} is read both as {known.name} and {kind.name}."
            )
        return storage

    def _decode(self, raw: bytearray, kind: StorageType, numel: int, key: str) -> np.ndarray:
        if len(raw) != numel * kind.itemsize:
            raise WeightsFileError(
                f"damaged: its record {key[:40]!r} holds {len(raw)} bytes, but its pickle "
                f"declares {short_repr(numel)} elements of {kind.name}."
            )
        if kind.code == "bf16":  # bfloat16 is the top half of a float32
            halves = np.frombuffer(raw, dtype=self.order + "u2").astype(np.uint32)
            return (halves << 16).view(np.float32)
        if kind.code == "?":
            return np.frombuffer(raw, dtype=np.uint8) != 0
        data = np.frombuffer(raw, dtype=self.order + kind.code)  # writable, not copied
        return data if data.dtype.isnative else data.astype(kind.code)

    def ordered_dict(self, *arguments: Any) -> dict:
        if arguments:
            raise UnsafeCheckpointError(
                f"its pickle fills an OrderedDict from {short_repr(arguments)}."
            )
        return collections.OrderedDict()

    def rebuild_parameter(self, data: Any, *_ignored: Any) -> np.ndarray:
        if not isinstance(data, np.ndarray):
            raise WeightsFileError(f"damaged: a parameter holds {short_repr(data)}, not a tensor.")
        return data

    def rebuild_tensor(self, storage, offset, size, stride, *_ignored) -> np.ndarray:
        """``torch._utils._rebuild_tensor_v2`` as a copy out of a storage, bounds checked."""
        if not isinstance(storage, _Storage):
            raise WeightsFileError("damaged: a tensor in it is not built from a storage.")
        layout = (size, stride, offset)
        well_formed = (
            type(size) is tuple and type(stride) is tuple and len(size) == len(stride) <= 32
        ) and all(type(v) is int and 0 <= v < LONGEST_LAYOUT for v in (offset, *size, *stride))
        if not well_formed:
            raise WeightsFileError(f"damaged: a tensor in it has a bad layout: {_layout(*layout)}.")
        data = storage.data
        count = math.prod(size)
        if count == 0:
            return np.zeros(size, dtype=data.dtype)
        last = offset + sum((n - 1) * s for n, s in zip(size, stride, strict=True))
        if last >= data.size:
            raise WeightsFileError(
                f"a tensor in it reaches past its storage: {_layout(*layout)}, storage of "
                f"{data.size} elements."
            )
        self._spend(count * data.itemsize, layout)
        if offset == 0 and count == data.size and not storage.lent and _c_order(size, stride):
            storage.lent = True  # the whole storage in order: the tensor is the decoded array
            return data.reshape(size)
        view = np.lib.stride_tricks.as_strided(
            data[offset:],
            shape=size,
            strides=tuple(
                s * data.itemsize if n > 1 else 0 for n, s in zip(size, stride, strict=True)
            ),
            writeable=False,
        )
        return np.array(view, order="C")

    def _spend(self, nbytes: int, layout: tuple) -> None:
        allowed = COPY_FACTOR * self.storage_bytes + COPY_SLACK
        if self.copied_bytes + nbytes > allowed:
            raise WeightsFileError(
                "its tensors ask for more memory than it holds: a tensor with "
                f"{_layout(*layout)} would bring the copies to {self.copied_bytes + nbytes:,} "
                "bytes, from storages of "
                f"{self.storage_bytes:,} bytes (at most {COPY_FACTOR}x that, plus 1 MiB)."
            )
        self.copied_bytes += nbytes


def _c_order(size: tuple[int, ...], stride: tuple[int, ...]) -> bool:
    expected = 1
    for n, s in zip(reversed(size), reversed(stride), strict=True):
        if n != 1 and s != expected:
            return False
        expected *= n
    return True


def _layout(size: Any, stride: Any, offset: Any) -> str:
    return f"size={short_repr(size)}, stride={short_repr(stride)}, offset={short_repr(offset)}"


def _state_dict(loaded: Any, path: Path) -> dict[str, np.ndarray]:
    if isinstance(loaded, dict):
        for key in STATE_KEYS:
            if isinstance(loaded.get(key), dict):
                loaded = loaded[key]
                break
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, np.ndarray) for k, v in loaded.items()
    ):
        raise WeightsFileError(
            f"{path} does not hold a state dict (a mapping of names to tensors)."
        )
    return dict(loaded)
