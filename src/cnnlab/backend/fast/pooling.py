"""Max pooling with the batch split between threads, and a backward in cache-sized blocks.

The maths is :mod:`cnnlab.functional.pooling`'s: the loops run over the offsets inside
the window, each offset one strided slice of the padded input. Here the batch is cut
between cnnlab's threads, and backward routes the gradient in blocks of at most
``CACHE_BLOCK_BYTES`` of input, which stay in cache while every offset visits them.
"""

from __future__ import annotations

import numpy as np

from ..._validation import check_same_shape
from ...functional.pooling import MaxPoolContext, PoolWindow
from .parallel import ELEMENT_WORK, parallel_for

CACHE_BLOCK_BYTES = 1 << 20  # 1 MiB of input per block in max-pool backward


def max_pool(x: np.ndarray, window: PoolWindow) -> tuple[np.ndarray, MaxPoolContext]:
    """Max pooling, as :func:`cnnlab.functional.max_pool`, the batch split between threads."""
    x = window.check_input(x)
    padded = window.pad(x, -np.inf)
    slices = window.offsets(window.output_shape(x.shape[2:]))
    out = np.empty(padded[slices[0]].shape, padded.dtype)

    def pool(start: int, stop: int, _) -> None:  # images start:stop
        block, block_out = padded[start:stop], out[start:stop]
        np.copyto(block_out, block[slices[0]])
        for index in slices[1:]:
            np.maximum(block_out, block[index], out=block_out)

    parallel_for(pool, len(x), work=(padded.size + out.size * len(slices)) * ELEMENT_WORK)
    return out, MaxPoolContext(window, x.shape, padded, out)


def max_pool_backward(grad_out: np.ndarray, ctx: MaxPoolContext) -> np.ndarray:
    """Gradient of :func:`max_pool`: each window's gradient goes to its largest element.

    On a tie the first largest element, in row-major order, takes all of it (as PyTorch).
    """
    check_same_shape("grad_out", grad_out, "output", ctx.output)
    # Where the windows tile the input, each element is written once below: no zeros first.
    new_grad = np.empty if ctx.window.tiles(ctx.input_shape) else np.zeros
    grad = new_grad(ctx.padded_input.shape, dtype=grad_out.dtype)
    slices = ctx.window.offsets(ctx.output.shape[2:])
    rows = _block_images(len(grad), ctx.padded_input[:1].nbytes)

    def route(first: int, stop: int, _) -> None:  # images first:stop, block by block
        for start in range(first, stop, rows):
            block = slice(start, min(start + rows, stop))
            _route_to_maxima(
                grad[block],
                grad_out[block],
                ctx.padded_input[block],
                ctx.output[block],
                slices,
                ctx.window.overlapping,
            )

    work = (grad.size + ctx.output.size * len(slices)) * ELEMENT_WORK
    parallel_for(route, grad.shape[0], chunk=rows, work=work)
    return grad[ctx.window.interior(ctx.input_shape)]


def _block_images(batch: int, image_bytes: int) -> int:
    """Images per block of max-pool backward: equal blocks of at most ``CACHE_BLOCK_BYTES``.

    Blocks small enough to stay in cache while every window offset visits them, and of
    equal size, so that threads splitting the batch at block boundaries get equal shares
    (LeNet-5's first pool: two blocks of 32 images, not 55 and 9).

    >>> _block_images(64, 18_816), _block_images(64, 131_072), _block_images(3, 10**9)
    (32, 8, 1)
    >>> _block_images(0, 100)  # an empty batch
    1
    """
    largest = max(1, CACHE_BLOCK_BYTES // max(1, image_bytes))
    blocks = max(1, -(-batch // largest))
    return max(1, -(-batch // blocks))


def _route_to_maxima(grad, grad_out, padded_input, output, slices, overlapping) -> None:
    """Add ``grad_out`` into ``grad`` at the first maximum of each window (one batch block)."""
    unclaimed = np.ones(output.shape, dtype=bool)  # windows whose maximum is not yet found
    hit = np.empty(output.shape, dtype=bool)
    for number, index in enumerate(slices):
        if number < len(slices) - 1:
            np.equal(padded_input[index], output, out=hit)
            hit &= unclaimed
            unclaimed ^= hit
        else:
            hit = unclaimed
        if overlapping:
            grad[index] += grad_out * hit
        else:
            np.multiply(grad_out, hit, out=grad[index])
