"""The classic image datasets: MNIST, Fashion-MNIST and CIFAR-10, downloaded once and cached.

Each loader returns a :class:`Dataset` with pixels scaled to ``[0, 1]``. The SHA-256 values
and sizes below are those of the canonical files; the authors publish MD5 sums (MNIST
through torchvision, Fashion-MNIST in its README, CIFAR-10 on its page), noted beside them.
HTTPS mirrors come first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._validation import check_choice, received
from .dataset import Dataset
from .download import fetch
from .formats import read_cifar_archive, read_idx
from .remote import RemoteFiles

SPLITS = ("train", "test")

MNIST = RemoteFiles(
    name="mnist",
    title="MNIST",
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",  # torchvision's mirror
        "https://storage.googleapis.com/cvdf-datasets/mnist/",  # TensorFlow's mirror
    ),
    sha256={  # sizes in bytes and MD5 (torchvision) in the comments
        "train-images-idx3-ubyte.gz": (  # 9,912,422; f68b3c2dcbeaaa9fbdd348bbdeb94873
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
        ),
        "train-labels-idx1-ubyte.gz": (  # 28,881; d53e105ee54ea40749a09fcbcd1e9432
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
        ),
        "t10k-images-idx3-ubyte.gz": (  # 1,648,877; 9fb629c4189551a2d022fa330f9573f3
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
        ),
        "t10k-labels-idx1-ubyte.gz": (  # 4,542; ec29112dd5afa0611ce80d1b7f02629c
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
        ),
    },
    sizes={
        "train-images-idx3-ubyte.gz": 9_912_422,
        "train-labels-idx1-ubyte.gz": 28_881,
        "t10k-images-idx3-ubyte.gz": 1_648_877,
        "t10k-labels-idx1-ubyte.gz": 4_542,
    },
)

FASHION_MNIST = RemoteFiles(
    name="fashion-mnist",
    title="Fashion-MNIST",
    mirrors=(
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",  # no HTTPS there
    ),
    sha256={  # sizes in bytes and MD5 (the README's) in the comments
        "train-images-idx3-ubyte.gz": (  # 26,421,880; 8d4fb7e6c68d591d4c3dfef9ec88bf0d
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
        ),
        "train-labels-idx1-ubyte.gz": (  # 29,515; 25c81989df183df01b3e8a0aad5dffbe
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
        ),
        "t10k-images-idx3-ubyte.gz": (  # 4,422,102; bef4ecab320f06d8554ea6380940ec79
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
        ),
        "t10k-labels-idx1-ubyte.gz": (  # 5,148; bb300cfdad3c16e7a12a480ee83cd310
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
        ),
    },
    sizes={
        "train-images-idx3-ubyte.gz": 26_421_880,
        "train-labels-idx1-ubyte.gz": 29_515,
        "t10k-images-idx3-ubyte.gz": 4_422_102,
        "t10k-labels-idx1-ubyte.gz": 5_148,
    },
)

CIFAR10 = RemoteFiles(
    name="cifar10",
    title="CIFAR-10",
    mirrors=("https://www.cs.toronto.edu/~kriz/",),
    sha256={  # 170,052,171 bytes; MD5 c32a1d4ab5d03f1284b67883e8d87530 (the authors' page)
        "cifar-10-binary.tar.gz": (
            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
        ),
    },
    sizes={"cifar-10-binary.tar.gz": 170_052_171},
)

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip


def load_mnist(
    split: str = "train",
    root: str | Path | None = None,
    download: bool = True,
    url: str | None = None,
    source: RemoteFiles = MNIST,
    progress: bool = True,
) -> Dataset:
    """The MNIST handwritten digits: images ``(N, 1, 28, 28)`` in ``[0, 1]``, classes "0".."9".

    Parameters
    ----------
    split : {"train", "test"}
        60,000 training or 10,000 test images.
    root : str or Path, optional
        Cache folder (default ``$CNNLAB_DATA``, else ``~/.cache/cnnlab``); files go in
        ``root/mnist``.
    download : bool
        Download missing files (once); when false, missing files are an error.
    url : str, optional
        A base URL or local folder holding the four ``.gz`` files, instead of the mirrors.
    source : RemoteFiles
        Mirrors, SHA-256 values and sizes (replace them with ``dataclasses.replace``).
    progress : bool
        Show a progress bar while downloading.
    """
    return _load_idx(source, split, root, download, url, progress, tuple("0123456789"))


def load_fashion_mnist(
    split: str = "train",
    root: str | Path | None = None,
    download: bool = True,
    url: str | None = None,
    source: RemoteFiles = FASHION_MNIST,
    progress: bool = True,
) -> Dataset:
    """Fashion-MNIST (Zalando): ten kinds of clothing, images ``(N, 1, 28, 28)`` in ``[0, 1]``.

    The parameters are those of :func:`load_mnist`; files go in ``root/fashion-mnist``.
    """
    return _load_idx(source, split, root, download, url, progress, FASHION_MNIST_CLASSES)


def load_cifar10(
    split: str = "train",
    root: str | Path | None = None,
    download: bool = True,
    url: str | None = None,
    source: RemoteFiles = CIFAR10,
    progress: bool = True,
) -> Dataset:
    """CIFAR-10 (binary version): colour images ``(N, 3, 32, 32)`` in ``[0, 1]``, ten classes.

    ``split="train"`` reads the five training batches (50,000 images), ``"test"`` the test
    batch (10,000). The other parameters are those of :func:`load_mnist`; the archive
    ``cifar-10-binary.tar.gz`` goes in ``root/cifar10`` and is read without extracting it.
    """
    split = check_choice("split", split, SPLITS)
    paths = fetch(source, root=root, download=download, url=url, progress=progress)
    members = (
        [f"data_batch_{i}.bin" for i in range(1, 6)] if split == "train" else ["test_batch.bin"]
    )
    images, labels = read_cifar_archive(paths["cifar-10-binary.tar.gz"], members)
    return Dataset(_scaled(images), labels.astype(np.int64), CIFAR10_CLASSES)


def _load_idx(source, split, root, download, url, progress, classes) -> Dataset:
    split = check_choice("split", split, SPLITS)
    prefix = "train" if split == "train" else "t10k"
    names = (f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz")
    paths = fetch(source, names, root=root, download=download, url=url, progress=progress)
    images, labels = read_idx(paths[names[0]], ndim=3), read_idx(paths[names[1]], ndim=1)
    if len(images) != len(labels) or (labels.size and labels.max() >= len(classes)):
        raise ValueError(
            f"{source.title} {split} files do not match: {len(images)} images, {len(labels)} "
            f"labels up to {labels.max(initial=0)} for {len(classes)} classes. "
            f"{received(images=images, labels=labels)}"
        )
    return Dataset(_scaled(images[:, None]), labels.astype(np.int64), classes)


def _scaled(pixels: np.ndarray) -> np.ndarray:
    return pixels.astype(np.float32) / np.float32(255.0)
