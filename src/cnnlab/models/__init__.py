"""Architectures built from ``cnnlab.nn`` layers.

lenet5      LeCun's digit network with ReLU and max pooling: 1x28x28 -> 10 classes
small_vgg   a two-block VGG for 3x32x32 images: the engine's speed benchmark
resnet18, resnet34, resnet50, resnext50_32x4d, resnext101_32x8d
            torchvision's ResNets (v1.5) and ResNeXts, with its state-dict keys
mobilenet_v2 torchvision's MobileNetV2 (depthwise convolutions, ReLU6)
squeezenet1_1 torchvision's SqueezeNet 1.1 (Fire modules, 1.2 M parameters)
alexnet, vgg16 torchvision's AlexNet and VGG-16 (adaptive pooling to 6x6 / 7x7)
build_model an architecture by name (ARCHITECTURES lists them)
spectra_cnn the 1-D CNN of the spectra experiment (line shape, peak count)
fringes_cnn the fringe-spacing regressor of the interference experiment
photonic_cnn the band-edge regressor of the photonic-crystal experiment (circular padding)
"""

from .alexnet_vgg import alexnet, vgg16
from .fringes_net import fringes_cnn
from .lenet import lenet5
from .mobilenet import mobilenet_v2
from .photonic_net import photonic_cnn
from .registry import ARCHITECTURES, build_model
from .resnet import (
    ResNet,
    resnet18,
    resnet34,
    resnet50,
    resnext50_32x4d,
    resnext101_32x8d,
)
from .spectra_net import spectra_cnn
from .squeezenet import squeezenet1_1
from .vgg import small_vgg

__all__ = [
    "ARCHITECTURES",
    "ResNet",
    "alexnet",
    "build_model",
    "fringes_cnn",
    "lenet5",
    "mobilenet_v2",
    "photonic_cnn",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnext50_32x4d",
    "resnext101_32x8d",
    "small_vgg",
    "spectra_cnn",
    "squeezenet1_1",
    "vgg16",
]
