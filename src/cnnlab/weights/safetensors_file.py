"""Reading ``.safetensors`` files, checked first, in every dtype NumPy can hold a value of.

The format: 8 bytes (little-endian) giving the header's length, the header (JSON:
``{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}``),
then the tensors' bytes. The header is checked whole before any tensor is read: known
dtypes, shapes of non-negative ints, and for each tensor exactly ``prod(shape) *
itemsize`` bytes inside the file, no two overlapping; so reading allocates no more than
the file holds. bfloat16 and the two float8 formats have no NumPy type: they are widened
to float32 exactly, as :func:`~.pth.load_pth` widens bfloat16.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import WeightsFileError, one_line, short_repr

DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?",
    "BF16": "<u2", "F8_E4M3": "u1", "F8_E5M2": "u1",  # widened to float32 below
}  # fmt: skip
LARGEST_HEADER = 16 << 20  # bytes; torch's largest models need well under 1 MiB


def _e4m3_values() -> np.ndarray:
    """The 256 float8 E4M3 values (torch's ``float8_e4m3fn``: no infinities, NaN at 0x7F)."""
    codes = np.arange(256)
    exponent, mantissa = (codes >> 3) & 0xF, (codes & 0x7) / 8
    magnitude = np.where(exponent == 0, mantissa * 2.0**-6, (1 + mantissa) * 2.0 ** (exponent - 7))
    magnitude[(codes & 0x7F) == 0x7F] = np.nan
    return np.where(codes & 0x80, -magnitude, magnitude).astype(np.float32)


def _widened(raw: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "BF16":  # the top half of a float32
        return (raw.astype(np.uint32) << 16).view(np.float32)
    if dtype == "F8_E5M2":  # the top half of a float16
        return (raw.astype(np.uint16) << 8).view(np.float16).astype(np.float32)
    if dtype == "F8_E4M3":
        return _e4m3_values()[raw]
    return raw


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of the header: its dtype name, shape and bytes in the data section."""

    dtype: str
    shape: tuple[int, ...]
    begin: int
    end: int


def read_header(path: str | Path) -> tuple[dict[str, TensorEntry], dict[str, str], int]:
    """The checked header of a ``.safetensors`` file: tensors, metadata, data's start.

    Raises :class:`WeightsFileError` (naming the file) if anything in it is wrong.
    """
    path = Path(path)
    with open(path, "rb") as stream:
        try:
            return _header(stream.read(8), stream, path.stat().st_size)
        except WeightsFileError as error:
            raise WeightsFileError(f"{path}: {error}") from error
        except Exception as error:  # a crafted file may reach json's or the OS's own errors
            raise WeightsFileError(f"{path}: damaged ({one_line(error)}).") from error


def read_safetensors(
    path: str | Path, names: set[str] | None = None
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The tensors (all, or those in ``names``) and the metadata of a ``.safetensors`` file.

    Examples
    --------
    >>> import os, tempfile, safetensors.numpy
    >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
    >>> safetensors.numpy.save_file({"w": np.arange(3, dtype=np.int16)}, path, {"epoch": "2"})
    >>> read_safetensors(path)
    ({'w': array([0, 1, 2], dtype=int16)}, {'epoch': '2'})
    """
    path = Path(path)
    entries, metadata, start = read_header(path)
    tensors = {}
    with open(path, "rb") as stream:
        try:
            for name, entry in entries.items():
                if names is not None and name not in names:
                    continue
                buffer = bytearray(entry.end - entry.begin)  # checked: inside the file
                stream.seek(start + entry.begin)
                if stream.readinto(buffer) != len(buffer):
                    raise WeightsFileError(f"it is cut short inside the tensor {name[:60]!r}.")
                raw = np.frombuffer(buffer, dtype=DTYPES[entry.dtype]).reshape(entry.shape)
                raw = raw if raw.dtype.isnative else raw.astype(raw.dtype.newbyteorder("="))
                tensors[name] = _widened(raw, entry.dtype)
        except WeightsFileError as error:
            raise WeightsFileError(f"{path}: {error}") from error
    return tensors, metadata


def _header(prefix: bytes, stream, file_size: int) -> tuple[dict, dict, int]:
    if len(prefix) < 8:
        raise WeightsFileError("not a safetensors file (shorter than its 8-byte header length).")
    length = int.from_bytes(prefix, "little")
    if length > min(file_size - 8, LARGEST_HEADER):
        raise WeightsFileError(
            f"not a safetensors file (a header of {length:,} bytes in a file of {file_size:,})."
        )
    try:
        header = json.loads(stream.read(length).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise WeightsFileError(f"not a safetensors file (header: {one_line(error)}).") from None
    if not isinstance(header, dict):
        raise WeightsFileError("not a safetensors file (its header is not a JSON object).")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise WeightsFileError("damaged: its metadata is not a mapping of text to text.")
    entries = {name: _entry(name, value) for name, value in header.items()}
    data_size, last = file_size - 8 - length, 0
    for name, entry in sorted(entries.items(), key=lambda item: item[1].begin):
        if entry.begin < last or entry.end > data_size:
            raise WeightsFileError(
                f"damaged: the bytes of tensor {name[:60]!r} ({entry.begin}-{entry.end}) "
                f"overlap another tensor's or lie past the file's end ({data_size} bytes of data)."
            )
        last = entry.end
    return entries, metadata, 8 + length


def _entry(name: str, value: object) -> TensorEntry:
    if not isinstance(value, dict) or set(value) != {"dtype", "shape", "data_offsets"}:
        raise WeightsFileError(
            f"damaged: the header entry of {name[:60]!r} is {short_repr(value)}."
        )
    dtype, shape, offsets = value["dtype"], value["shape"], value["data_offsets"]
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise WeightsFileError(
            f"its tensor {name[:60]!r} has the dtype {short_repr(dtype)}, which cnnlab does not "
            f"read (known: {', '.join(DTYPES)})."
        )
    numbers = (*shape, *offsets) if isinstance(shape, list) and isinstance(offsets, list) else ()
    if (
        not numbers
        or len(offsets) != 2
        or len(shape) > 32
        or not all(type(n) is int and 0 <= n < 2**62 for n in numbers)
        or offsets[0] > offsets[1]
    ):
        raise WeightsFileError(
            f"damaged: the tensor {name[:60]!r} has shape {short_repr(shape)} and data offsets "
            f"{short_repr(offsets)}."
        )
    nbytes = math.prod(shape) * np.dtype(DTYPES[dtype]).itemsize
    if offsets[1] - offsets[0] != nbytes:
        raise WeightsFileError(
            f"damaged: the tensor {name[:60]!r} of shape {tuple(shape)} and dtype {dtype} needs "
            f"{nbytes:,} bytes, but its data offsets span {offsets[1] - offsets[0]:,}."
        )
    return TensorEntry(dtype, tuple(shape), offsets[0], offsets[1])
