"""Batch normalisation layers: ``BatchNorm1d`` and ``BatchNorm2d``."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive_float, check_positive_int, received
from ..grad_mode import is_grad_enabled
from ._backend import backward_ops, forward_ops
from .module import Module
from .parameter import Parameter


class _BatchNorm(Module):
    """Shared body of the batch-norm layers; subclasses name the input ranks they take."""

    input_ndims: tuple[int, ...] = ()
    layout = ""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype=np.float32,
        *,
        bias: bool = True,
    ):
        super().__init__()
        self.num_features = check_positive_int("num_features", num_features)
        self.eps = check_positive_float("eps", eps, allow_zero=True)
        self.momentum = (
            None
            if momentum is None
            else check_positive_float("momentum", momentum, allow_zero=True)
        )
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.zeros((), dtype=np.int64))

    def _check_input(self, x) -> np.ndarray:
        x = check_array("input", x, ndim=self.input_ndims, allow_complex=False)
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__} expected {self.num_features} channels on axis 1 of "
                f"{self.layout}. {received(input=x)}"
            )
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float32 if self.weight is None else self.weight.dtype)
        return x

    def forward_in_place(self, x: np.ndarray) -> bool:
        """Under no_grad in evaluation mode only: ``x * scale + shift`` written over ``x``."""
        if self.training or not self.track_running_stats or is_grad_enabled():
            return False
        weight = None if self.weight is None else self.weight.data
        bias = None if self.bias is None else self.bias.data
        if self._check_input(x) is not x:  # not a float array of its own: no place to write
            return False
        in_place = forward_ops(self).batch_norm_eval_in_place
        if not in_place(x, self.running_mean, self.running_var, weight, bias, self.eps):
            return False
        self.uses_batch_statistics = False
        self.x = self.xhat = None  # nothing to differentiate: this ran under no_grad()
        return True

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check_input(x)
        weight = None if self.weight is None else self.weight.data
        bias = None if self.bias is None else self.bias.data
        self.uses_batch_statistics = self.training or not self.track_running_stats
        ops = forward_ops(self)
        if not self.uses_batch_statistics:
            self.x, self.xhat = x, None  # keep only what this mode's backward needs
            return ops.batch_norm_eval(
                x, self.running_mean, self.running_var, weight, bias, self.eps
            )
        count = x.size // x.shape[1]
        if count < 2:
            raise ValueError(
                "Batch norm in training mode needs more than 1 value per channel to estimate "
                f"a variance. {received(input=x)}"
            )
        y, self.xhat, self.invstd, mean, var = ops.batch_norm_train(x, weight, bias, self.eps)
        self.x = None
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            momentum = (
                1.0 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
            )
            ops.update_running_stats(
                self.running_mean, self.running_var, mean, var, count, momentum
            )
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        weight = None if self.weight is None else self.weight.data
        ops = backward_ops(self)
        if self.uses_batch_statistics:
            grad_x, grad_weight, grad_bias = ops.batch_norm_train_backward(
                grad_out, self.xhat, self.invstd, weight
            )
        else:
            if self.x is None:
                raise self.no_forward_error()
            grad_x, grad_weight, grad_bias = ops.batch_norm_eval_backward(
                grad_out, self.x, self.running_mean, self.running_var, weight, self.eps
            )
        if self.weight is not None:
            self.weight.grad += grad_weight
        if self.bias is not None:
            self.bias.grad += grad_bias
        return grad_x

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of ``(N, C)`` or ``(N, C, L)`` inputs, as PyTorch's.

    Training mode normalises each channel with the batch's mean and biased variance and
    moves ``running_mean`` / ``running_var`` (unbiased) towards them by ``momentum``
    (``momentum=None``: a cumulative average); evaluation mode uses the running values.

    Parameters
    ----------
    num_features : int
        C, the number of channels.
    eps : float
        Added to the variance before the square root.
    momentum : float or None
    affine : bool
        Learn a per-channel scale ``weight`` (ones) and shift ``bias`` (zeros).
    track_running_stats : bool
        Keep the running statistics (buffers ``running_mean``, ``running_var``,
        ``num_batches_tracked``); without them batch statistics are used in both modes.
    dtype : numpy dtype
    bias : bool, keyword-only
        With ``affine``, whether to learn the shift too (PyTorch 2.13's ``bias``).

    Examples
    --------
    >>> bn = BatchNorm1d(3)
    >>> y = bn(np.random.default_rng(0).normal(5.0, 2.0, size=(64, 3)).astype(np.float32))
    >>> bool(abs(y.mean()) < 1e-5), bn.num_batches_tracked
    (True, array(1))
    >>> list(bn.state_dict())
    ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
    """

    input_ndims = (2, 3)
    layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of ``(N, C, H, W)`` inputs, per channel over N, H and W.

    Same parameters and behaviour as :class:`BatchNorm1d`.

    Examples
    --------
    >>> bn = BatchNorm2d(16)
    >>> bn
    BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    >>> bn(np.ones((2, 16, 5, 5), dtype=np.float32)).shape
    (2, 16, 5, 5)
    """

    input_ndims = (4,)
    layout = "(N, C, H, W)"
