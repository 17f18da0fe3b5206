"""Conv1d and Conv2d: thin layers over the backend's convolution (:mod:`cnnlab.functional.conv`)."""

from __future__ import annotations

import numpy as np

from .._validation import check_choice, check_int_tuple, check_positive_int, received
from ..functional.conv_arguments import LAYOUTS, IntOrTuple
from ..functional.padding import PADDING_MODES, ConvPadding, conv_padding
from ..grad_mode import is_grad_enabled
from ._backend import backward_ops, forward_ops
from .init import default_rng, uniform_fan_in
from .module import Module
from .parameter import Parameter


def _short(values: tuple[int, ...]) -> int | tuple[int, ...]:
    return values[0] if len(set(values)) == 1 else values


class _ConvNd(Module):
    spatial_dims = 0

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntOrTuple,
        stride: IntOrTuple = 1,
        padding: ConvPadding = 0,
        dilation: IntOrTuple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        rng: np.random.Generator | int | None = None,
        dtype=np.float32,
    ):
        super().__init__()
        dims = self.spatial_dims
        self.in_channels = check_positive_int("in_channels", in_channels)
        self.out_channels = check_positive_int("out_channels", out_channels)
        self.groups = check_positive_int("groups", groups)
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if value % groups:
                tail = received(**{name: value}, groups=groups)
                raise ValueError(f"`{name}` must be divisible by `groups`. {tail}")
        self.kernel_size = check_int_tuple("kernel_size", kernel_size, dims)
        self.stride = check_int_tuple("stride", stride, dims)
        self.dilation = check_int_tuple("dilation", dilation, dims)
        conv_padding(padding, self.kernel_size, self.stride, self.dilation)  # checks it
        self.padding = (
            padding
            if isinstance(padding, str)
            else check_int_tuple("padding", padding, dims, minimum=0)
        )
        self.padding_mode = check_choice("padding_mode", padding_mode, PADDING_MODES)
        rng = default_rng(rng)
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        fan_in = int(np.prod(shape[1:]))
        self.weight = Parameter(uniform_fan_in(shape, fan_in, rng, dtype))
        self.bias = (
            Parameter(uniform_fan_in((self.out_channels,), fan_in, rng, dtype)) if bias else None
        )
        self.context = None  # what backward needs, from the backend that ran forward
        self.scratch: dict = {}  # the backend's buffers, reused from one step to the next

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        name = type(self).__name__
        if x.ndim == self.spatial_dims + 1:
            raise ValueError(
                f"{name} expects a batch {LAYOUTS[self.spatial_dims]}; for a single "
                f"example add the batch axis with x[None]. {received(input=x)}"
            )
        if not np.issubdtype(x.dtype, np.floating):  # raw pixels: the weight's dtype
            x = x.astype(self.weight.dtype)
        ops = forward_ops(self)
        convolve = ops.conv2d if self.spatial_dims == 2 else ops.conv1d
        y, self.context = convolve(
            x,
            self.weight.data,
            None if self.bias is None else self.bias.data,
            self.stride,
            self.padding,
            self.dilation,
            self.groups,
            self.padding_mode,
            scratch=self.scratch,
        )
        if not is_grad_enabled():
            self.context = None  # nothing to differentiate, nothing held
        return y

    def prepare_second_call(self) -> None:
        """A second call in one forward pass: the first call's context keeps its buffers."""
        self.scratch = {}

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._check_forward_ran()
        grad_input, grad_weight, grad_bias = backward_ops(self).conv_backward(
            grad_out, self.context
        )
        self._add_parameter_grads(grad_weight, grad_bias)
        return grad_input

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """Weight and bias gradients only: the input gradient's work is skipped."""
        self._check_forward_ran()
        conv_backward = backward_ops(self).conv_backward
        _, grad_weight, grad_bias = conv_backward(grad_out, self.context, input_grad=False)
        self._add_parameter_grads(grad_weight, grad_bias)

    def _add_parameter_grads(self, grad_weight: np.ndarray, grad_bias) -> None:
        self.weight.grad += grad_weight
        if self.bias is not None:
            self.bias.grad += grad_bias

    def _check_forward_ran(self) -> None:
        if self.context is None:
            raise self.no_forward_error()

    def extra_repr(self) -> str:
        text = f"{self.in_channels} -> {self.out_channels}, kernel_size={_short(self.kernel_size)}"
        if any(s != 1 for s in self.stride):
            text += f", stride={_short(self.stride)}"
        if isinstance(self.padding, str):
            text += f", padding={self.padding!r}" if self.padding != "valid" else ""
        elif any(self.padding):
            text += f", padding={_short(self.padding)}"
        if any(d != 1 for d in self.dilation):
            text += f", dilation={_short(self.dilation)}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode!r}"
        return text


class Conv1d(_ConvNd):
    """1-D convolution of ``(N, C_in, L)``, as ``torch.nn.Conv1d`` (same arguments).

    Weight ``(C_out, C_in / groups, K)`` and bias ``(C_out,)`` start from PyTorch's
    default ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` with ``fan_in = C_in / groups * K``.

    Examples
    --------
    >>> layer = Conv1d(2, 4, kernel_size=3, padding="same", padding_mode="circular", rng=0)
    >>> layer
    Conv1d(2 -> 4, kernel_size=3, padding='same', padding_mode='circular')
    >>> layer(np.zeros((8, 2, 100), dtype=np.float32)).shape
    (8, 4, 100)
    """

    spatial_dims = 1


class Conv2d(_ConvNd):
    """2-D convolution of ``(N, C_in, H, W)``, as ``torch.nn.Conv2d`` (same arguments).

    Parameters
    ----------
    in_channels, out_channels : int
        Both divisible by ``groups``.
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), 'same' or 'valid'
    groups : int
        ``groups = in_channels`` makes a depthwise convolution.
    bias : bool
    padding_mode : {'zeros', 'reflect', 'replicate', 'circular'}
        ``'circular'`` treats the image as periodic, like a lattice with periodic
        boundary conditions.
    rng : numpy.random.Generator or int, optional
        Source of the initial weight and bias, drawn like PyTorch's default.
    dtype : numpy dtype
        Of the parameters (float32 by default).

    Shapes: input ``(N, C_in, H, W)``, output ``(N, C_out, H_out, W_out)`` with
    ``H_out = floor((H + 2 * padding - dilation * (KH - 1) - 1) / stride) + 1``; weight
    ``(C_out, C_in / groups, KH, KW)``, bias ``(C_out,)``.

    Examples
    --------
    >>> layer = Conv2d(1, 6, kernel_size=5, padding=2, rng=0)
    >>> layer
    Conv2d(1 -> 6, kernel_size=5, padding=2)
    >>> y = layer(np.zeros((64, 1, 28, 28), dtype=np.float32))
    >>> y.shape, y.dtype
    ((64, 6, 28, 28), dtype('float32'))
    >>> layer.backward(np.ones_like(y)).shape
    (64, 1, 28, 28)
    """

    spatial_dims = 2
