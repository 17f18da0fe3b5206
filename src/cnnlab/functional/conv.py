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
from .im2col import ColumnLayout, Workspace, col2im, im2col, image_to_rows, rows_to_image
from .padding import PADDING_MODES, ConvPadding, conv_padding, pad, pad_backward

IntOrTuple = int | tuple[int, ...]
LAYOUTS = {1: "(N, C, L)", 2: "(N, C, H, W)"}
WEIGHT_LAYOUTS = {1: "(C_out, C_in / groups, K)", 2: "(C_out, C_in / groups, KH, KW)"}
CHUNK_BYTES = 4 << 20  # columns of one chunk of the batch: small enough to stay in cache
KEEP_COLS_BYTES = 8 << 20  # up to this size forward keeps all columns for backward
# col2im adds into strided views, which NumPy does about three times slower than it copies
# them; im2col of grad_out copies C_out / C_in times more. Measured on LeNet-5 and VGG.
COL2IM_COST = 2


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

    With stride 1 the input gradient is itself a convolution: of ``grad_out``, padded by
    ``dilation * (kernel_size - 1)`` less the forward padding, with the kernel flipped
    and its channel axes swapped. That runs through the same im2col and matrix product
    as the forward pass and is used unless there are many more output than input
    channels (the first layer); otherwise ``col2im(W.T @ dy)`` gives it.

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
    (batch, channels), c_out = ctx.planes.shape[:2], weight.shape[0]
    out_h, out_w = layout.output_shape
    expected = (batch, c_out) + ((out_h, out_w) if len(ctx.input_shape) == 4 else (out_w,))
    check_same_shape("grad_out", np.asarray(grad_out), "output", np.broadcast_to(0.0, expected))
    grad_out = np.asarray(grad_out, dtype=weight.dtype).reshape(batch, c_out, out_h, out_w)
    by_convolution = layout.stride == (1, 1) and c_out <= COL2IM_COST * channels

    w_groups = weight.reshape(groups, c_out // groups, -1)  # (G, C_out / G, K_g)
    rows_per_group = w_groups.shape[2]
    grad_w_t = np.zeros((groups, rows_per_group, c_out // groups), weight.dtype)  # dW.T
    grad_bias = np.zeros(c_out, weight.dtype) if ctx.has_bias else None
    chunk = min(batch, _chunk_size(rows_per_group * groups, layout, weight.itemsize))
    per_image = rows_per_group * groups * layout.positions
    cols_buffer = workspace.get("cols", per_image * chunk, weight.dtype)
    rows_buffer = workspace.get("rows", c_out * chunk * layout.positions, weight.dtype)
    if not by_convolution:  # col2im adds into zeroed planes
        grad_cols_buffer = workspace.get("grad_cols", per_image * chunk, weight.dtype)
        grad_planes = workspace.get("grad_planes", ctx.planes.size, weight.dtype)
        grad_planes = grad_planes.reshape(ctx.planes.shape)
        grad_planes.fill(0)
    for start in range(0, batch, chunk):
        part = slice(start, start + chunk)
        if ctx.cols is None:
            cols = im2col(ctx.planes[part], layout, out=cols_buffer)
        else:  # kept by forward, in the same chunks
            images = min(chunk, batch - start)
            cols = ctx.cols[start * per_image : (start + images) * per_image]
        cols = cols.reshape(groups, rows_per_group, -1)  # (G, K_g, n * positions)
        rows = image_to_rows(grad_out[part], layout, rows_buffer)  # (C_out, n * positions)
        if grad_bias is not None:
            grad_bias += rows.sum(axis=1)
        rows = rows.reshape(groups, c_out // groups, -1)
        grad_w_t += np.matmul(cols, rows.transpose(0, 2, 1))
        if not by_convolution:
            grad_cols = grad_cols_buffer[: cols.size].reshape(cols.shape)
            np.matmul(w_groups.transpose(0, 2, 1), rows, out=grad_cols)
            col2im(grad_cols.reshape(-1, rows.shape[2]), layout, grad_planes[part])

    if by_convolution:
        grad_input = _input_gradient_by_convolution(grad_out, ctx)
    else:
        grad_input = pad_backward(layout.image(grad_planes), ctx.padding, ctx.padding_mode)
        grad_input = grad_input.copy() if ctx.padding_mode == "zeros" else grad_input
    grad_weight = grad_w_t.transpose(0, 2, 1).reshape(weight.shape)
    if len(ctx.input_shape) == 3:
        grad_input, grad_weight = grad_input[:, :, 0], grad_weight[:, :, 0]
    return grad_input, grad_weight, grad_bias


def _input_gradient_by_convolution(grad_out: np.ndarray, ctx: ConvContext) -> np.ndarray:
    """The input gradient of a stride-1 convolution, as a convolution of ``grad_out``."""
    weight, groups = ctx.weight, ctx.groups
    c_out, c_group, kh, kw = weight.shape
    flipped = weight.reshape(groups, c_out // groups, c_group, kh, kw)[..., ::-1, ::-1]
    flipped = flipped.transpose(0, 2, 1, 3, 4).reshape(groups * c_group, c_out // groups, kh, kw)
    spans = [d * (k - 1) for d, k in zip(ctx.layout.dilation, (kh, kw), strict=True)]
    direct = ctx.padding_mode == "zeros" and all(
        max(pair) <= span for pair, span in zip(ctx.padding, spans, strict=True)
    )
    if direct:  # only the input's own pixels: pad grad_out less by the forward padding
        pairs = tuple((s - b, s - a) for s, (b, a) in zip(spans, ctx.padding, strict=True))
    else:  # the whole padded input, then fold the border back (pad's adjoint)
        pairs = tuple((s, s) for s in spans)
    grad, _, _, _ = _forward(
        grad_out, np.ascontiguousarray(flipped), None, (1, 1), pairs, ctx.layout.dilation,
        groups, "zeros", ctx.workspace, "grad_",
    )  # fmt: skip
    return grad if direct else pad_backward(grad, ctx.padding, ctx.padding_mode)
