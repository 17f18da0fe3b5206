"""1x1 convolution without padding: a matrix product per image, with no im2col.

A 1x1 kernel sees one pixel, so with the input as ``X`` of shape ``(C_in, H * W)`` per
image (every ``stride``-th pixel) and the weight as ``W`` of shape ``(C_out, C_in)``::

    forward          Y  = W @ X + b
    weight gradient  dW = sum over images of dY @ X.T
    input gradient   dX = W.T @ dY         (scattered back to every stride-th pixel)
    bias gradient    db = dY summed over images and pixels

The image's own memory is the matrix, so the copies of the general path (padding,
im2col, reordering the output) all disappear: ResNet's bottlenecks are mostly 1x1
convolutions. With ``groups`` each group is its own product, batched.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .channel_grid import channel_grid
from .parallel import parallel_for, segment_length


class PointwiseContext(NamedTuple):
    """What :func:`pointwise_backward` needs from :func:`pointwise_conv`."""

    x: np.ndarray  # the strided input as (N, G, C_in / G, H_out * W_out)
    weight: np.ndarray  # (C_out, C_in / groups, 1, 1)
    groups: int
    stride: tuple[int, int]
    input_shape: tuple[int, ...]  # as given: (N, C, L) or (N, C, H, W)
    output_shape: tuple[int, ...]  # as returned: (N, C_out, L_out) or (N, C_out, H_out, W_out)
    has_bias: bool


def is_pointwise(kernel, pairs) -> bool:
    """Whether a convolution with this kernel and padding can take the 1x1 path."""
    return all(k == 1 for k in kernel) and all(p == (0, 0) for p in pairs)


def pointwise_conv(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None,
    stride: tuple[int, int],
    groups: int,
    input_shape: tuple[int, ...],
) -> tuple[np.ndarray, PointwiseContext]:
    """1x1 convolution of a checked 2-D input ``(N, C_in, H, W)``.

    ``weight`` is ``(C_out, C_in / groups, 1, 1)``; returns ``(N, C_out, H_out, W_out)`` and
    the context for :func:`pointwise_backward`.

    Examples
    --------
    >>> x = np.arange(8.0).reshape(1, 2, 2, 2)
    >>> y, ctx = pointwise_conv(x, np.array([[[[1.0]], [[10.0]]]]), None, (1, 1), 1, x.shape)
    >>> y[0, 0]      # channel 0 + 10 x channel 1, pixel by pixel
    array([[40., 51.],
           [62., 73.]])
    """
    (sh, sw), (batch, channels) = stride, x.shape[:2]
    if (sh, sw) != (1, 1):
        x = x[:, :, ::sh, ::sw]
    out_h, out_w = x.shape[2:]
    c_out = weight.shape[0]
    x4 = np.ascontiguousarray(x).reshape(batch, groups, channels // groups, out_h * out_w)
    w3 = weight.reshape(groups, c_out // groups, -1)  # (G, C_out / G, C_in / G)
    y = np.empty((batch, groups, c_out // groups, out_h * out_w), np.result_type(w3, x4))
    work = y.size * w3.shape[2]  # multiply-adds
    parallel_for(lambda start, stop, _: np.matmul(w3, x4[start:stop], out=y[start:stop]), batch,
                 work=work)  # fmt: skip
    y = y.reshape(batch, c_out, out_h, out_w)
    if bias is not None:
        np.add(y, channel_grid(bias, (out_h, out_w)), out=y)
    output_shape = (batch, c_out) + ((out_h, out_w) if len(input_shape) == 4 else (out_w,))
    ctx = PointwiseContext(
        x4, weight, groups, (sh, sw), input_shape, output_shape, bias is not None
    )
    return y, ctx


def pointwise_backward(
    grad_out: np.ndarray, ctx: PointwiseContext, input_grad: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Gradients of :func:`pointwise_conv`: input (None unless ``input_grad``), weight, bias."""
    x4, weight, groups = ctx.x, ctx.weight, ctx.groups
    batch, c_out = x4.shape[0], weight.shape[0]
    g4 = grad_out.reshape(batch, groups, c_out // groups, -1)  # (N, G, C_out / G, pixels)
    x4_t = x4.transpose(0, 1, 3, 2)
    per_segment = segment_length(batch)  # images per run of the weight gradient's sum
    segments = -(-batch // per_segment)
    grad_w_parts = np.zeros((segments, groups, c_out // groups, x4.shape[2]), weight.dtype)

    def weight_gradient(start: int, stop: int, _) -> None:  # whole segments
        product = np.empty(grad_w_parts.shape[1:], weight.dtype)
        for image in range(start, stop):
            np.matmul(g4[image], x4_t[image], out=product)
            grad_w_parts[image // per_segment] += product

    work = g4.size * x4.shape[2]  # multiply-adds of each product
    parallel_for(weight_gradient, batch, chunk=per_segment, work=work)
    grad_w = grad_w_parts.sum(axis=0)  # (G, C_out / G, C_in / G), summed in a fixed order
    grad_weight = grad_w.reshape(weight.shape)  # (C_out, C_in / G, 1, 1)
    if len(ctx.input_shape) == 3:
        grad_weight = grad_weight[:, :, 0]  # a 1-D weight, (C_out, C_in / G, 1)
    grad_bias = g4.sum(axis=(0, 3)).reshape(c_out) if ctx.has_bias else None
    if not input_grad:
        return None, grad_weight, grad_bias
    w3 = weight.reshape(groups, c_out // groups, -1)
    w3_t = w3.transpose(0, 2, 1)
    grad_x = np.empty(x4.shape, weight.dtype)  # (N, G, C_in / G, pixels)
    parallel_for(lambda start, stop, _: np.matmul(w3_t, g4[start:stop], out=grad_x[start:stop]),
                 batch, work=work)  # fmt: skip
    shape_2d = ctx.input_shape if len(ctx.input_shape) == 4 else (*ctx.input_shape[:2], 1, -1)
    if ctx.stride == (1, 1):
        return grad_x.reshape(ctx.input_shape), grad_weight, grad_bias
    full = np.zeros(ctx.input_shape, grad_x.dtype).reshape(shape_2d)
    sh, sw = ctx.stride
    full[:, :, ::sh, ::sw] = grad_x.reshape(full[:, :, ::sh, ::sw].shape)
    return full.reshape(ctx.input_shape), grad_weight, grad_bias
