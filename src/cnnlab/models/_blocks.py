"""Pieces shared by the ImageNet architectures: a named chain and He-normal init."""

from __future__ import annotations

import math

import numpy as np

from ..nn import BatchNorm2d, Conv2d, Module
from ..nn.in_place import apply_layer


class Chain(Module):
    """Sub-modules set as attributes, applied in the order they were set.

    A ``Sequential`` whose children have names (``conv1``, ``bn1``, ``layer1``, ...), so
    that ``state_dict()`` keys are torchvision's. Backward runs them in reverse.

    >>> from cnnlab.nn import Flatten, ReLU
    >>> class Head(Chain):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.relu = ReLU()
    ...         self.flatten = Flatten()
    >>> Head()(np.array([[[-1.0, 2.0]]]))
    array([[0., 2.]])
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        fresh = False  # x is the caller's: never overwritten
        for name, layer in self.named_children():
            try:
                x, fresh = apply_layer(layer, x, fresh)
            except (ValueError, TypeError) as error:
                raise type(error)(
                    f"layer {name} ({layer.short_repr()}) in {type(self).__name__}: {error}"
                ) from error
        return x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        for _, layer in reversed(list(self.named_children())):
            grad_out = layer.backward(grad_out)
        return grad_out


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
