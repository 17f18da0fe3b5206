"""Convolution (PyTorch's cross-correlation) forward and backward as matrix products.

With ``cols = im2col(padded input)`` of shape ``(C_in * KH * KW, N * H_out * W_out)`` and
the weight flattened to ``W`` of shape ``(C_out, C_in * KH * KW)``::

    forward          y  = W @ cols + b
    weight gradient  dW = dy @ cols.T
    input gradient   dx = col2im(W.T @ dy), folded by pad_backward
                        = conv(dy, W flipped, channel axes swapped)   (stride 1)
    bias gradient    db = dy summed over batch and pixels

With ``groups`` the channels split into independent groups and each product is a
batched matmul over the groups. 1-D convolution is 2-D with ``H = 1``.

The batch runs in chunks whose columns fit in cache, so a large ``cols`` never exists
whole (for a 3x3 kernel it is nine times the input): backward rebuilds each chunk's
columns from the padded input kept in the context, which is cheaper than storing them.
Only small layers keep their columns for backward. Big scratch arrays come from a
:class:`~cnnlab.functional.im2col.Workspace` that a layer reuses from step to step.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import (
    check_choice,
    check_float_array,
    check_int_tuple,
    check_positive_int,
    check_same_shape,
    received,
)
from ._shapes import conv_output_size
from .im2col import (
    ColumnLayout,
    Workspace,
    col2im,
    im2col,
    image_to_plane_rows,
    image_to_rows,
    rows_to_image,
    shifted_col2im,
)
from .padding import PADDING_MODES, ConvPadding, conv_padding, pad, pad_backward

IntOrTuple = int | tuple[int, ...]
LAYOUTS = {1: "(N, C, L)", 2: "(N, C, H, W)"}
WEIGHT_LAYOUTS = {1: "(C_out, C_in / groups, K)", 2: "(C_out, C_in / groups, KH, KW)"}
CHUNK_BYTES = 4 << 20  # columns of one chunk of the batch: small enough to stay in cache
KEEP_COLS_BYTES = 8 << 20  # up to this size forward keeps all columns for backward


class ConvContext(NamedTuple):
    """What :func:`conv_backward` needs from the forward pass (2-D form throughout)."""

    layout: ColumnLayout
    planes: np.ndarray  # padded input (N, C_in, layout.plane_size)
    weight: np.ndarray  # (C_out, C_in / groups, KH, KW)
    groups: int
    padding: tuple[tuple[int, int], tuple[int, int]]  # (before, after) for H and W
    padding_mode: str
    input_shape: tuple[int, ...]  # as given: (N, C, L) or (N, C, H, W)
    has_bias: bool
    workspace: Workspace  # scratch buffers, shared with backward
    cols: np.ndarray | None  # all columns, in chunk order, when forward kept them


def conv2d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: IntOrTuple = 1,
    padding: ConvPadding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    workspace: Workspace | None = None,
) -> tuple[np.ndarray, ConvContext]:
    """2-D convolution of ``(N, C, H, W)``, as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W)
    weight : ndarray, shape (C_out, C_in / groups, KH, KW)
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int or (int, int)
    padding : int, (int, int), 'same' or 'valid'
    groups : int
        Splits input and output channels into ``groups`` independent convolutions.
    padding_mode : {'zeros', 'reflect', 'replicate', 'circular'}
        As ``torch.nn.Conv2d``; ``'circular'`` makes the image periodic (a lattice).
    workspace : Workspace, optional
        Scratch buffers to reuse between calls (a layer keeps one). The next call with
        the same workspace overwrites what this call's context refers to.

    Returns
    -------
    y : ndarray, shape (N, C_out, H_out, W_out)
    ctx : ConvContext
        For :func:`conv_backward`.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> y, ctx = conv2d(x, np.ones((1, 1, 2, 2)))  # sums of the 2x2 windows
    >>> y
    array([[[[ 8., 12.],
             [20., 24.]]]])
    >>> grad_x, grad_w, grad_b = conv_backward(np.ones_like(y), ctx)
    >>> grad_x[0, 0]  # how many windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    return _conv(x, weight, bias, 2, stride, padding, dilation, groups, padding_mode, workspace)


def conv1d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: IntOrTuple = 1,
    padding: ConvPadding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    workspace: Workspace | None = None,
) -> tuple[np.ndarray, ConvContext]:
    """1-D convolution of ``(N, C, L)``, as ``torch.nn.functional.conv1d``.

    Arguments as :func:`conv2d` with one spatial axis; ``weight`` is ``(C_out, C_in /
    groups, K)``. Returns the output ``(N, C_out, L_out)`` and the backward context.

    >>> y, _ = conv1d(np.array([[[1.0, 2.0, 3.0, 4.0]]]), np.array([[[1.0, -1.0]]]))
    >>> y  # differences x[i] - x[i + 1]
    array([[[-1., -1., -1.]]])
    """
    return _conv(x, weight, bias, 1, stride, padding, dilation, groups, padding_mode, workspace)


def _conv(x, weight, bias, dims, stride, padding, dilation, groups, padding_mode, workspace):
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
    workspace = Workspace() if workspace is None else workspace
    y, layout, planes, cols = _forward(
        x, weight, bias, stride, pairs, dilation, groups, padding_mode, workspace, ""
    )
    ctx = ConvContext(
        layout, planes, weight, groups, pairs, padding_mode, input_shape, bias is not None,
        workspace, cols,
    )  # fmt: skip
    return (y if dims == 2 else y[:, :, 0]), ctx


def _forward(x, weight, bias, stride, pairs, dilation, groups, padding_mode, workspace, prefix):
    """Convolve checked 2-D arguments.

    Returns the output, the layout, the input planes and all the columns when they are
    small enough to keep (else None). Workspace buffers are named with ``prefix``:
    backward's own convolution must not overwrite what the context holds.
    """
    (batch, channels), c_out = x.shape[:2], weight.shape[0]
    padded = tuple(n + b + a for n, (b, a) in zip(x.shape[2:], pairs, strict=True))
    layout = ColumnLayout.create(padded, weight.shape[2:], stride, dilation)
    size = batch * channels * layout.plane_size
    buffer = workspace.get(prefix + "planes", size, x.dtype)
    planes = layout.new_planes(batch, channels, x.dtype, buffer)
    pad(x, pairs, padding_mode, out=layout.image(planes))
    w_groups = weight.reshape(groups, c_out // groups, -1)  # (G, C_out / G, K_g)
    rows_per_group = w_groups.shape[2]
    chunk = min(batch, _chunk_size(rows_per_group * groups, layout, x.itemsize))
    per_image = rows_per_group * groups * layout.positions
    keep = not prefix and batch * per_image * x.itemsize <= KEEP_COLS_BYTES
    cols_buffer = workspace.get(prefix + "cols", per_image * (batch if keep else chunk), x.dtype)
    rows_buffer = workspace.get(prefix + "rows", c_out * chunk * layout.positions, x.dtype)
    y = np.empty((batch, c_out) + layout.output_shape, x.dtype)
    for start in range(0, batch, chunk):
        part = slice(start, start + chunk)
        out = cols_buffer[start * per_image :] if keep else cols_buffer
        cols = im2col(planes[part], layout, out=out)  # (K, n * positions)
        cols = cols.reshape(groups, rows_per_group, -1)
        rows = rows_buffer[: c_out * cols.shape[2]].reshape(groups, c_out // groups, -1)
        np.matmul(w_groups, cols, out=rows)
        rows = rows.reshape(c_out, -1)  # (C_out, n * positions)
        if bias is not None:
            rows += bias[:, None]
        rows_to_image(rows, layout, y[part])
    return y, layout, planes, (cols_buffer if keep else None)


def _chunk_size(rows: int, layout: ColumnLayout, itemsize: int) -> int:
    """Images per chunk so that the chunk's columns take about ``CHUNK_BYTES``."""
    return max(1, CHUNK_BYTES // (rows * layout.positions * itemsize))


def conv_backward(
    grad_out: np.ndarray, ctx: ConvContext
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Gradients of :func:`conv2d` or :func:`conv1d` with respect to input, weight, bias.

    Chunk by chunk: ``dW += dy @ cols.T`` and ``dx = col2im(W.T @ dy)``; with stride 1
    the col2im is :func:`~cnnlab.functional.im2col.shifted_col2im`. The gradient of the
    padded input is then folded back by :func:`~cnnlab.functional.padding.pad_backward`.

    Parameters
    ----------
    grad_out : ndarray, shape of the forward output
    ctx : ConvContext
        From the forward call.

    Returns
    -------
    grad_input : ndarray, shape of the input
    grad_weight : ndarray, shape of the weight
    grad_bias : ndarray, shape (C_out,), or None when the forward had no bias
    """
    layout, weight, groups, workspace = ctx.layout, ctx.weight, ctx.groups, ctx.workspace
    (batch, channels), (c_out, c_group, kh, kw) = ctx.planes.shape[:2], weight.shape
    out_h, out_w = layout.output_shape
    expected = (batch, c_out) + ((out_h, out_w) if len(ctx.input_shape) == 4 else (out_w,))
    check_same_shape("grad_out", np.asarray(grad_out), "output", np.broadcast_to(0.0, expected))
    grad_out = np.asarray(grad_out, dtype=weight.dtype).reshape(batch, c_out, out_h, out_w)
    dtype, shifted = weight.dtype, layout.stride == (1, 1)
    w_groups = weight.reshape(groups, c_out // groups, -1)  # (G, C_out / G, K_g)
    if shifted:  # rows (kh, kw, c) for shifted_col2im
        w_t = weight.reshape(groups, c_out // groups, c_group, kh, kw).transpose(0, 3, 4, 2, 1)
    else:  # rows (c, kh, kw) for col2im
        w_t = w_groups.transpose(0, 2, 1)
    w_t = np.ascontiguousarray(w_t).reshape(groups, -1, c_out // groups)  # (G, K_g, C_out/G)

    k_total = w_groups.shape[2] * groups  # C_in * KH * KW
    chunk = min(batch, _chunk_size(k_total, layout, weight.itemsize))
    per_image = k_total * layout.positions
    grad_positions = layout.plane_size if shifted else layout.positions  # columns per image
    cols_buffer = workspace.get("cols", per_image * chunk, dtype)
    rows_buffer = workspace.get("rows", c_out * chunk * layout.positions, dtype)
    grad_rows_buffer = workspace.get("grad_rows", c_out * chunk * grad_positions, dtype)
    grad_cols_buffer = workspace.get("grad_cols", k_total * chunk * grad_positions, dtype)
    grad_planes_buffer = workspace.get("grad_planes", ctx.planes.size, dtype)
    if shifted:  # one chunk's gradient planes, channel-major
        chunk_planes = workspace.get("chunk_planes", channels * chunk * layout.plane_size, dtype)
    # Gradient of the padded input, or straight of the input for zero padding and stride 1.
    direct = shifted and ctx.padding_mode == "zeros"
    (top, _), (left, _) = ctx.padding
    height, width = ctx.input_shape[2:] if len(ctx.input_shape) == 4 else (1, ctx.input_shape[2])
    grad_image = (
        np.empty((batch, channels, height, width), dtype)
        if direct
        else layout.image(grad_planes_buffer.reshape(ctx.planes.shape))
    )
    grad_w_t = np.zeros(w_groups.transpose(0, 2, 1).shape, dtype)  # dW, transposed
    grad_bias = np.zeros(c_out, dtype) if ctx.has_bias else None
    for start in range(0, batch, chunk):
        part, images = slice(start, start + chunk), min(chunk, batch - start)
        if ctx.cols is None:
            cols = im2col(ctx.planes[part], layout, out=cols_buffer)
        else:  # kept by forward, in the same chunks
            cols = ctx.cols[start * per_image : (start + images) * per_image]
        cols = cols.reshape(groups, w_groups.shape[2], -1)  # (G, K_g, n * positions)
        rows = image_to_rows(grad_out[part], layout, rows_buffer)  # (C_out, n * positions)
        if grad_bias is not None:
            grad_bias += rows.sum(axis=1)
        grad_w_t += np.matmul(cols, rows.reshape(groups, c_out // groups, -1).transpose(0, 2, 1))

        if shifted:
            rows = _plane_rows(grad_out[part], rows, layout, grad_rows_buffer)
        grad_cols = grad_cols_buffer[: k_total * images * grad_positions]
        grad_cols = grad_cols.reshape(groups, w_t.shape[1], -1)
        np.matmul(w_t, rows.reshape(groups, c_out // groups, -1), out=grad_cols)
        if shifted:  # channel-major planes of this chunk
            planes = chunk_planes[: channels * images * layout.plane_size]
            planes = shifted_col2im(grad_cols, layout, planes.reshape(channels, images, -1))
            planes = layout.image(planes).transpose(1, 0, 2, 3)  # (n, C, H_pad, W_pad)
            grad_image[part] = (
                planes[..., top : top + height, left : left + width] if direct else planes
            )
        else:
            grad_planes = grad_planes_buffer.reshape(ctx.planes.shape)[part]
            grad_planes.fill(0)
            col2im(grad_cols.reshape(-1, grad_cols.shape[2]), layout, grad_planes)

    if direct:
        grad_input = grad_image
    else:
        grad_input = pad_backward(grad_image, ctx.padding, ctx.padding_mode)
        grad_input = grad_input.copy() if ctx.padding_mode == "zeros" else grad_input
    grad_weight = grad_w_t.transpose(0, 2, 1).reshape(weight.shape)
    if len(ctx.input_shape) == 3:
        grad_input, grad_weight = grad_input[:, :, 0], grad_weight[:, :, 0]
    return grad_input, grad_weight, grad_bias


def _plane_rows(image: np.ndarray, rows: np.ndarray, layout: ColumnLayout, out: np.ndarray):
    """``grad_out`` laid over whole planes for :func:`shifted_col2im` (stride 1).

    With full rows the first ``H_out * W_pad`` places of a plane are exactly the
    positions of ``rows`` (thrown-away columns already zero): one long copy per image.
    """
    if not layout.full_rows:
        return image_to_plane_rows(image, layout, out)
    channels, batch = rows.shape[0], image.shape[0]
    planes = out[: channels * batch * layout.plane_size].reshape(channels, batch, -1)
    planes[..., : layout.positions] = rows.reshape(channels, batch, -1)
    planes[..., layout.positions :] = 0
    return planes.reshape(channels, -1)
