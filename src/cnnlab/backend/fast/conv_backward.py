"""Gradients of convolution: weight and bias by matrix products, input by col2im.

Chunk by chunk, as in the forward pass (:mod:`cnnlab.backend.fast.conv`)::

    dW += sum over images of dy[n] @ cols[n].T     db = dy summed over images and pixels
    dx  = col2im(W.T @ dy)       then pad_backward folds the padding's gradient back

(the col2im is in :mod:`~cnnlab.backend.fast.conv_col2im`). The columns come from the
forward pass when it kept them, else they are rebuilt from the padded input.

With stride 1, zero padding and 16 or more input channels per group, ``dx`` is instead
the forward convolution of ``dy`` with the flipped, channel-swapped kernel (no col2im),
and where ``x`` fits that convolution's rows, ``dW`` comes from its columns too
(:mod:`~cnnlab.backend.fast.conv_shared_columns`); 1x1 unpadded convolutions have their own
module, :mod:`~cnnlab.backend.fast.conv_pointwise`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..._validation import check_same_shape
from ...functional import conv as reference
from .conv_col2im import Col2imInputGradient, image_to_rows
from .conv_pointwise import PointwiseContext, pointwise_backward
from .conv_shared_columns import SharedColumnsWeightGradient, input_rows, rows_start
from .im2col import ColumnLayout, copy_columns, image_windows
from .parallel import parallel_for, segment_length
from .workspace import Workspace

TRANSPOSED_MIN_CHANNELS = 16  # input channels per group from which dx is a convolution


class ConvContext(NamedTuple):
    """What :func:`conv_backward` needs from ``conv2d`` or ``conv1d`` (in 2-D form)."""

    layout: ColumnLayout
    planes: np.ndarray  # padded input (N, C_in, layout.plane_size)
    weight: np.ndarray  # (C_out, C_in / groups, KH, KW)
    groups: int
    padding: tuple[tuple[int, int], tuple[int, int]]  # (before, after) for H and W
    padding_mode: str
    input_shape: tuple[int, ...]  # as given: (N, C, L) or (N, C, H, W)
    has_bias: bool
    workspace: Workspace  # scratch buffers, shared with backward
    chunk: int  # images per chunk of the batch
    cols: np.ndarray | None  # all columns, in chunk order, when forward kept them


def conv_backward(
    grad_out: np.ndarray,
    ctx: ConvContext | PointwiseContext | reference.ConvContext,
    input_grad: bool = True,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Gradients of ``conv2d`` or ``conv1d`` with respect to input, weight and bias.

    Parameters
    ----------
    grad_out : ndarray, shape of the forward output
    ctx : ConvContext or PointwiseContext
        From the forward call (1x1 unpadded convolutions make the second).
    input_grad : bool, default True
        False skips the input gradient (a network's first layer: the data is not trained).

    Returns
    -------
    grad_input : ndarray, shape of the input, or None when ``input_grad`` is False
    grad_weight : ndarray, shape of the weight
    grad_bias : ndarray, shape (C_out,), or None when the forward had no bias
    """
    if isinstance(ctx, reference.ConvContext):  # an empty batch ran the reference
        return reference.conv_backward(grad_out, ctx, input_grad)
    if isinstance(ctx, PointwiseContext):
        _check_grad_shape(grad_out, ctx.output_shape)
        grad_out = np.asarray(grad_out, dtype=ctx.weight.dtype)
        return pointwise_backward(grad_out, ctx, input_grad)
    layout, weight, groups = ctx.layout, ctx.weight, ctx.groups
    batch, c_out, dtype = ctx.planes.shape[0], weight.shape[0], weight.dtype
    out_h, out_w = layout.output_shape
    expected = (batch, c_out) + ((out_h, out_w) if len(ctx.input_shape) == 4 else (out_w,))
    _check_grad_shape(grad_out, expected)
    grad_out = np.asarray(grad_out, dtype=dtype).reshape(batch, c_out, out_h, out_w)
    transposed_padding = _transposed_padding(ctx) if input_grad else None
    x_rows = input_rows(ctx, transposed_padding) if transposed_padding else None
    if x_rows is not None:  # dW from the input gradient's own columns
        shared = SharedColumnsWeightGradient(ctx, x_rows)
        grad_x = _input_gradient_by_convolution(grad_out, ctx, transposed_padding, shared)
        grad_bias = grad_out.sum(axis=(0, 2, 3)) if ctx.has_bias else None
        return _in_input_form(grad_x, shared.result(), grad_bias, ctx)
    w_groups = weight.reshape(groups, c_out // groups, -1)  # (G, C_out / G, K_g)
    k_total = w_groups.shape[2] * groups  # C_in * KH * KW
    chunk = ctx.chunk
    per_image = k_total * layout.positions
    chunks = -(-batch // chunk)
    per_segment = segment_length(chunks)  # chunks per run of the weight gradient's sum
    segments = -(-chunks // per_segment)
    grad_w_parts = np.zeros((segments,) + w_groups.transpose(0, 2, 1).shape, dtype)  # dW.T
    grad_b_parts = np.zeros((segments, c_out), dtype)  # db of each segment
    grad_input = Col2imInputGradient(ctx, chunk) if input_grad and not transposed_padding else None
    if transposed_padding:  # dx by convolution, dW from x's columns (the rows do not fit)
        grad_x = _input_gradient_by_convolution(grad_out, ctx, transposed_padding)

    windows = image_windows(ctx.planes, layout) if ctx.cols is None else None

    def backward_images(first: int, stop: int, part: int) -> None:
        """Weight gradient of each chunk of images ``first:stop`` (and col2im's dx)."""
        get, rows_size = ctx.workspace.get, c_out * chunk * layout.positions
        cols_buffer = get(f"cols.{part}", per_image * chunk, dtype) if ctx.cols is None else None
        rows_buffer = get(f"rows.{part}", rows_size, dtype)
        rows_t_buffer = get(f"rows_t.{part}", rows_size, dtype) if grad_input is not None else None
        for start in range(first, stop, chunk):
            part_images, images = slice(start, start + chunk), min(chunk, stop - start)
            if ctx.cols is None:
                cols = copy_columns(windows[part_images], out=cols_buffer)
            else:  # kept by forward
                cols = ctx.cols[start * per_image : (start + images) * per_image]
            cols = cols.reshape(images, groups, w_groups.shape[2], -1)  # (n, G, K_g, positions)
            rows = _image_rows(grad_out[part_images], layout, rows_buffer)  # (n, C_out, pos.)
            segment = start // (chunk * per_segment)
            if ctx.has_bias:  # (thrown-away columns are zero)
                grad_b_parts[segment] += rows.sum(axis=(0, 2))
            rows = rows.reshape(images, groups, c_out // groups, -1).transpose(0, 1, 3, 2)
            products = np.matmul(cols, rows)  # (n, G, K_g, C_out / G)
            grad_w_parts[segment] += products.sum(axis=0)
            if grad_input is not None:  # col2im wants the rows of all images side by side
                rows_t = image_to_rows(grad_out[part_images], layout, rows_t_buffer)
                grad_input.add(part_images, grad_out[part_images], rows_t, part)

    work = c_out * batch * per_image // groups
    parallel_for(backward_images, batch, chunk * per_segment, work=work)  # whole segments
    grad_w_t = grad_w_parts.sum(axis=0)  # the segments' sums, in a fixed order
    grad_bias = grad_b_parts.sum(axis=0) if ctx.has_bias else None

    grad_weight = grad_w_t.transpose(0, 2, 1).reshape(weight.shape)
    grad_input = None if grad_input is None else grad_input.result()
    if transposed_padding:
        grad_input = grad_x
    return _in_input_form(grad_input, grad_weight, grad_bias, ctx)


def _in_input_form(grad_input, grad_weight, grad_bias, ctx: ConvContext):
    """The gradients, with the 2-D form of a 1-D convolution's taken back to 1-D."""
    if len(ctx.input_shape) == 3:
        grad_weight = grad_weight[:, :, 0]
        grad_input = None if grad_input is None else grad_input[:, :, 0]
    return grad_input, grad_weight, grad_bias


def _transposed_padding(ctx: ConvContext) -> tuple[tuple[int, int], ...] | None:
    """:func:`transposed_padding` of a forward call's context."""
    return transposed_padding(ctx.layout, ctx.padding, ctx.padding_mode, ctx.weight.shape[1])


def transposed_padding(
    layout: ColumnLayout, padding, padding_mode: str, group_channels: int
) -> tuple[tuple[int, int], ...] | None:
    """Padding of the convolution of ``dy`` that gives ``dx``, or None where there is none.

    With stride 1 and zero padding, ``dx`` is ``dy`` convolved with the kernel flipped in
    space and with its channel axes swapped, padded by ``reach - before`` and ``reach -
    after`` on each axis (``reach = dilation * (kernel - 1)``): a forward convolution,
    which is cheaper than ``W.T @ dy`` followed by col2im (that writes and then adds up
    ``KH * KW`` times the input gradient). Padding wider than the kernel's reach has no
    such form. With few input channels per group the convolution's matrix product is too
    thin to pay (LeNet-5's 6 -> 16 layer is faster through col2im), so they keep col2im.
    ``padding`` is the forward's ``(before, after)`` per axis; ``group_channels`` its
    input channels per group.
    """
    few_channels = group_channels < TRANSPOSED_MIN_CHANNELS
    if layout.stride != (1, 1) or padding_mode != "zeros" or few_channels:
        return None
    pads = []
    geometry = zip(padding, layout.kernel_size, layout.dilation, strict=True)
    for (before, after), kernel, dilation in geometry:
        reach = dilation * (kernel - 1)
        if before > reach or after > reach:
            return None
        pads.append((reach - before, reach - after))
    return tuple(pads)


def shares_columns(layout: ColumnLayout, padding, padding_mode: str, group_channels: int) -> bool:
    """Whether backward takes ``dW`` from ``dx``'s columns, so forward need not keep its own.

    Arguments as :func:`transposed_padding`; see :mod:`~cnnlab.backend.fast.conv_shared_columns`.
    """
    grad_padding = transposed_padding(layout, padding, padding_mode, group_channels)
    return grad_padding is not None and rows_start(layout, padding, grad_padding) is not None


def _input_gradient_by_convolution(
    grad_out: np.ndarray, ctx: ConvContext, padding: tuple[tuple[int, int], ...], on_columns=None
) -> np.ndarray:
    """``dx`` as the convolution of ``dy`` ``(N, C_out, H_out, W_out)``; see above.

    ``on_columns`` sees the columns of each chunk (see
    :mod:`~cnnlab.backend.fast.conv_shared_columns`).
    """
    from .conv import convolve_checked  # conv.py imports this module

    weight, groups = ctx.weight, ctx.groups
    c_out, c_group, kh, kw = weight.shape
    flipped = weight[:, :, ::-1, ::-1].reshape(groups, c_out // groups, c_group, kh, kw)
    swapped = flipped.transpose(0, 2, 1, 3, 4).reshape(groups * c_group, c_out // groups, kh, kw)
    workspace = ctx.workspace.child("input_grad")
    return convolve_checked(
        grad_out, np.ascontiguousarray(swapped), (1, 1), padding, ctx.layout.dilation, groups,
        workspace, on_columns,
    )  # fmt: skip


def _check_grad_shape(grad_out, expected: tuple[int, ...]) -> None:
    check_same_shape("grad_out", np.asarray(grad_out), "output", np.broadcast_to(0.0, expected))


def _image_rows(image: np.ndarray, layout: ColumnLayout, out: np.ndarray) -> np.ndarray:
    """``image`` ``(n, C, H_out, W_out)`` as ``(n, C, H_out * row_width)``, the forward's rows.

    The thrown-away columns of full rows are zero; without full rows it is the image
    itself (a view when contiguous). ``out`` holds at least ``n * C * positions`` elements.
    """
    batch, channels, out_h, out_w = image.shape
    if not layout.full_rows:
        return image.reshape(batch, channels, -1)
    grid = out[: batch * channels * layout.positions].reshape(batch, channels, out_h, -1)
    grid[..., :out_w] = image
    grid[..., out_w:] = 0
    return grid.reshape(batch, channels, -1)
