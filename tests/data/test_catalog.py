"""MNIST, Fashion-MNIST and CIFAR-10 loaders on small files in the real formats.

The files are made here; their SHA-256 and size replace the published ones through ``source``.
"""

import dataclasses
import re
import urllib.error
import urllib.request

import numpy as np
import pytest

from cnnlab.data import ChecksumError, DownloadError, load_cifar10, load_fashion_mnist, load_mnist
from cnnlab.data.catalog import CIFAR10, FASHION_MNIST, MNIST
from data.files import cifar_bytes, sha256, write_cifar_archive, write_idx_gz

RNG = np.random.default_rng(0)
SIZES = {"train": 5, "t10k": 3}


def published_as(registry, folder):
    """``registry`` with the SHA-256 and size of the files in ``folder``."""
    files = sorted(folder.iterdir())
    return dataclasses.replace(
        registry,
        sha256={p.name: sha256(p) for p in files},
        sizes={p.name: p.stat().st_size for p in files},
    )


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
    data = load(split, url=str(folder), source=published_as(registry, folder))
    images, labels = arrays[prefix]
    assert data.images.shape == (SIZES[prefix], 1, 28, 28) and data.images.dtype == np.float32
    np.testing.assert_allclose(data.images[:, 0], images / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.labels, labels)
    assert len(data.classes) == 10 and data.classes[0] == first_class


def test_the_second_load_reads_the_cache(idx_mirror, tmp_path):
    folder, _, _ = idx_mirror
    source = published_as(MNIST, folder)
    first = load_mnist("test", root=tmp_path / "c", url=str(folder), source=source)
    for file in folder.iterdir():
        file.unlink()
    second = load_mnist("test", root=tmp_path / "c", url=str(folder), source=source)
    np.testing.assert_array_equal(first.images, second.images)
    assert sorted(p.name for p in (tmp_path / "c" / "mnist").iterdir()) == [
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ]


def test_the_published_sizes_and_checksums_are_refused_for_other_files(idx_mirror):
    folder, digests, _ = idx_mirror
    with pytest.raises(ChecksumError, match="offers .* bytes, the published file has 1,648,877"):
        load_mnist("test", url=str(folder))
    sizes = {name: (folder / name).stat().st_size for name in digests}
    with pytest.raises(ChecksumError, match="SHA-256 .*, expected 8d422c7b0a1c1c79245a5bcf07fe"):
        load_mnist("test", url=str(folder), source=dataclasses.replace(MNIST, sizes=sizes))


def test_the_registry_holds_every_canonical_file_once_with_its_size_https_first():
    for registry, count in ((MNIST, 4), (FASHION_MNIST, 4), (CIFAR10, 1)):
        assert len(registry.sha256) == count and len(set(registry.sha256.values())) == count
        assert set(registry.sizes) == set(registry.sha256)
        schemes = [m.split("://")[0] for m in registry.mirrors]
        assert schemes[0] == "https" and schemes == sorted(schemes, key=lambda s: s != "https")


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
    every_file = ", ".join(MNIST.sha256)  # the test split's too: all four go there by hand
    assert f"put {every_file} into {folder} by hand" in message
    assert "t10k-labels-idx1-ubyte.gz" in every_file and "\n" not in message


def test_mismatched_image_and_label_files_are_refused(idx_mirror):
    folder, digests, _ = idx_mirror
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    write_idx_gz(folder / "t10k-labels-idx1-ubyte.gz", np.zeros(7, np.uint8))
    source = published_as(MNIST, folder)
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
    write_cifar_archive(folder / "cifar-10-binary.tar.gz", batches)
    return folder, published_as(CIFAR10, folder), arrays


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
