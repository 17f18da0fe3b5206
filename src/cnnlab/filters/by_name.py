"""Any filter of the library by its name: what ``cnnlab filter --kernel NAME`` calls."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_choice, check_keywords
from .correlate import convolve
from .gradient import gradient
from .kernels import KERNELS, kernel
from .median import median
from .smoothing import gaussian, mean

GRADIENT_OPERATORS = ("sobel", "prewitt", "scharr")
FILTERS = (*KERNELS, "median", *GRADIENT_OPERATORS)
_SIGNED = {"prewitt_x", "prewitt_y", "sobel_x", "sobel_y", "scharr_x", "scharr_y",
           "laplacian", "emboss"}  # fmt: skip


def apply(image: np.ndarray, name: str, mode: str = "reflect", **params: Any) -> np.ndarray:
    """Filter ``image`` with the kernel or filter called ``name``.

    ``name`` is a key of `KERNELS` (convolved with the image), ``"median"``, or a gradient
    operator (``"sobel"``, ``"prewitt"``, ``"scharr"``: the gradient magnitude).
    ``mean`` and ``median`` take ``size``; ``gaussian`` takes ``sigma`` and ``truncate``.

    Examples
    --------
    >>> image = np.zeros((5, 5)); image[:, 3:] = 1.0
    >>> apply(image, "sobel")[2]
    array([0., 0., 4., 4., 0.])
    >>> apply(image, "median", size=3).shape
    (5, 5)
    """
    name = check_choice("kernel", name, FILTERS)
    if name == "mean":
        return mean(image, mode=mode, **check_keywords("filter 'mean'", params, ("size",)))
    if name == "gaussian":
        params = check_keywords("filter 'gaussian'", params, ("sigma", "truncate"))
        return gaussian(image, params.pop("sigma", 1.0), mode=mode, **params)
    if name == "median":
        return median(image, mode=mode, **check_keywords("filter 'median'", params, ("size",)))
    check_keywords(f"filter {name!r}", params, ())
    if name in GRADIENT_OPERATORS:
        return gradient(image, operator=name, mode=mode).magnitude
    return convolve(image, kernel(name), mode=mode)


def is_signed(name: str) -> bool:
    """Whether the filter's response takes both signs (an edge detector), not an intensity.

    >>> is_signed("sobel_x"), is_signed("gaussian")
    (True, False)
    """
    return name in _SIGNED
