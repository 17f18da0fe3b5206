"""Smoothing (low-pass) filters: the mean and the Gaussian, each as two 1-D passes.

Both kernels are separable, so the image is correlated with a 1-D kernel down the columns
and then along the rows: ``kh + kw`` multiply-adds per pixel instead of ``kh * kw``. The
passes run in the order ``scipy.ndimage`` runs them (rows axis first), each padding its own
axis, so the results agree with ``uniform_filter`` and ``gaussian_filter`` in every mode.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_choice, check_int_tuple, check_real
from ._image import as_image, map_planes
from .boundary import MODES
from .correlate import correlate_along
from .kernels import gaussian_kernel_1d


def mean(
    image: np.ndarray, size: int | tuple[int, int] = 3, mode: str = "reflect", cval: float = 0.0
) -> np.ndarray:
    """Mean over a ``size`` window (box blur), like ``scipy.ndimage.uniform_filter``.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        Grayscale or channels-last colour image; colour is filtered per channel.
    size : int or (int, int)
        Window height and width; an even size puts the centre at ``size // 2``.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}
        How the image is extended past its edges.
    cval : float
        Value outside the image in mode 'constant'.

    Returns
    -------
    ndarray, same shape as ``image``
        Float images keep their dtype; integer and boolean images give float64.

    Notes
    -----
    Equal to ``correlate(image, kernel("mean", size=size))`` (and to `convolve` for odd
    sizes: for even ones it centres the window one sample earlier); for ``size=3``::

        1/9 * [[1, 1, 1],
               [1, 1, 1],
               [1, 1, 1]]

    Examples
    --------
    >>> mean(np.array([[0, 0, 9, 0, 0]]), size=(1, 3), mode="constant")
    array([[0., 3., 3., 3., 0.]])
    """
    image = as_image(image)
    rows, columns = check_int_tuple("size", size, 2)
    mode = check_choice("mode", mode, MODES)
    cval = check_real("cval", cval)

    def smooth(plane: np.ndarray) -> np.ndarray:
        down = np.full(rows, 1 / rows, dtype=plane.dtype)
        across = np.full(columns, 1 / columns, dtype=plane.dtype)
        plane = correlate_along(plane, down, 0, mode, cval)
        return correlate_along(plane, across, 1, mode, cval)

    return map_planes(smooth, image)


def gaussian(
    image: np.ndarray,
    sigma: float,
    truncate: float = 4.0,
    mode: str = "reflect",
    cval: float = 0.0,
) -> np.ndarray:
    """Gaussian blur, like ``scipy.ndimage.gaussian_filter``.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        Grayscale or channels-last colour image; colour is filtered per channel.
    sigma : float
        Standard deviation in pixels (> 0), the same along both axes.
    truncate : float
        The kernel stops at ``radius = int(truncate * sigma + 0.5)`` pixels.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}
        How the image is extended past its edges.
    cval : float
        Value outside the image in mode 'constant'.

    Returns
    -------
    ndarray, same shape as ``image``
        Float images keep their dtype; integer and boolean images give float64.

    Notes
    -----
    Equal to ``convolve(image, kernel("gaussian", sigma=sigma))``, computed as two 1-D
    passes with the weights ``exp(-x**2 / (2 sigma**2))``, ``|x| <= radius``, summing to 1.

    Examples
    --------
    >>> spike = np.zeros((1, 5)); spike[0, 2] = 1.0
    >>> gaussian(spike, sigma=0.5).round(4)
    array([[0.0003, 0.1065, 0.7866, 0.1065, 0.0003]])
    """
    image = as_image(image)
    weights = gaussian_kernel_1d(sigma, truncate)
    mode = check_choice("mode", mode, MODES)
    cval = check_real("cval", cval)

    def smooth(plane: np.ndarray) -> np.ndarray:
        typed = weights.astype(plane.dtype)
        return correlate_along(correlate_along(plane, typed, 0, mode, cval), typed, 1, mode, cval)

    return map_planes(smooth, image)
