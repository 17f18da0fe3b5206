"""The fast backend: the ops of :mod:`cnnlab.functional`, computed for speed.

Everything here exists only because a benchmark (``benchmarks/``) showed it pays, and
each op is tested equal to its reference (``tests/engine/test_fast_vs_reference.py``):

``parallel``, ``_workers``
    cnnlab's own threads split a batch between cores, with BLAS on one thread inside.
``conv``, ``conv_backward``, ``conv_chunks``, ``conv_col2im``, ``conv_pointwise``,
``conv_shared_columns``, ``im2col``, ``workspace``, ``channel_grid``
    Convolution by chunks of the batch whose columns stay in cache, reused buffers
    (a layer's ``scratch``), 1x1 convolutions without im2col, the input gradient as a
    convolution, the weight gradient from that convolution's columns.
``pooling``, ``linear``, ``activations``, ``normalization``
    Max pooling, dense layers and ReLU split between threads; in-place ReLU, sums and
    evaluation-mode batch norm; per-channel values added from contiguous grids.

The ops without a faster version here are the reference's own.
"""

from __future__ import annotations

from . import activations as _activations
from . import conv as _conv
from . import normalization as _normalization
from .activations import add_in_place, relu_backward, relu_in_place  # noqa: F401
from .conv_backward import conv_backward  # noqa: F401
from .linear import linear, linear_backward  # noqa: F401
from .normalization import (  # noqa: F401
    batch_norm_eval_backward,
    batch_norm_eval_in_place,
    batch_norm_train,
    batch_norm_train_backward,
    update_running_stats,
)
from .pooling import max_pool, max_pool_backward  # noqa: F401
from .workspace import Workspace


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
           padding_mode="zeros", scratch=None):  # fmt: skip
    """1-D convolution; ``scratch`` (a dict the layer keeps) holds its reused buffers."""
    workspace = _workspace(scratch)
    return _conv.conv1d(x, weight, bias, stride, padding, dilation, groups, padding_mode,
                        workspace)  # fmt: skip


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
           padding_mode="zeros", scratch=None):  # fmt: skip
    """2-D convolution; ``scratch`` (a dict the layer keeps) holds its reused buffers."""
    workspace = _workspace(scratch)
    return _conv.conv2d(x, weight, bias, stride, padding, dilation, groups, padding_mode,
                        workspace)  # fmt: skip


def relu(x):
    """``max(x, 0)`` in blocks split between threads."""
    return _activations.relu(x)


def batch_norm_eval(x, running_mean, running_var, weight=None, bias=None, eps=1e-5):
    """Evaluation-mode batch norm as one multiply-add by per-channel grids."""
    return _normalization.batch_norm_eval(x, running_mean, running_var, weight, bias, eps)


def _workspace(scratch: dict | None) -> Workspace | None:
    """The :class:`Workspace` kept in a layer's ``scratch``, made on first use."""
    if scratch is None:
        return None
    workspace = scratch.get("workspace")
    if workspace is None:
        workspace = scratch["workspace"] = Workspace()
    return workspace
