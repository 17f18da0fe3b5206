"""MNIST, Fashion-MNIST and CIFAR-10 loaders on small files in the real formats.

The files are made here; their SHA-256 replaces the published one through ``source``.
"""

import dataclasses
import re
import urllib.error
import urllib.request

import numpy as np
import pytest

from cnnlab.data import DownloadError, load_cifar10, load_fashion_mnist, load_mnist
from cnnlab.data.catalog import CIFAR10, FASHION_MNIST, MNIST
from data.files import cifar_bytes, sha256, write_cifar_archive, write_idx_gz

RNG = np.random.default_rng(0)
SIZES = {"train": 5, "t10k": 3}


@pytest.fixture
def idx_mirror(tmp_path):
    """A folder with the four MNIST-layout files, and their checksums."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    arrays = {}
    for prefix, n in SIZES.items():
        images = RNG.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = RNG.integers(0, 10, n, dtype=np.uint8)
        write_idx_gz(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx_gz(folder / f"{prefix}-labels-idx1-ubyte.gz", labels)
        arrays[prefix] = images, labels
    digests = {p.name: sha256(p) for p in folder.iterdir()}
    return folder, digests, arrays


@pytest.mark.parametrize(
    "load, registry, first_class",
    [(load_mnist, MNIST, "0"), (load_fashion_mnist, FASHION_MNIST, "T-shirt/top")],
)
@pytest.mark.parametrize("split, prefix", [("train", "train"), ("test", "t10k")])
def test_idx_datasets_load_scaled_images_labels_and_names(
    idx_mirror, load, registry, first_class, split, prefix
):
    folder, digests, arrays = idx_mirror
    data = load(split, url=str(folder), source=dataclasses.replace(registry, sha256=digests))
    images, labels = arrays[prefix]
    assert data.images.shape == (SIZES[prefix], 1, 28, 28) and data.images.dtype == np.float32
    np.testing.assert_allclose(data.images[:, 0], images / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.labels, labels)
    assert len(data.classes) == 10 and data.classes[0] == first_class


def test_the_second_load_reads_the_cache(idx_mirror, tmp_path):
    folder, digests, _ = idx_mirror
    source = dataclasses.replace(MNIST, sha256=digests)
    first = load_mnist("test", root=tmp_path / "c", url=str(folder), source=source)
    for file in folder.iterdir():
        file.unlink()
    second = load_mnist("test", root=tmp_path / "c", url=str(folder), source=source)
    np.testing.assert_array_equal(first.images, second.images)
    assert sorted(p.name for p in (tmp_path / "c" / "mnist").iterdir()) == [
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ]


def test_the_published_checksums_are_refused_for_other_files(idx_mirror):
    folder, _, _ = idx_mirror
    with pytest.raises(DownloadError, match="SHA-256 .*, expected 8d422c7b0a1c1c79245a5bcf07fe"):
        load_mnist("test", url=str(folder))


def test_the_registry_holds_every_canonical_file_once():
    for registry, count in ((MNIST, 4), (FASHION_MNIST, 4), (CIFAR10, 1)):
        assert len(registry.sha256) == count and len(set(registry.sha256.values())) == count
        assert all(m.startswith(("http://", "https://")) for m in registry.mirrors)


def test_offline_mnist_names_the_mirrors_and_the_cache_folder(monkeypatch, tmp_path):
    def offline(request, *args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DownloadError) as caught:
        load_mnist("train")
    message = str(caught.value)
    for mirror in MNIST.mirrors:
        assert f"{mirror}train-images-idx3-ubyte.gz (no network)" in message
    folder = tmp_path / "cache" / "mnist"  # $CNNLAB_DATA from the conftest guard
    assert f"put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz into {folder}" in message


def test_mismatched_image_and_label_files_are_refused(idx_mirror):
    folder, digests, _ = idx_mirror
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    write_idx_gz(folder / "t10k-labels-idx1-ubyte.gz", np.zeros(7, np.uint8))
    digests["t10k-labels-idx1-ubyte.gz"] = sha256(folder / "t10k-labels-idx1-ubyte.gz")
    source = dataclasses.replace(MNIST, sha256=digests)
    with pytest.raises(ValueError, match="MNIST test files do not match: 3 images, 7 labels"):
        load_mnist("test", url=str(folder), source=source)


@pytest.fixture
def cifar_mirror(tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    batches, arrays = {}, {}
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        images = RNG.integers(0, 256, (2, 3, 32, 32), dtype=np.uint8)
        labels = RNG.integers(0, 10, 2, dtype=np.uint8)
        batches[name], arrays[name] = cifar_bytes(images, labels), (images, labels)
    batches["batches.meta.txt"] = b"airplane\nautomobile\n"
    path = write_cifar_archive(folder / "cifar-10-binary.tar.gz", batches)
    return folder, dataclasses.replace(CIFAR10, sha256={path.name: sha256(path)}), arrays


def test_cifar10_test_split_is_the_test_batch(cifar_mirror):
    folder, source, arrays = cifar_mirror
    data = load_cifar10("test", url=str(folder), source=source)
    images, labels = arrays["test_batch.bin"]
    assert data.images.shape == (2, 3, 32, 32) and data.images.dtype == np.float32
    np.testing.assert_allclose(data.images, images / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.labels, labels)
    assert data.classes[:3] == ("airplane", "automobile", "bird") and data.num_classes == 10


def test_cifar10_train_split_joins_the_five_batches_in_order(cifar_mirror):
    folder, source, arrays = cifar_mirror
    data = load_cifar10("train", url=str(folder), source=source)
    expected = np.concatenate([arrays[f"data_batch_{i}.bin"][1] for i in range(1, 6)])
    np.testing.assert_array_equal(data.labels, expected)


def test_a_bad_split_is_refused_before_any_download():
    with pytest.raises(ValueError, match=re.escape("`split` must be one of 'train', 'test'")):
        load_cifar10("val")
