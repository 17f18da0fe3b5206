"""Architectures built from ``cnnlab.nn`` layers.

lenet5      LeCun's digit network with ReLU and max pooling: 1x28x28 -> 10 classes
small_vgg   a two-block VGG for 3x32x32 images: the engine's speed benchmark
build_model an architecture by name (ARCHITECTURES lists them)
"""

from .lenet import lenet5
from .registry import ARCHITECTURES, build_model
from .vgg import small_vgg

__all__ = ["ARCHITECTURES", "build_model", "lenet5", "small_vgg"]
