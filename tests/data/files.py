"""Small files in the real dataset formats, written from the formats' descriptions."""

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

import numpy as np

IDX_CODES = {np.dtype("u1"): 0x08, np.dtype("i1"): 0x09, np.dtype(">i2"): 0x0B}
IDX_CODES |= {np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file's bytes, written from the format's description (the test oracle)."""
    code = IDX_CODES[array.dtype]
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape
    )
    return header + array.tobytes()


def write_idx_gz(path: Path, array: np.ndarray) -> Path:
    path.write_bytes(gzip.compress(idx_bytes(array)))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cifar_bytes(images: np.ndarray, labels: np.ndarray) -> bytes:
    """CIFAR-10 binary records: one label byte, then 3072 pixel bytes, per image."""
    records = [bytes([int(y)]) + x.astype(np.uint8).tobytes() for x, y in zip(images, labels)]
    return b"".join(records)


def write_cifar_archive(path: Path, batches: dict[str, bytes], folder="cifar-10-batches-bin"):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in batches.items():
            info = tarfile.TarInfo(f"{folder}/{name}" if folder else name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path
