"""He-normal initialisation, shared by the ImageNet architectures."""

from __future__ import annotations

import math

import numpy as np

from ..nn import BatchNorm2d, Conv2d, Module


def he_normal_init(model: Module, rng: np.random.Generator) -> None:
    """Kaiming-normal (fan_out, ReLU) conv weights, zero conv biases, BN weight 1 bias 0.

    torchvision's initialisation of ResNet, ResNeXt and MobileNet convolutions:
    ``N(0, 2 / fan_out)`` with ``fan_out = C_out * KH * KW``.
    """
    for module in model.modules():
        if isinstance(module, Conv2d):
            weight = module.weight.data
            fan_out = weight.shape[0] * int(np.prod(weight.shape[2:]))
            std = math.sqrt(2.0 / fan_out)
            weight[...] = rng.standard_normal(weight.shape, dtype=np.float32) * std
            if module.bias is not None:
                module.bias.data[...] = 0
        elif isinstance(module, BatchNorm2d) and module.weight is not None:
            module.weight.data[...] = 1
            if module.bias is not None:
                module.bias.data[...] = 0
