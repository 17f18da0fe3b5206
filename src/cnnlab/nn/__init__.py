"""Layers with state: each a small class with explicit ``forward`` and ``backward``.

Base and containers
    Module, Parameter, Sequential, Residual, Identity, Flatten
    ops (array ops a network's forward may call: add, concatenate, mean, ...)
    fuse (a copy of a network with ReLU + max pool fused into one layer)
    no_grad (forward passes that keep nothing for backward), is_grad_enabled
Convolution
    Conv1d, Conv2d
Dense, normalisation, dropout
    Linear, BatchNorm1d, BatchNorm2d, Dropout
Losses (called as ``loss(logits, targets)``, then ``loss.backward()``)
    CrossEntropyLoss, NLLLoss, MSELoss, BCEWithLogitsLoss
Activations
    ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax, ELU, GELU
Pooling
    MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d (ceil_mode too), AdaptiveAvgPool1d,
    AdaptiveAvgPool2d (any output size; AdaptiveAvgPool2dGrid is its former name)
"""

from ..grad_mode import is_grad_enabled, no_grad
from . import ops
from .activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .adaptive_pooling import AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool2dGrid
from .clamp import ReLU6
from .classification_loss import CrossEntropyLoss, NLLLoss
from .containers import Residual, Sequential
from .conv import Conv1d, Conv2d
from .dropout import Dropout
from .elu_gelu import ELU, GELU
from .fuse import MaxPoolReLU, fuse
from .linear import Linear
from .loss import BCEWithLogitsLoss, MSELoss
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d
from .parameter import Parameter
from .pooling import (
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)
from .shape import Flatten, Identity
