"""The checks of a convolution's arguments, shared by every backend's conv1d and conv2d.

They return the arguments in 2-D form: a 1-D convolution is a 2-D one over a single row.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import (
    check_choice,
    check_float_array,
    check_int_tuple,
    check_positive_int,
    received,
)
from ._shapes import conv_output_size
from .padding import PADDING_MODES, ConvPadding, conv_padding

IntOrTuple = int | tuple[int, ...]
LAYOUTS = {1: "(N, C, L)", 2: "(N, C, H, W)"}
WEIGHT_LAYOUTS = {1: "(C_out, C_in / groups, K)", 2: "(C_out, C_in / groups, KH, KW)"}


class ConvArguments(NamedTuple):
    """A convolution's checked arguments, in 2-D form."""

    x: np.ndarray  # (N, C_in, H, W)
    weight: np.ndarray  # (C_out, C_in / groups, KH, KW), in the result's dtype
    bias: np.ndarray | None  # (C_out,), in the result's dtype
    stride: tuple[int, int]
    padding: tuple[tuple[int, int], tuple[int, int]]  # (before, after) for H and W
    dilation: tuple[int, int]
    groups: int
    padding_mode: str
    input_shape: tuple[int, ...]  # as given: (N, C, L) or (N, C, H, W)


def conv_arguments(
    x, weight, bias, dims: int, stride: IntOrTuple, padding: ConvPadding,
    dilation: IntOrTuple, groups: int, padding_mode: str,
) -> ConvArguments:  # fmt: skip
    """Check a ``dims``-D convolution's arguments; raise ValueError/TypeError naming them.

    >>> args = conv_arguments(np.zeros((1, 2, 5)), np.zeros((4, 2, 3)), None, 1, 1, "same",
    ...                       1, 1, "zeros")
    >>> args.x.shape, args.weight.shape, args.padding
    ((1, 2, 1, 5), (4, 2, 1, 3), ((0, 0), (1, 1)))
    """
    x = check_float_array("input", x, layout=LAYOUTS[dims])
    weight = check_float_array("weight", weight, layout=WEIGHT_LAYOUTS[dims])
    groups = check_positive_int("groups", groups)
    c_out, c_group = weight.shape[:2]
    if c_out % groups:
        raise ValueError(
            "The weight's output channels must be divisible by `groups`. "
            f"{received(weight=weight, groups=groups)}"
        )
    if x.shape[1] != c_group * groups:
        raise ValueError(
            f"expected {c_group * groups} input channels. Received: input with shape {x.shape}."
        )
    if bias is not None:
        bias = check_float_array("bias", bias)
        if bias.shape != (c_out,):
            raise ValueError(f"`bias` must have shape ({c_out},). {received(bias=bias)}")
    kernel = weight.shape[2:]
    stride = check_int_tuple("stride", stride, dims)
    dilation = check_int_tuple("dilation", dilation, dims)
    pairs = conv_padding(padding, kernel, stride, dilation)
    padding_mode = check_choice("padding_mode", padding_mode, PADDING_MODES)
    geometry = zip(x.shape[2:], kernel, stride, pairs, dilation, strict=True)
    for n, k, s, (before, after), d in geometry:
        if before == after:  # the clear "input smaller than kernel" error
            conv_output_size(n, k, s, before, d)
    input_shape = x.shape
    if dims == 1:  # a 1-D convolution is a 2-D one over a single row
        x, weight = x[:, :, None, :], weight[:, :, None, :]
        stride, dilation, pairs = (1, *stride), (1, *dilation), ((0, 0), *pairs)
    dtype = np.result_type(x.dtype, weight.dtype)
    weight = weight.astype(dtype, copy=False)
    bias = None if bias is None else bias.astype(dtype, copy=False)
    return ConvArguments(
        x, weight, bias, stride, pairs, dilation, groups, padding_mode, input_shape
    )
