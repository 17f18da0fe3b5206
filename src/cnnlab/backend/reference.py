"""The reference backend: the readable maths of :mod:`cnnlab.functional`, as the seam's ops.

Each op is the functional one; convolution takes (and ignores) the ``scratch`` that the
fast backend fills, and nothing is done in place.
"""

from __future__ import annotations

import numpy as np

from ..functional import conv as _conv
from ..functional.activations import (  # noqa: F401  (the ops table)
    leaky_relu,
    leaky_relu_backward,
    log_softmax,
    log_softmax_backward,
    relu,
    relu6,
    relu6_backward,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    softmax,
    softmax_backward,
    tanh,
    tanh_backward,
)
from ..functional.adaptive_pooling import (  # noqa: F401
    adaptive_avg_pool2d,
    adaptive_avg_pool2d_backward,
)
from ..functional.avg_pooling import (  # noqa: F401
    avg_pool,
    avg_pool_backward,
    global_avg_pool,
    global_avg_pool_backward,
)
from ..functional.conv import conv_backward  # noqa: F401
from ..functional.dropout import dropout, dropout_backward  # noqa: F401
from ..functional.linear import linear, linear_backward  # noqa: F401
from ..functional.normalization import (  # noqa: F401
    batch_norm_eval,
    batch_norm_eval_backward,
    batch_norm_train,
    batch_norm_train_backward,
    update_running_stats,
)
from ..functional.pooling import max_pool, max_pool_backward  # noqa: F401


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
           padding_mode="zeros", scratch=None):  # fmt: skip
    """:func:`cnnlab.functional.conv1d`; ``scratch`` is not used."""
    return _conv.conv1d(x, weight, bias, stride, padding, dilation, groups, padding_mode)


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
           padding_mode="zeros", scratch=None):  # fmt: skip
    """:func:`cnnlab.functional.conv2d`; ``scratch`` is not used."""
    return _conv.conv2d(x, weight, bias, stride, padding, dilation, groups, padding_mode)


def relu_in_place(x: np.ndarray) -> bool:
    """Nothing: the reference computes every layer into a new array."""
    return False


def batch_norm_eval_in_place(x, running_mean, running_var, weight=None, bias=None, eps=1e-5):
    """Nothing: the reference computes every layer into a new array."""
    return False


def add_in_place(a: np.ndarray, b: np.ndarray) -> bool:
    """Nothing: the reference computes every sum into a new array."""
    return False
