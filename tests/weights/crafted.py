"""Crafting weights files: a pickle assembler and zip, safetensors and model.json editors.

torch writes the good files; the bad ones are edits of their bytes or pickles assembled
here, instruction by instruction, in protocol 2 as ``torch.save`` writes them.
"""

import io
import json
import struct
import zipfile

import numpy as np
import torch

MARK, TUPLE, REDUCE, BUILD, POP, STOP = b"(", b"t", b"R", b"b", b"0", b"."
EMPTY_DICT, SETITEM, SETITEMS, FALSE = b"}", b"s", b"u", b"\x89"


def text(value: str) -> bytes:
    data = value.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def integer(value: int) -> bytes:
    if 0 <= value < 256:
        return b"K" + bytes([value])
    if -(2**31) <= value < 2**31:
        return b"J" + struct.pack("<i", value)
    data = value.to_bytes((value.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(data)]) + data


def name(module: str, attribute: str) -> bytes:
    return b"c" + f"{module}\n{attribute}\n".encode()


def tup(*items: bytes) -> bytes:
    return MARK + b"".join(items) + TUPLE


def ints(values) -> bytes:
    return tup(*(integer(v) for v in values))


def storage(key="0", numel=4, kind="FloatStorage") -> bytes:
    return tup(text("storage"), name("torch", kind), text(key), text("cpu"), integer(numel)) + b"Q"


def tensor(offset=0, size=(4,), stride=(1,), store=None) -> bytes:
    hooks = name("collections", "OrderedDict") + b")" + REDUCE
    arguments = tup(store or storage(), integer(offset), ints(size), ints(stride), FALSE, hooks)
    return name("torch._utils", "_rebuild_tensor_v2") + arguments + REDUCE


def state(*items: tuple[str, bytes], before: bytes = b"") -> bytes:
    """A pickled dict of ``items`` (name, pickled value); ``before`` runs first."""
    body = b"".join(text(key) + value for key, value in items)
    return b"\x80\x02" + before + EMPTY_DICT + MARK + body + SETITEMS + STOP


FLOATS = np.arange(4, dtype="<f4").tobytes()


def entries(pickled: bytes, records=None, byteorder=b"little") -> dict[str, bytes]:
    files = {"archive/data.pkl": pickled, "archive/byteorder": byteorder}
    for key, data in ({"0": FLOATS} if records is None else records).items():
        files[f"archive/data/{key}"] = data
    return files


def write_zip(path, files: dict[str, bytes], compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name_, data in files.items():
            archive.writestr(name_, data)
    return path


def torch_bytes(value) -> bytes:
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def torch_entries(value) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(torch_bytes(value)))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def edit_directory(data: bytes, record: str, **fields) -> bytes:
    """``data`` (a zip) with fields of ``record``'s central directory entry rewritten:
    ``flags``, ``method``, ``size`` (both sizes)."""
    at = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length].decode() == record:
            break
        extra, comment = struct.unpack_from("<HH", data, at + 30)
        at = data.index(b"PK\x01\x02", at + 46 + name_length + extra + comment)
    edited = bytearray(data)
    if "flags" in fields:
        struct.pack_into("<H", edited, at + 8, fields["flags"])
    if "method" in fields:
        struct.pack_into("<H", edited, at + 10, fields["method"])
    if "size" in fields:
        struct.pack_into("<II", edited, at + 20, fields["size"], fields["size"])
    return bytes(edited)


def safetensors_bytes(header, data: bytes = b"", length: int | None = None) -> bytes:
    encoded = header if isinstance(header, bytes) else json.dumps(header).encode()
    size = len(encoded) if length is None else length
    return struct.pack("<Q", size) + encoded + data
