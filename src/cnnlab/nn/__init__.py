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
More activations
    CELU, SELU, GLU, Hardshrink, Hardtanh, LogSigmoid, Mish, RReLU, Softshrink, Softsign,
    Tanhshrink, Threshold
Shape, normalisation across channels, distances
    PixelShuffle, PixelUnshuffle, Unflatten, LocalResponseNorm, CrossMapLRN2d,
    PairwiseDistance, CosineSimilarity (called as ``layer(x1, x2)``)
Losses with reduction "none", "mean" or "sum" (see ``cnnlab.nn.reduced_loss``)
    BCELoss, PoissonNLLLoss, SoftMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss,
    MultiLabelMarginLoss, HingeEmbeddingLoss, MarginRankingLoss, CosineEmbeddingLoss,
    TripletMarginLoss
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
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import Dropout
from .elu_gelu import ELU, GELU
from .embedding_loss import CosineEmbeddingLoss, TripletMarginLoss
from .fuse import MaxPoolReLU, fuse
from .likelihood_loss import BCELoss, MultiLabelSoftMarginLoss, PoissonNLLLoss, SoftMarginLoss
from .linear import Linear
from .local_response_norm import CrossMapLRN2d, LocalResponseNorm
from .loss import BCEWithLogitsLoss, MSELoss
from .margin_loss import (
    HingeEmbeddingLoss,
    MarginRankingLoss,
    MultiLabelMarginLoss,
    MultiMarginLoss,
)
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d
from .parameter import Parameter
from .pixel_shuffle import PixelShuffle, PixelUnshuffle
from .pooling import (
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)
from .rrelu import RReLU
from .shape import Flatten, Identity
from .shrink_activation import Hardshrink, Hardtanh, Softshrink, Tanhshrink, Threshold
from .smooth_activation import CELU, GLU, SELU, LogSigmoid, Mish, Softsign
from .unflatten import Unflatten
