"""IDX and CIFAR-10 binary files: written here from the format descriptions, read back."""

import gzip
import re
import tarfile

import numpy as np
import pytest

from cnnlab.data import read_cifar_records, read_idx
from cnnlab.data.formats import read_cifar_archive
from data.files import cifar_bytes, idx_bytes, write_cifar_archive


@pytest.mark.parametrize("dtype", ["u1", "i1", ">i2", ">i4", ">f4", ">f8"])
def test_idx_round_trip_for_every_type(tmp_path, dtype):
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    (tmp_path / "a.idx").write_bytes(idx_bytes(array))
    back = read_idx(tmp_path / "a.idx", ndim=3)
    np.testing.assert_array_equal(back, array)
    assert back.dtype.isnative and back.flags.writeable


def test_gzipped_idx_is_read_like_mnist(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    (tmp_path / "x-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    back = read_idx(tmp_path / "x-idx3-ubyte.gz", ndim=3)
    np.testing.assert_array_equal(back, images)
    assert back.dtype == np.uint8


def test_a_wrong_magic_number_is_refused(tmp_path):
    path = tmp_path / "not.idx"
    path.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(
        ValueError, match=re.escape(f"{path} is not an IDX file: it starts with 0x504b0304")
    ):
        read_idx(path)


def test_labels_where_images_are_expected_are_refused(tmp_path):
    path = tmp_path / "labels.idx"
    path.write_bytes(idx_bytes(np.zeros(5, np.uint8)))
    with pytest.raises(
        ValueError,
        match=r"holds an IDX array of 1 dimensions \(magic number 0x00000801\) where one of 3",
    ):
        read_idx(path, ndim=3)


def test_a_truncated_file_is_called_corrupt(tmp_path):
    path = tmp_path / "short.idx"
    path.write_bytes(idx_bytes(np.zeros((2, 4, 4), np.uint8))[:-3])
    message = (
        "is corrupt: its header announces shape (2, 4, 4) (32 bytes of values) but it holds 29"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        read_idx(path)
    path.write_bytes(bytes([0, 0, 8, 3, 0, 0]))
    with pytest.raises(ValueError, match="is corrupt: it ends inside its IDX header"):
        read_idx(path)


def test_a_broken_gzip_file_is_reported_by_name(tmp_path):
    path = tmp_path / "broken.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros(50, np.uint8)))[:-10])
    with pytest.raises(ValueError, match=re.escape(f"{path} is not a readable gzip file")):
        read_idx(path)


def test_cifar_records_split_into_channels_first_images_and_labels():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (4, 3, 32, 32), dtype=np.uint8)
    labels = np.array([0, 9, 3, 3], dtype=np.uint8)
    got_images, got_labels = read_cifar_records(cifar_bytes(images, labels))
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)


def test_cifar_records_of_the_wrong_length_or_label_are_corrupt():
    with pytest.raises(ValueError, match="records are 3073 bytes each .* holds 3074 bytes"):
        read_cifar_records(bytes(3074), "batch")
    with pytest.raises(ValueError, match="a label is 10, beyond the 10 classes"):
        read_cifar_records(bytes([10]) + bytes(3072), "batch")


def test_cifar_archive_members_are_read_in_the_asked_order(tmp_path):
    a, b = np.zeros((1, 3, 32, 32), np.uint8), np.full((2, 3, 32, 32), 7, np.uint8)
    path = write_cifar_archive(
        tmp_path / "c.tar.gz",
        {"b.bin": cifar_bytes(b, [2, 3]), "a.bin": cifar_bytes(a, [1]), "readme.html": b"<p>"},
    )
    images, labels = read_cifar_archive(path, ["a.bin", "b.bin"])
    np.testing.assert_array_equal(labels, [1, 2, 3])
    np.testing.assert_array_equal(images, np.concatenate([a, b]))


def test_cifar_archive_is_read_without_writing_anything(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    record = cifar_bytes(np.zeros((1, 3, 32, 32)), [4])
    path = write_cifar_archive(
        folder / "c.tar.gz", {"../../escape/test_batch.bin": record}, folder=""
    )
    images, labels = read_cifar_archive(path, ["test_batch.bin"])
    assert labels.tolist() == [4]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["c.tar.gz", "cache"]


def test_links_and_missing_members_are_not_read(tmp_path):
    path = tmp_path / "c.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        link = tarfile.TarInfo("cifar-10-batches-bin/test_batch.bin")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    with pytest.raises(ValueError, match="lacks test_batch.bin: is it the CIFAR-10 binary archive"):
        read_cifar_archive(path, ["test_batch.bin"])


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    path = tmp_path / "c.tar.gz"
    path.write_bytes(b"not an archive")
    with pytest.raises(ValueError, match="is not a readable tar.gz archive"):
        read_cifar_archive(path, ["test_batch.bin"])
