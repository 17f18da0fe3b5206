"""Images in, images out: the input check and dtype rules that every filter shares.

An image is grayscale ``(H, W)`` or channels-last colour ``(H, W, C)``; colour images are
filtered one channel (one ``(H, W)`` plane) at a time.

Arithmetic runs in float32 for float16 and float32 images and in float64 otherwise; the
result keeps a float image's dtype, and integer or boolean images give float64 (a filtered
uint8 image is no longer a set of integers).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._validation import check_array


def as_image(image: object) -> np.ndarray:
    """Check that ``image`` is a real ``(H, W)`` or ``(H, W, C)`` array; return it as one."""
    return check_array("image", image, ndim=(2, 3), allow_complex=False)


def work_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype filters compute in: float32 for float16/float32 images, float64 otherwise."""
    if dtype in (np.float16, np.float32):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def result_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype of a filtered image: a float image's own, float64 for integers and bools."""
    return np.dtype(dtype) if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def map_planes(
    function: Callable[[np.ndarray], np.ndarray], image: np.ndarray, *, keep_dtype: bool = False
) -> np.ndarray:
    """Apply ``function`` to every ``(H, W)`` plane of ``image`` and stack the results.

    Each plane reaches ``function`` C-contiguous, in the working dtype (or in the image's own
    dtype when ``keep_dtype``, for filters that only select values, like the median).
    """
    dtype_in = image.dtype if keep_dtype else work_dtype(image.dtype)
    dtype_out = image.dtype if keep_dtype else result_dtype(image.dtype)
    if image.size == 0:
        return np.empty(image.shape, dtype=dtype_out)
    if image.ndim == 2:
        plane = np.ascontiguousarray(image, dtype=dtype_in)
        return np.ascontiguousarray(function(plane), dtype=dtype_out)
    out = np.empty(image.shape, dtype=dtype_out)
    for channel in range(image.shape[2]):
        plane = np.ascontiguousarray(image[:, :, channel], dtype=dtype_in)
        out[:, :, channel] = function(plane)
    return out
