"""``cnnlab filter --kernel-file K``: a 2-D kernel from a ``.npy`` file or from text.

Files come from users, so every way a file can be wrong gets its own message in cnnlab's
words: not a ``.npy`` file, Python objects instead of numbers, the wrong number of
dimensions, rows of different lengths, a word among the numbers, no numbers at all,
NaN or Inf, or more values than any kernel needs (checked before they are read).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: The most values a kernel file may hold: a 1024x1024 kernel, far beyond any image filter.
MAX_VALUES = 1 << 20
MAX_TEXT_BYTES = 32 * MAX_VALUES  # a text file's size bound, before it is read
NPY_MAGIC = b"\x93NUMPY"


def read_kernel_file(path: Path) -> np.ndarray:
    """A finite 2-D float64 kernel from ``.npy`` or a text file of whitespace-separated rows.

    >>> import tempfile, os
    >>> text = os.path.join(tempfile.mkdtemp(), "k.txt")
    >>> _ = Path(text).write_text("0 1 0\\n1 -4 1\\n0 1 0\\n")
    >>> read_kernel_file(Path(text))[1]
    array([ 1., -4.,  1.])
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No such kernel file: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"Expected a kernel file but found a folder: {path}")
    kernel = _read_npy(path) if path.suffix.lower() == ".npy" else _read_text(path)
    if kernel.size == 0:
        raise ValueError(f"The kernel file {path} holds no values; a kernel needs at least one.")
    if not np.all(np.isfinite(kernel)):
        raise ValueError(f"The kernel file holds NaN or Inf values: {path}")
    return kernel


def _read_npy(path: Path) -> np.ndarray:
    with open(path, "rb") as file:
        if file.read(len(NPY_MAGIC)) != NPY_MAGIC:
            raise ValueError(
                f"{path} is not a .npy file (it lacks NumPy's header): save the kernel with "
                "numpy.save, or write it as text with one row per line."
            )
    try:  # memory-mapped: the header is read and checked, the values are not yet loaded
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError as error:
        if "object" in str(error).lower():
            raise ValueError(
                f"The kernel file {path} must hold real numbers; it holds Python objects."
            ) from error
        raise ValueError(f"{path} is a damaged or cut-short .npy file.") from error
    if mapped.dtype.kind not in "biuf":
        raise ValueError(
            f"The kernel file {path} must hold real numbers; it holds {mapped.dtype} values."
        )
    if mapped.ndim != 2:
        raise ValueError(
            f"The kernel file must hold a 2-D array; {path} holds one of shape {mapped.shape}."
        )
    if mapped.size > MAX_VALUES:
        raise ValueError(_too_many(path, "x".join(map(str, mapped.shape))))
    return np.array(mapped, dtype=np.float64)


def _read_text(path: Path) -> np.ndarray:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ValueError(_too_many(path, f"{path.stat().st_size} bytes of text"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path} is not a text file of numbers (nor a .npy file by its name)."
        ) from error
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#")[0].replace(",", " ").split()
        if not words:
            continue
        try:
            rows.append([float(word) for word in words])
        except ValueError:
            word = next(w for w in words if not _is_number(w))
            raise ValueError(
                f"Line {number} of the kernel file {path} holds {word!r}, which is not a number."
            ) from None
        if len(rows[-1]) != len(rows[0]):
            raise ValueError(
                f"The rows of the kernel file {path} differ in length: the first has "
                f"{len(rows[0])} numbers, line {number} has {len(rows[-1])}. A 2-D kernel "
                "needs the same count on every line."
            )
    if not rows:
        raise ValueError(
            f"The kernel file {path} holds no numbers: write one row of the kernel per line."
        )
    return np.array(rows, dtype=np.float64)


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True


def _too_many(path: Path, size: str) -> str:
    return (
        f"The kernel file {path} is too large ({size}); a kernel holds at most {MAX_VALUES} "
        "values (1024x1024)."
    )
