"""How a convolution cuts its batch into chunks whose columns stay in cache.

:mod:`cnnlab.backend.fast.conv` im2col's and multiplies the batch chunk by chunk, so that
the matrix products read the columns while they are hot; the same chunks cut the work
between threads (:mod:`cnnlab.backend.fast.parallel`) and fix the order of sums over the batch.
"""

from __future__ import annotations

from . import parallel

CHUNK_BYTES = 2 << 20  # columns of one chunk of the batch: small enough to stay in cache
CHUNKS_MULTIPLE = 4  # the batch is cut into a multiple of this many equal chunks


def chunk_size(batch: int, image_bytes: int, work: int) -> int:
    """Images per chunk: columns of at most ``CHUNK_BYTES``, in equal chunks where it pays.

    A job big enough to be split between threads (``work`` multiply-adds) is cut into
    equal chunks that number a multiple of ``CHUNKS_MULTIPLE`` (see :func:`_equal_count`),
    so that two or four threads get equal shares: 11 chunks of 6 images would give one
    thread 30 images and the other 34. The cut depends only on the shapes, not on the
    thread count, and so neither do the sums over chunks (the weight gradient).

    >>> big = 10**9
    >>> chunk_size(64, 90_000, big), chunk_size(64, 90_000, 0), chunk_size(64, 331_776, big)
    (16, 22, 4)
    >>> chunk_size(64, 1_300_000, big)  # never more than CHUNK_BYTES (2 MiB) of columns
    1
    """
    largest = max(1, CHUNK_BYTES // image_bytes)  # images in CHUNK_BYTES, at least one
    count = -(-batch // largest)
    if work >= 2 * parallel.MIN_PART_WORK:
        count = _equal_count(batch, count)
    return -(-batch // min(batch, count))


def _equal_count(batch: int, count: int) -> int:
    """The fewest chunks, at least ``count``, in a multiple of ``CHUNKS_MULTIPLE`` that
    cut ``batch`` exactly; without such a number, ``count`` rounded up to the multiple.

    >>> _equal_count(64, 11), _equal_count(64, 22), _equal_count(50, 11)
    (16, 32, 12)
    """
    multiple = -(-count // CHUNKS_MULTIPLE) * CHUNKS_MULTIPLE
    for candidate in range(multiple, batch + 1, CHUNKS_MULTIPLE):
        if batch % candidate == 0:
            return candidate
    return multiple
