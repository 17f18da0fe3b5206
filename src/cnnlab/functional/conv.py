"""Convolution (PyTorch's cross-correlation): im2col, one matrix product, col2im.

With ``cols = im2col(padded x)`` of shape ``(N, C_in * KH * KW, H_out * W_out)`` and the
weight flattened to ``W`` ``(C_out, C_in * KH * KW)``::

    forward          y[n]    = W @ cols[n] + b
    weight gradient  dW      = sum over n of dy[n] @ cols[n].T
    input gradient   dcols[n] = W.T @ dy[n],  dx = pad_backward(col2im(dcols))
    bias gradient    db      = dy summed over images and pixels

With ``groups = G`` the channels split into ``G`` independent convolutions: ``cols`` is
cut into ``(N, G, C_in / G * KH * KW, positions)``, ``W`` into ``(G, C_out / G, ...)``,
and the product is batched over the groups. A 1-D convolution is a 2-D one with ``H = 1``
(:mod:`~cnnlab.functional.conv_arguments` checks the arguments and makes that form).

This is the reference: the layers run it under ``cnnlab.set_backend("reference")``; the
default backend computes the same with threads and reused buffers, tested equal to it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_same_shape
from .conv_arguments import LAYOUTS, ConvArguments, IntOrTuple, conv_arguments
from .im2col import col2im, im2col, output_shape
from .padding import ConvPadding, conv_padding, pad, pad_backward

__all__ = ["LAYOUTS", "ConvContext", "conv1d", "conv2d", "conv_backward", "conv_padding"]


class ConvContext(NamedTuple):
    """What :func:`conv_backward` needs from the forward pass."""

    args: ConvArguments  # the checked arguments, in 2-D form
    cols: np.ndarray  # (N, G, C_in / G * KH * KW, H_out * W_out): the input's windows
    padded_shape: tuple[int, int, int, int]  # (N, C_in, H + padding, W + padding)
    output_shape: tuple[int, int, int, int]  # (N, C_out, H_out, W_out)


def conv2d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: IntOrTuple = 1,
    padding: ConvPadding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
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
    args = conv_arguments(x, weight, bias, 2, stride, padding, dilation, groups, padding_mode)
    return convolve(args)


def conv1d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: IntOrTuple = 1,
    padding: ConvPadding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> tuple[np.ndarray, ConvContext]:
    """1-D convolution of ``(N, C, L)``, as ``torch.nn.functional.conv1d``.

    Arguments as :func:`conv2d` with one spatial axis; ``weight`` is ``(C_out, C_in /
    groups, K)``. Returns the output ``(N, C_out, L_out)`` and the backward context.

    >>> y, _ = conv1d(np.array([[[1.0, 2.0, 3.0, 4.0]]]), np.array([[[1.0, -1.0]]]))
    >>> y  # differences x[i] - x[i + 1]
    array([[[-1., -1., -1.]]])
    """
    args = conv_arguments(x, weight, bias, 1, stride, padding, dilation, groups, padding_mode)
    return convolve(args)


def convolve(args: ConvArguments) -> tuple[np.ndarray, ConvContext]:
    """The forward pass on checked arguments: ``y[n] = W @ im2col(x[n]) + b``."""
    x, weight, groups = args.x, args.weight, args.groups
    (c_out, _, KH, KW), N = weight.shape, x.shape[0]
    padded = pad(x.astype(weight.dtype, copy=False), args.padding, args.padding_mode)
    H_out, W_out = output_shape(padded.shape[2:], (KH, KW), args.stride, args.dilation)
    cols = im2col(padded, (KH, KW), args.stride, args.dilation)  # (N, C_in * KH * KW, P)
    cols = cols.reshape(N, groups, weight[0].size, H_out * W_out)  # (N, G, K_g, P)
    w = weight.reshape(groups, c_out // groups, -1)  # (G, C_out / G, K_g)
    y = np.matmul(w, cols).reshape(N, c_out, H_out, W_out)  # one product per image, group
    if args.bias is not None:
        y += args.bias[:, None, None]
    ctx = ConvContext(args, cols, padded.shape, y.shape)
    return _in_input_form(y, args), ctx


def conv_backward(
    grad_out: np.ndarray, ctx: ConvContext, input_grad: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Gradients of ``conv2d`` or ``conv1d`` with respect to input, weight and bias.

    Parameters
    ----------
    grad_out : ndarray, shape of the forward output
    ctx : ConvContext
        From the forward call.
    input_grad : bool, default True
        False skips the input gradient (a network's first layer: the data is not trained).

    Returns
    -------
    grad_input : ndarray, shape of the input, or None when ``input_grad`` is False
    grad_weight : ndarray, shape of the weight
    grad_bias : ndarray, shape (C_out,), or None when the forward had no bias
    """
    args, cols = ctx.args, ctx.cols
    expected = _in_input_form(np.broadcast_to(0.0, ctx.output_shape), args)
    check_same_shape("grad_out", np.asarray(grad_out), "output", expected)
    weight, c_out = args.weight, ctx.output_shape[1]
    N, G, K_g, P = cols.shape
    dy = np.asarray(grad_out, dtype=weight.dtype).reshape(N, G, c_out // G, P)
    grad_w = np.matmul(dy, cols.transpose(0, 1, 3, 2)).sum(axis=0)  # (G, C_out / G, K_g)
    grad_weight = grad_w.reshape(weight.shape)
    grad_bias = dy.sum(axis=(0, 3)).reshape(c_out) if args.bias is not None else None
    grad_input = None
    if input_grad:
        w = weight.reshape(G, c_out // G, K_g)
        grad_cols = np.matmul(w.transpose(0, 2, 1), dy)  # (N, G, K_g, P)
        grad_padded = col2im(grad_cols, ctx.padded_shape, weight.shape[2:], args.stride,
                             args.dilation)  # fmt: skip
        grad_input = pad_backward(grad_padded, args.padding, args.padding_mode)
        grad_input = grad_input.reshape(args.input_shape)
    if len(args.input_shape) == 3:
        grad_weight = grad_weight[:, :, 0]
    return grad_input, grad_weight, grad_bias


def _in_input_form(y: np.ndarray, args: ConvArguments) -> np.ndarray:
    """The output ``(N, C, H_out, W_out)``, as ``(N, C, L_out)`` for a 1-D convolution."""
    return y[:, :, 0] if len(args.input_shape) == 3 else y
