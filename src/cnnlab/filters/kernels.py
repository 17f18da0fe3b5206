"""The classic image kernels, as named constants and by name through `kernel`.

Every kernel here is written the way the lecture writes it and is meant for `convolve`
(which flips it, as ``scipy.ndimage.convolve`` does). The separable ones are built from
their 1-D parts: a smoothing vector along one axis times a difference along the other::

    PREWITT_X = outer([1, 1, 1], [1, 0, -1])     SOBEL_X = outer([1, 2, 1], [1, 0, -1])
      [[1, 0, -1],                                 [[1, 0, -1],
       [1, 0, -1],                                  [2, 0, -2],
       [1, 0, -1]]                                  [1, 0, -1]]

    SCHARR_X = outer([3, 10, 3], [1, 0, -1])     *_Y = *_X.T, e.g. PREWITT_Y
      [[ 3, 0,  -3],                               [[ 1,  1,  1],
       [10, 0, -10],                                [ 0,  0,  0],
       [ 3, 0,  -3]]                                [-1, -1, -1]]

    LAPLACIAN         IDENTITY          SHARPEN = IDENTITY - LAPLACIAN    EMBOSS
      [[0,  1, 0],      [[0, 0, 0],       [[ 0, -1,  0],                    [[-2, -1, 0],
       [1, -4, 1],       [0, 1, 0],        [-1,  5, -1],                     [-1,  1, 1],
       [0,  1, 0]]       [0, 0, 0]]        [ 0, -1,  0]]                     [ 0,  1, 2]]

    >>> print(KERNELS)  # doctest: +NORMALIZE_WHITESPACE
    name       parameters           description
    mean       size=3               box (low-pass) filter: every weight 1 / N
    gaussian   sigma=1.0, truncate=4.0  Gaussian blur, normalised to sum 1
    prewitt_x  -                    Prewitt gradient Gx (change along columns)
    prewitt_y  -                    Prewitt gradient Gy (change along rows)
    sobel_x    -                    Sobel gradient Gx: Prewitt with 1-2-1 smoothing
    sobel_y    -                    Sobel gradient Gy
    scharr_x   -                    Scharr gradient Gx: 3-10-3 smoothing, best rotation invariance
    scharr_y   -                    Scharr gradient Gy
    laplacian  -                    discrete Laplacian (sum of second differences)
    identity   -                    leaves the image unchanged
    sharpen    -                    identity minus Laplacian
    emboss     -                    directional relief
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from .._validation import (
    check_choice,
    check_int_tuple,
    check_keywords,
    check_positive_float,
    received,
)


def _constant(values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    array.flags.writeable = False
    return array


# 1-D parts: smoothing across the derivative, and the central difference along it.
DIFFERENCE = _constant([1, 0, -1])
PREWITT_SMOOTH = _constant([1, 1, 1])
SOBEL_SMOOTH = _constant([1, 2, 1])
SCHARR_SMOOTH = _constant([3, 10, 3])

PREWITT_X = _constant(np.outer(PREWITT_SMOOTH, DIFFERENCE))
PREWITT_Y = _constant(np.outer(DIFFERENCE, PREWITT_SMOOTH))
SOBEL_X = _constant(np.outer(SOBEL_SMOOTH, DIFFERENCE))
SOBEL_Y = _constant(np.outer(DIFFERENCE, SOBEL_SMOOTH))
SCHARR_X = _constant(np.outer(SCHARR_SMOOTH, DIFFERENCE))
SCHARR_Y = _constant(np.outer(DIFFERENCE, SCHARR_SMOOTH))
LAPLACIAN = _constant([[0, 1, 0], [1, -4, 1], [0, 1, 0]])
IDENTITY = _constant([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
SHARPEN = _constant(IDENTITY - LAPLACIAN)
EMBOSS = _constant([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])


def mean_kernel(size: int | tuple[int, int] = 3) -> np.ndarray:
    """Box kernel of ``size`` (an int or ``(rows, columns)``), every weight ``1 / N``.

    Notes
    -----
    ``size=3``::

        1/9 * [[1, 1, 1],
               [1, 1, 1],
               [1, 1, 1]]

    Examples
    --------
    >>> mean_kernel((1, 4))
    array([[0.25, 0.25, 0.25, 0.25]])
    """
    rows, columns = check_int_tuple("size", size, 2)
    return np.full((rows, columns), 1.0 / (rows * columns))


def gaussian_kernel_1d(sigma: float, truncate: float = 4.0) -> np.ndarray:
    """Sampled Gaussian of radius ``int(truncate * sigma + 0.5)``, normalised to sum 1.

    The same weights as ``scipy.ndimage.gaussian_filter`` uses along each axis.

    >>> gaussian_kernel_1d(0.5).round(4)
    array([0.0003, 0.1065, 0.7866, 0.1065, 0.0003])
    """
    sigma = check_positive_float("sigma", sigma)
    truncate = check_positive_float("truncate", truncate)
    if not np.isfinite(truncate * sigma):
        raise ValueError(
            f"`truncate * sigma` must be finite (it is the kernel's radius). "
            f"{received(sigma=sigma, truncate=truncate)}"
        )
    radius = int(truncate * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    weights = np.exp(-0.5 * (x / sigma) ** 2)
    return weights / weights.sum()


def gaussian_kernel(sigma: float = 1.0, truncate: float = 4.0) -> np.ndarray:
    """2-D Gaussian kernel: the outer product of two `gaussian_kernel_1d`.

    Notes
    -----
    ``G(x, y) = exp(-(x**2 + y**2) / (2 sigma**2)) / Z`` on the grid ``|x|, |y| <= radius``,
    ``radius = int(truncate * sigma + 0.5)``, ``Z`` making the weights sum to 1.

    Examples
    --------
    >>> gaussian_kernel(0.5).shape
    (5, 5)
    """
    weights = gaussian_kernel_1d(sigma, truncate)
    return np.outer(weights, weights)


class KernelInfo(NamedTuple):
    """One row of `KERNELS`: how to build a kernel and what it is for."""

    factory: Callable[..., np.ndarray]
    description: str

    @property
    def parameters(self) -> str:
        """The factory's parameters with their defaults, e.g. ``'size=3'``; ``'-'`` if none."""
        listed = inspect.signature(self.factory).parameters.values()
        return ", ".join(f"{p.name}={p.default!r}" for p in listed) or "-"


class KernelTable(Mapping[str, KernelInfo]):
    """Read-only mapping of kernel names to `KernelInfo`; prints as a table."""

    def __init__(self, rows: dict[str, KernelInfo]) -> None:
        self._rows = dict(rows)

    def __getitem__(self, name: str) -> KernelInfo:
        return self._rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        table = [("name", "parameters", "description")]
        table += [(name, info.parameters, info.description) for name, info in self.items()]
        widths = [max(len(row[i]) for row in table) for i in range(2)]
        return "\n".join(
            f"{name:<{widths[0]}}  {params:<{widths[1]}}  {text}" for name, params, text in table
        )


def _fixed(array: np.ndarray) -> Callable[[], np.ndarray]:
    return lambda: array.copy()


KERNELS = KernelTable(
    {
        "mean": KernelInfo(mean_kernel, "box (low-pass) filter: every weight 1 / N"),
        "gaussian": KernelInfo(gaussian_kernel, "Gaussian blur, normalised to sum 1"),
        "prewitt_x": KernelInfo(_fixed(PREWITT_X), "Prewitt gradient Gx (change along columns)"),
        "prewitt_y": KernelInfo(_fixed(PREWITT_Y), "Prewitt gradient Gy (change along rows)"),
        "sobel_x": KernelInfo(_fixed(SOBEL_X), "Sobel gradient Gx: Prewitt with 1-2-1 smoothing"),
        "sobel_y": KernelInfo(_fixed(SOBEL_Y), "Sobel gradient Gy"),
        "scharr_x": KernelInfo(
            _fixed(SCHARR_X), "Scharr gradient Gx: 3-10-3 smoothing, best rotation invariance"
        ),
        "scharr_y": KernelInfo(_fixed(SCHARR_Y), "Scharr gradient Gy"),
        "laplacian": KernelInfo(
            _fixed(LAPLACIAN), "discrete Laplacian (sum of second differences)"
        ),
        "identity": KernelInfo(_fixed(IDENTITY), "leaves the image unchanged"),
        "sharpen": KernelInfo(_fixed(SHARPEN), "identity minus Laplacian"),
        "emboss": KernelInfo(_fixed(EMBOSS), "directional relief"),
    }
)


def kernel(name: str, **params: Any) -> np.ndarray:
    """A new float64 array holding the kernel called ``name`` (see `KERNELS`).

    Parameters
    ----------
    name : str
        A key of `KERNELS`, e.g. ``'sobel_x'`` or ``'gaussian'``.
    **params
        The kernel's parameters (``size`` for 'mean'; ``sigma``, ``truncate`` for 'gaussian').

    Returns
    -------
    ndarray, shape (kh, kw)

    Notes
    -----
    The gradient pair of the lecture (Prewitt)::

        Gx = [[1, 0, -1],        Gy = [[ 1,  1,  1],
              [1, 0, -1],              [ 0,  0,  0],
              [1, 0, -1]]              [-1, -1, -1]]

    Sobel and Scharr replace the smoothing ``[1, 1, 1]`` by ``[1, 2, 1]`` and
    ``[3, 10, 3]``. ``convolve(image, Gx)`` is the change to the right (``gradient(...).gx``).

    Examples
    --------
    >>> kernel("prewitt_y")
    array([[ 1.,  1.,  1.],
           [ 0.,  0.,  0.],
           [-1., -1., -1.]])
    >>> kernel("mean", size=2)
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    name = check_choice("name", name, tuple(KERNELS))
    factory = KERNELS[name].factory
    check_keywords(f"kernel {name!r}", params, tuple(inspect.signature(factory).parameters))
    return factory(**params)
