"""Convolution (PyTorch's cross-correlation) as one matrix product per image.

With ``cols[n] = im2col(padded image n)`` of shape ``(C_in * KH * KW, H_out * W_out)``
and the weight flattened to ``W`` of shape ``(C_out, C_in * KH * KW)``::

    forward          y[n] = W @ cols[n] + b                 (this module)
    weight gradient  dW   = sum over n of dy[n] @ cols[n].T (conv_backward.py)
    input gradient   dx   = col2im(W.T @ dy), folded by pad_backward
    bias gradient    db   = dy summed over batch and pixels

Each image's product lands in image order ``(C_out, H_out, W_out)``, so no reordering of
the output is needed (measured 16% faster on the small VGG's training step than one
product over the whole batch's columns). With ``groups`` the channels split into
independent groups: the products are batched over images and groups. 1-D convolution is
2-D with ``H = 1``.

The batch runs in chunks whose columns fit in cache, so the matrix products read them
while they are hot. Forward keeps all the columns for backward when they take at most
``KEEP_COLS_BYTES`` (nothing is kept under ``no_grad()``, nor where backward takes the
weight gradient from the input gradient's columns: :mod:`.conv_shared_columns`); above
that, backward rebuilds each chunk's columns, in cache, from the padded input kept in
the context. With two
threads, rebuilding the small VGG's big layers' columns (21 to 80 MB) was faster than
writing them out to memory and reading them back. Big scratch arrays come from a
:class:`~cnnlab.backend.fast.workspace.Workspace` that a layer reuses from step to step.
The batch is split across cnnlab's threads (:mod:`cnnlab.backend.fast.parallel`): each pads, copies
and multiplies its own images, with its own scratch buffers.
"""

from __future__ import annotations

import numpy as np

from ...functional import conv as reference
from ...functional.conv_arguments import LAYOUTS, IntOrTuple, conv_arguments
from ...functional.padding import ConvPadding, conv_padding, pad
from ...grad_mode import is_grad_enabled
from .channel_grid import channel_grid
from .conv_backward import ConvContext, conv_backward, shares_columns
from .conv_chunks import chunk_size
from .conv_pointwise import is_pointwise, pointwise_conv
from .im2col import ColumnLayout, copy_columns, image_windows
from .parallel import parallel_for, segment_length
from .workspace import Workspace

__all__ = [
    "LAYOUTS",
    "ConvContext",
    "IntOrTuple",
    "conv1d",
    "conv2d",
    "conv_backward",
    "conv_padding",
]

KEEP_COLS_BYTES = 24 << 20  # up to this size forward keeps all columns for backward


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
    """As :func:`cnnlab.functional.conv2d`, whose docstring has the maths and arguments.

    ``workspace`` holds scratch buffers reused between calls (a layer keeps one); the next
    call with the same workspace overwrites what this call's context refers to.
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
    """As :func:`cnnlab.functional.conv1d`; ``workspace`` as for :func:`conv2d`."""
    return _conv(x, weight, bias, 1, stride, padding, dilation, groups, padding_mode, workspace)


def _conv(x, weight, bias, dims, stride, padding, dilation, groups, padding_mode, workspace):
    args = conv_arguments(x, weight, bias, dims, stride, padding, dilation, groups, padding_mode)
    if args.x.shape[0] == 0:  # an empty batch: nothing to speed up
        return reference.convolve(args)
    x, weight, bias, stride, pairs, dilation, groups, padding_mode, input_shape = args
    kernel, dtype = weight.shape[2:], weight.dtype
    if is_pointwise(kernel, pairs):  # 1x1, unpadded: no im2col at all
        y, ctx = pointwise_conv(x.astype(dtype, copy=False), weight, bias, stride, groups,
                                input_shape)  # fmt: skip
        return (y if dims == 2 else y[:, :, 0]), ctx
    workspace = Workspace() if workspace is None else workspace
    y, layout, planes, chunk, cols = _forward(
        x, weight, bias, stride, pairs, dilation, groups, padding_mode, workspace
    )
    ctx = ConvContext(
        layout, planes, weight, groups, pairs, padding_mode, input_shape, bias is not None,
        workspace, chunk, cols,
    )  # fmt: skip
    return (y if dims == 2 else y[:, :, 0]), ctx


def _forward(
    x, weight, bias, stride, pairs, dilation, groups, padding_mode, workspace, for_backward=True,
    on_columns=None,
):  # fmt: skip
    """Convolve checked 2-D arguments.

    Returns the output, the layout, the input planes, the images per chunk and all the
    columns when a backward will want them (``for_backward`` and gradients on) and they
    are small enough to keep (else None).

    ``on_columns(start, cols, segment)``, when given, sees each chunk's columns ``(n, G,
    K_g, positions)`` of images ``start:start + n`` while they are in cache. The chunks
    fall in :func:`~cnnlab.backend.fast.parallel.segment_length` runs numbered by ``segment``; a
    thread works on whole runs only, so a sum kept per run needs no lock and adds up in
    the same order on any number of threads.
    """
    (batch, channels), c_out = x.shape[:2], weight.shape[0]
    padded = tuple(n + b + a for n, (b, a) in zip(x.shape[2:], pairs, strict=True))
    layout = ColumnLayout.create(padded, weight.shape[2:], stride, dilation)
    size = batch * channels * layout.plane_size
    buffer = workspace.get("planes", size, x.dtype)
    planes = layout.new_planes(batch, channels, x.dtype, buffer)
    w_groups = weight.reshape(groups, c_out // groups, -1)  # (G, C_out / G, K_g)
    rows_per_group = w_groups.shape[2]
    per_image = rows_per_group * groups * layout.positions  # column elements per image
    work = c_out * batch * per_image // groups  # multiply-adds
    chunk = chunk_size(batch, per_image * x.itemsize, work)
    keep = for_backward and is_grad_enabled()
    keep = keep and batch * per_image * x.itemsize <= KEEP_COLS_BYTES
    keep = keep and not shares_columns(layout, pairs, padding_mode, channels // groups)
    kept = workspace.get("cols", batch * per_image, x.dtype) if keep else None
    y = np.empty((batch, c_out) + layout.output_shape, x.dtype)
    bias_grid = None if bias is None else channel_grid(bias, layout.output_shape)
    windows = image_windows(planes, layout)
    per_segment = segment_length(-(-batch // chunk)) if on_columns is not None else 1

    def convolve_images(first: int, stop: int, part: int) -> None:
        """Pad, im2col and multiply images ``first:stop``, chunk by chunk."""
        images = layout.image(planes[first:stop])
        pad(x[first:stop], pairs, padding_mode, out=images)
        cols_buffer = kept if keep else workspace.get(f"cols.{part}", per_image * chunk, x.dtype)
        rows_size = c_out * chunk * layout.positions if layout.full_rows else 0
        rows_buffer = workspace.get(f"rows.{part}", rows_size, x.dtype)
        for start in range(first, stop, chunk):
            end = min(start + chunk, stop)
            out = cols_buffer[start * per_image :] if keep else cols_buffer
            cols = copy_columns(windows[start:end], out=out)  # (n, K, positions)
            cols = cols.reshape(end - start, groups, rows_per_group, -1)
            if layout.full_rows:  # products into scratch rows, copied without their tails
                rows = rows_buffer[: (end - start) * c_out * layout.positions]
                rows = rows.reshape(end - start, groups, c_out // groups, -1)
                np.matmul(w_groups, cols, out=rows)  # (n, G, C_out / G, positions)
                _rows_to_image(rows, layout, y[start:end], bias_grid)
            else:  # the products are the output itself
                out_rows = y[start:end].reshape(end - start, groups, c_out // groups, -1)
                np.matmul(w_groups, cols, out=out_rows)
                if bias_grid is not None:
                    np.add(y[start:end], bias_grid, out=y[start:end])
            if on_columns is not None:
                on_columns(start, cols, start // (chunk * per_segment))

    parallel_for(convolve_images, batch, chunk * per_segment, work=work)  # whole segments
    return y, layout, planes, chunk, kept


def convolve_checked(x, weight, stride, pairs, dilation, groups, workspace, on_columns=None):
    """Zero-padded 2-D convolution of already checked arguments, with nothing kept.

    Returns the output; ``on_columns`` is as for ``_forward``.
    """
    return _forward(
        x, weight, None, stride, pairs, dilation, groups, "zeros", workspace, for_backward=False,
        on_columns=on_columns,
    )[0]  # fmt: skip


def _rows_to_image(
    rows: np.ndarray, layout: ColumnLayout, out: np.ndarray, bias_grid: np.ndarray | None = None
) -> np.ndarray:
    """Copy matmul rows ``(n, ..., H_out * row_width)`` into ``out`` ``(n, C, H_out, W_out)``.

    The thrown-away columns of full rows are left out; ``bias_grid`` (``(C, H_out,
    W_out)``, from :func:`~cnnlab.backend.fast.channel_grid.channel_grid`) is added. A plain
    copy and then an add of two contiguous arrays took 0.9 ms on the small VGG's
    ``(64, 32, 32, 32)``, one add from the strided rows 1.9 ms.
    """
    out_h, out_w = layout.output_shape
    grid = rows.reshape(out.shape[:2] + (out_h, layout.row_width))[..., :out_w]
    np.copyto(out, grid)
    if bias_grid is not None:
        np.add(out, bias_grid, out=out)
    return out
