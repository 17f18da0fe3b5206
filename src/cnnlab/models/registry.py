"""The architectures by name, for the command line and saved model descriptions."""

from __future__ import annotations

from typing import Any

from .._validation import check_choice
from ..nn import Module
from .alexnet_vgg import alexnet, vgg16
from .lenet import lenet5
from .mobilenet import mobilenet_v2
from .resnet import resnet18, resnet34, resnet50, resnext50_32x4d, resnext101_32x8d
from .squeezenet import squeezenet1_1
from .vgg import small_vgg

ARCHITECTURES = {
    "lenet5": lenet5,
    "small_vgg": small_vgg,
    "resnet18": resnet18,
    "resnet34": resnet34,
    "resnet50": resnet50,
    "resnext50_32x4d": resnext50_32x4d,
    "resnext101_32x8d": resnext101_32x8d,
    "mobilenet_v2": mobilenet_v2,
    "squeezenet1_1": squeezenet1_1,
    "alexnet": alexnet,
    "vgg16": vgg16,
}


def build_model(name: str, **kwargs: Any) -> Module:
    """Build the architecture called ``name`` with keyword arguments of its function.

    >>> import numpy as np
    >>> build_model("lenet5", num_classes=3, input_size=32)(np.zeros((1, 1, 32, 32))).shape
    (1, 3)
    """
    name = check_choice("model", name, tuple(ARCHITECTURES))
    return ARCHITECTURES[name](**kwargs)
