"""Data: datasets, transforms, downloads (cached and checked), and pictures cnnlab draws.

Dataset     images (N, C, H, W) float32, integer labels and class names; batches, split
demo_image  a 256x256 grayscale picture with edges in every direction, for filter demos
shapes      a built-in dataset: circles, squares, triangles, crosses, rings on noisy ground

Transforms, called as t(images, rng) on batches (N, C, H, W); Compose chains them
    Compose, Normalize, Brightness, Contrast, RandomAffine (rotation, translation, scale,
    shear), RandomHorizontalFlip, RandomVerticalFlip, RandomCrop; affine (one fixed warp)
Downloaded once into a cache ($CNNLAB_DATA or ~/.cache/cnnlab), checked by SHA-256
    load_mnist, load_fashion_mnist, load_cifar10; fetch, cache_dir, RemoteFiles,
    DownloadLimits, DownloadError, ChecksumError; read_idx, read_cifar_records (the formats)
Your own images
    load_image_folder  one sub-folder per class, any format Pillow reads, resized
"""

from .affine import RandomAffine, affine
from .catalog import load_cifar10, load_fashion_mnist, load_mnist
from .dataset import Dataset, concatenate
from .demo_image import demo_image
from .download import ChecksumError, DownloadError, cache_dir, fetch
from .formats import read_cifar_records, read_idx
from .geometric import RandomCrop, RandomHorizontalFlip, RandomVerticalFlip
from .image_folder import load_image_folder
from .remote import DownloadLimits, RemoteFiles
from .shapes import shapes
from .transforms import Brightness, Compose, Contrast, Normalize

__all__ = [
    "Brightness",
    "ChecksumError",
    "Compose",
    "Contrast",
    "Dataset",
    "DownloadError",
    "DownloadLimits",
    "Normalize",
    "RandomAffine",
    "RandomCrop",
    "RandomHorizontalFlip",
    "RandomVerticalFlip",
    "RemoteFiles",
    "affine",
    "cache_dir",
    "concatenate",
    "demo_image",
    "fetch",
    "load_cifar10",
    "load_fashion_mnist",
    "load_image_folder",
    "load_mnist",
    "read_cifar_records",
    "read_idx",
    "shapes",
]
