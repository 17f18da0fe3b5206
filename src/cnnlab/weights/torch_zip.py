"""The zip archive of a ``torch.save`` file, every record checked before any is read.

torch writes its records *stored* (uncompressed), unencrypted, one after another. A crafted
archive may claim otherwise: a deflated record inflates to any size, records may claim
more bytes than the file has or share them. So every record must be stored, unencrypted
and together fit in the file before anything is read; then each record is read once,
straight into the buffer its array will use, and checked against its CRC-32.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from .errors import WeightsFileError

LEGACY_MAGIC = (b"\x80\x02", b"\x80\x03", b"\x80\x04")
LOCAL_HEADER = struct.Struct("<4s22xHH")  # a record's header: signature ... name, extra


class TorchArchive:
    """An open ``torch.save`` archive: its pickle, byte order and storage records.

    ``stream`` is the open file and ``file_size`` its size; errors are
    :class:`WeightsFileError` lines without the file's name (the caller adds it).
    """

    def __init__(self, stream, file_size: int) -> None:
        head = stream.read(4)
        stream.seek(0)
        try:
            self.zip = zipfile.ZipFile(stream)
        except zipfile.BadZipFile as error:
            raise WeightsFileError(_not_a_zip(head, error)) from None
        self.stream = stream
        self.records = _checked_records(self.zip, file_size)
        pickles = [n for n in self.records if n.endswith("/data.pkl") and n.count("/") == 1]
        if len(pickles) != 1:
            raise WeightsFileError("not a PyTorch checkpoint (no <name>/data.pkl inside).")
        self.pickle_name = pickles[0]
        self.prefix = pickles[0][: -len("data.pkl")]
        self.byteorder = "little"
        if self.prefix + "byteorder" in self.records:
            self.byteorder = self.zip.read(self.prefix + "byteorder").decode("ascii", "replace")
            self.byteorder = self.byteorder.strip()
            if self.byteorder not in ("little", "big"):
                raise WeightsFileError(f"damaged: its byte order is {self.byteorder[:20]!r}.")

    def __enter__(self) -> TorchArchive:
        return self

    def __exit__(self, *_exception) -> None:
        self.zip.close()

    def read_pickle(self) -> bytes:
        return self.zip.read(self.pickle_name)

    def read_record(self, key: str) -> bytearray:
        """The bytes of the storage record ``key``, read once into a new buffer."""
        name = f"{self.prefix}data/{key}"
        if name not in self.records:
            raise WeightsFileError(f"damaged: it has no storage record {key[:40]!r}.")
        info = self.zip.getinfo(name)
        self.stream.seek(info.header_offset)
        signature, name_size, extra_size = LOCAL_HEADER.unpack(self.stream.read(LOCAL_HEADER.size))
        if signature != b"PK\x03\x04":
            raise WeightsFileError(f"damaged: its record {name[:60]!r} has no header.")
        self.stream.seek(info.header_offset + LOCAL_HEADER.size + name_size + extra_size)
        data = bytearray(info.file_size)  # checked: the records fit in the file
        if self.stream.readinto(data) != len(data) or zlib.crc32(data) != info.CRC:
            raise WeightsFileError(
                f"damaged: the bytes of its record {name[:60]!r} do not match their CRC-32 "
                "(changed or cut short)."
            )
        return data


def _not_a_zip(head: bytes, error: Exception) -> str:
    if head.startswith(b"PK"):
        return f"damaged: its zip archive cannot be read ({error})."
    if head[:2] in LEGACY_MAGIC:
        return (
            "in torch's legacy (pre-1.6) checkpoint format, which cnnlab does not read; "
            "re-save it with a recent torch (torch.save(torch.load(path), path))."
        )
    return "not a PyTorch checkpoint (not a zip archive)."


def _checked_records(archive: zipfile.ZipFile, file_size: int) -> set[str]:
    """The names of the records, once each is known to be stored plainly inside the file."""
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise WeightsFileError(f"its record {info.filename[:60]!r} is encrypted.")
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            raise WeightsFileError(
                f"its record {info.filename[:60]!r} is compressed (method "
                f"{info.compress_type}); torch writes its records uncompressed."
            )
        total += info.file_size
    if total > file_size:
        raise WeightsFileError(
            f"damaged: its records claim {total:,} bytes, more than the file's {file_size:,}."
        )
    return {info.filename for info in archive.infolist()}
