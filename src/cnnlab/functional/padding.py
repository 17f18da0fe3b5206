"""Padding of the trailing (spatial) axes, in PyTorch's four modes, and its adjoint.

``padding`` gives one ``(before, after)`` pair per padded axis; the pairs apply to the last
axes of the array, so ``((1, 1), (2, 0))`` pads H by one on each side and W by two on
the left of an ``(N, C, H, W)`` array. The modes are ``Conv2d``'s ``padding_mode``::

    x = a b c d        zeros:     0 0 | a b c d | 0 0
                       reflect:   c b | a b c d | c b     (mirror, edge not repeated)
                       replicate: a a | a b c d | d d     (edge repeated)
                       circular:  c d | a b c d | a b     (periodic, a lattice's boundary)

Each axis is padded in turn over the whole extent of the axes padded before it, so the
corners of a 2-D pad are right in every mode. :func:`pad_backward` undoes the steps in
reverse: it folds the gradient of each border back onto the elements it was copied from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validation import check_choice, check_int_tuple, received
from ._shapes import same_padding

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
Padding = Sequence[int | tuple[int, int]]  # one amount or (before, after) pair per axis
ConvPadding = int | tuple[int, ...] | str  # Conv's argument: amounts, 'same' or 'valid'


def padding_pairs(padding, ndim: int) -> tuple[tuple[int, int], ...]:
    """Normalise ``padding`` (one int or ``(before, after)`` pair per axis) to pairs.

    >>> padding_pairs([1, (2, 0)], ndim=4)
    ((1, 1), (2, 0))
    """
    if not isinstance(padding, (tuple, list)) or not 1 <= len(padding) <= ndim:
        raise ValueError(
            f"`padding` must hold one int or (before, after) pair per padded axis, at most "
            f"one per axis of the input ({ndim}). {received(padding=padding)}"
        )
    return tuple(
        check_int_tuple("padding", pair, 2, minimum=0, description="a non-negative int")
        for pair in padding
    )


def check_padding(pairs: tuple[tuple[int, int], ...], spatial_shape: tuple[int, ...], mode: str):
    """Check ``(before, after)`` pairs against the sizes they pad, by PyTorch's limits.

    ``reflect`` needs each amount below the axis size (the edge is not repeated, so there
    are only ``size - 1`` elements to mirror); ``circular`` at most the size (one period).
    """
    for (before, after), size in zip(pairs, spatial_shape, strict=True):
        if mode == "reflect" and max(before, after) >= size:
            raise ValueError(
                f"'reflect' padding must be smaller than the size of the axis it pads (the "
                f"edge is not repeated): an axis of {size} takes at most {size - 1}. "
                f"{received(padding=pairs, input_spatial_shape=spatial_shape)}"
            )
        if mode == "circular" and max(before, after) > size:
            raise ValueError(
                f"'circular' padding can wrap around at most once: an axis of {size} takes "
                f"at most {size}. {received(padding=pairs, input_spatial_shape=spatial_shape)}"
            )


def conv_padding(
    padding: ConvPadding,
    kernel_size: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
) -> tuple[tuple[int, int], ...]:
    """``(before, after)`` per spatial axis from Conv's ``padding`` argument.

    An int or a tuple pads both sides; ``'valid'`` means none; ``'same'`` keeps the size
    (stride 1 only, as in PyTorch) and puts an odd extra element after.

    >>> conv_padding("same", (4, 3), (1, 1), (1, 1))
    ((1, 2), (1, 1))
    """
    if isinstance(padding, str):
        padding = check_choice("padding", padding, ("same", "valid"))
        if padding == "valid":
            return ((0, 0),) * len(kernel_size)
        if any(s != 1 for s in stride):
            raise ValueError(
                "padding='same' needs stride 1 (as in PyTorch): with a larger stride no "
                f"padding keeps the size. {received(padding=padding, stride=stride)}"
            )
        return tuple(same_padding(k, d) for k, d in zip(kernel_size, dilation, strict=True))
    amounts = check_int_tuple("padding", padding, len(kernel_size), minimum=0)
    return tuple((p, p) for p in amounts)


def pad(
    x: np.ndarray, padding: Padding, mode: str = "zeros", out: np.ndarray | None = None
) -> np.ndarray:
    """Pad the trailing axes of ``x``, as ``torch.nn.functional.pad`` with Conv's modes.

    Parameters
    ----------
    x : ndarray, shape (*, S1, ..., Sk)
    padding : sequence of k ints or ``(before, after)`` pairs
        Amounts for the last k axes, in axis order (not PyTorch's reversed flat list).
    mode : {'zeros', 'reflect', 'replicate', 'circular'}
    out : ndarray, optional
        Array (or view) of the padded shape to write into, e.g. a reused buffer.

    Returns
    -------
    ndarray, shape (*, S1 + before1 + after1, ..., Sk + beforek + afterk)
        ``out`` when given, else a new array of ``x``'s dtype.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0, 4.0])
    >>> pad(x, [(2, 2)], "circular")
    array([3., 4., 1., 2., 3., 4., 1., 2.])
    >>> pad(x, [(2, 1)], "reflect")
    array([3., 2., 1., 2., 3., 4., 3.])
    """
    x = np.asarray(x)
    mode = check_choice("padding_mode", mode, PADDING_MODES)
    pairs = padding_pairs(padding, x.ndim)
    lead, sizes = x.shape[: x.ndim - len(pairs)], x.shape[x.ndim - len(pairs) :]
    check_padding(pairs, sizes, mode)
    out_shape = lead + tuple(n + b + a for n, (b, a) in zip(sizes, pairs, strict=True))
    if out is None:
        out = np.empty(out_shape, dtype=x.dtype)
    elif out.shape != out_shape:
        raise ValueError(f"`out` must have the padded shape {out_shape}. {received(out=out)}")
    out[_interior(sizes, pairs)] = x
    for k, (n, (b, a)) in enumerate(zip(sizes, pairs, strict=True)):
        for border, source in _border_sources(n, b, a, mode):
            out[_along(k, border, sizes, pairs)] = (
                0 if source is None else (out[_along(k, source, sizes, pairs)])
            )
    return out


def pad_backward(grad: np.ndarray, padding: Padding, mode: str = "zeros") -> np.ndarray:
    """Adjoint of :func:`pad`: the gradient with respect to the unpadded array.

    ``zeros`` crops (returning a view); the other modes also add each border's gradient
    onto the elements it was copied from, so ``<pad(x), g> == <x, pad_backward(g)>``.

    Examples
    --------
    >>> pad_backward(np.arange(8.0), [(2, 2)], "circular")  # [0 1 | 2 3 4 5 | 6 7]
    array([ 8., 10.,  4.,  6.])
    """
    grad = np.asarray(grad)
    mode = check_choice("padding_mode", mode, PADDING_MODES)
    pairs = padding_pairs(padding, grad.ndim)
    padded = grad.shape[grad.ndim - len(pairs) :]
    sizes = tuple(n - b - a for n, (b, a) in zip(padded, pairs, strict=True))
    if min(sizes) < 1:
        raise ValueError(
            f"`padding` must leave at least one element of each padded axis of `grad`. "
            f"{received(padding=pairs, grad=grad)}"
        )
    check_padding(pairs, sizes, mode)
    if mode == "zeros":
        return grad[_interior(sizes, pairs)]
    work = grad.copy()
    for k, (n, (b, a)) in reversed(list(enumerate(zip(sizes, pairs, strict=True)))):
        for border, source in _border_sources(n, b, a, mode):
            add = work[_along(k, border, sizes, pairs)]
            if mode == "replicate":  # one edge element fed the whole border
                add = add.sum(axis=k - len(sizes), keepdims=True)
            work[_along(k, source, sizes, pairs)] += add
    return work[_interior(sizes, pairs)]


def _interior(sizes, pairs) -> tuple:
    """Index of the unpadded array inside the padded one."""
    return (Ellipsis, *(slice(b, b + n) for n, (b, _) in zip(sizes, pairs, strict=True)))


def _along(k: int, axis_slice: slice, sizes, pairs) -> tuple:
    """Index ``axis_slice`` on padded axis ``k``, the full extent of the axes before it
    (already padded) and the interior of the axes after it (not yet padded)."""
    index = [slice(None)] * k + [axis_slice]
    index += [slice(b, b + n) for n, (b, _) in zip(sizes[k + 1 :], pairs[k + 1 :], strict=True)]
    return (Ellipsis, *index)


def _border_sources(n: int, before: int, after: int, mode: str) -> list[tuple[slice, slice]]:
    """(border, source) slices along one axis of the padded array, interior at ``before``.

    Element i of the border is a copy of element i of the source (reversed for
    ``reflect``); for ``replicate`` the source is the one edge element, broadcast; for
    ``zeros`` there is no source (None).
    """
    end = before + n  # first index after the interior
    pairs = []
    if before:
        source = {
            "zeros": None,
            "reflect": slice(2 * before, before, -1),
            "replicate": slice(before, before + 1),
            "circular": slice(end - before, end),
        }[mode]
        pairs.append((slice(0, before), source))
    if after:
        stop = end - 2 - after
        source = {
            "zeros": None,
            "reflect": slice(end - 2, stop if stop >= 0 else None, -1),
            "replicate": slice(end - 1, end),
            "circular": slice(before, before + after),
        }[mode]
        pairs.append((slice(end, end + after), source))
    return pairs
