"""Reading the file formats of the classic datasets: IDX (MNIST family) and CIFAR binary.

IDX: a 4-byte magic number ``0x00 0x00 <type> <ndim>``, then ``ndim`` big-endian uint32
sizes, then the values, big-endian, row-major. CIFAR-10 binary: records of one label byte
followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major).
"""

from __future__ import annotations

import gzip
import struct
import tarfile
import zlib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import numpy as np

IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
CIFAR_SHAPE = (3, 32, 32)
CIFAR_RECORD = 1 + 3 * 32 * 32


def read_idx(path: str | Path, ndim: int | None = None) -> np.ndarray:
    """Read an IDX file, gzipped (``.gz``) or not.

    Parameters
    ----------
    path : str or Path
    ndim : int, optional
        The number of dimensions the file must have (3 for MNIST images, 1 for labels).

    Returns
    -------
    ndarray
        The values, with the file's shape and type (uint8 for MNIST).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.idx")
    >>> _ = open(path, "wb").write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(path, ndim=1)
    array([7, 2, 1], dtype=uint8)
    """
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] not in IDX_TYPES or raw[3] == 0:
        raise ValueError(
            f"{path} is not an IDX file: it starts with 0x{raw[:4].hex()}, not 0x0000 then a "
            "type code (08 for unsigned bytes) and a number of dimensions."
        )
    dtype, count = np.dtype(IDX_TYPES[raw[2]]), raw[3]
    if ndim is not None and count != ndim:
        raise ValueError(
            f"{path} holds an IDX array of {count} dimensions (magic number 0x{raw[:4].hex()}) "
            f"where one of {ndim} was expected: is it the right file?"
        )
    header = 4 + 4 * count
    if len(raw) < header:
        raise ValueError(f"{path} is corrupt: it ends inside its IDX header.")
    shape = struct.unpack(f">{count}I", raw[4:header])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(
            f"{path} is corrupt: its header announces shape {shape} ({expected} bytes of "
            f"values) but it holds {len(raw) - header} bytes after the header."
        )
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _read_bytes(path: Path) -> bytes:
    if path.suffix != ".gz":
        return path.read_bytes()
    try:
        return gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{path} is not a readable gzip file ({error}).") from error


def read_cifar_records(data: bytes, name: str = "data") -> tuple[np.ndarray, np.ndarray]:
    """Split CIFAR-10 binary records into images ``(N, 3, 32, 32)`` and labels, both uint8.

    Examples
    --------
    >>> images, labels = read_cifar_records(bytes([3]) + bytes(3072))
    >>> images.shape, labels
    ((1, 3, 32, 32), array([3], dtype=uint8))
    """
    if len(data) % CIFAR_RECORD:
        raise ValueError(
            f"{name} is corrupt: CIFAR-10 records are {CIFAR_RECORD} bytes each (1 label, "
            f"3072 pixels) but it holds {len(data)} bytes, not a multiple of that."
        )
    records = np.frombuffer(data, np.uint8).reshape(-1, CIFAR_RECORD)
    labels = records[:, 0].copy()
    if labels.size and labels.max() > 9:
        raise ValueError(f"{name} is corrupt: a label is {labels.max()}, beyond the 10 classes.")
    return records[:, 1:].reshape(-1, *CIFAR_SHAPE).copy(), labels


def read_cifar_archive(path: str | Path, members: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Read the named record files (e.g. ``test_batch.bin``) from the CIFAR-10 tar.gz.

    The archive is read in memory, member by member; nothing is extracted to disk, so no
    member name can write outside the cache. Members are matched by their file name and
    must be regular files; their records are concatenated in the order of ``members``.
    """
    path = Path(path)
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                name = PurePosixPath(member.name).name
                if name in members and member.isfile():
                    found[name] = archive.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{path} is not a readable tar.gz archive ({error}).") from error
    absent = [m for m in members if m not in found]
    if absent:
        raise ValueError(f"{path} lacks {', '.join(absent)}: is it the CIFAR-10 binary archive?")
    parts = [read_cifar_records(found[m], f"{path}:{m}") for m in members]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
