"""The image gradient G = [Gx, Gy]: its two components, magnitude and direction.

``Gx`` is the change along the columns (to the right), ``Gy`` the change along the rows
(downwards), each a central difference smoothed across it. The sign convention is that of
``scipy.ndimage.sobel`` / ``prewitt``::

    gx == ndimage.sobel(image, axis=1)          gy == ndimage.sobel(image, axis=0)
       == convolve(image, SOBEL_X)                 == convolve(image, SOBEL_Y)
       == -correlate(image, SOBEL_X)               == -correlate(image, SOBEL_Y)

so a brightness that grows to the right gives ``gx > 0``. The lecture's kernels
(``PREWITT_X = [[1, 0, -1]] * 3``) are convolution kernels: convolving flips them into
"right minus left". (Like scipy, the two 1-D passes each pad their own axis; in mode
'constant' with a non-zero ``cval`` that differs from the 2-D ``convolve`` at the border.)

Rows grow downwards, so on screen a positive ``angle`` turns clockwise from the x axis.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_choice, check_real
from ._image import as_image, map_planes
from .boundary import MODES
from .correlate import correlate_along
from .kernels import DIFFERENCE, PREWITT_SMOOTH, SCHARR_SMOOTH, SOBEL_SMOOTH

SMOOTHING = {"sobel": SOBEL_SMOOTH, "prewitt": PREWITT_SMOOTH, "scharr": SCHARR_SMOOTH}


class Gradient(NamedTuple):
    """The gradient of an image, every field the image's shape."""

    gx: np.ndarray  #: change along columns (x, to the right)
    gy: np.ndarray  #: change along rows (y, downwards)
    magnitude: np.ndarray  #: ``hypot(gx, gy)``
    angle: np.ndarray  #: ``arctan2(gy, gx)`` in radians, in [-pi, pi]


def gradient(
    image: np.ndarray, operator: str = "sobel", mode: str = "reflect", cval: float = 0.0
) -> Gradient:
    """The gradient vector G = [Gx, Gy] of an image, with its magnitude and angle.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        Grayscale or channels-last colour image; colour is filtered per channel.
    operator : {'sobel', 'prewitt', 'scharr'}
        The smoothing across the difference: ``[1, 2, 1]``, ``[1, 1, 1]``, ``[3, 10, 3]``.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}
        How the image is extended past its edges.
    cval : float
        Value outside the image in mode 'constant'.

    Returns
    -------
    Gradient
        ``(gx, gy, magnitude, angle)``; float images keep their dtype, others give float64.

    Notes
    -----
    Sobel, as convolution kernels (see the module docstring for the signs)::

        Gx = [[1, 0, -1],        Gy = [[ 1,  2,  1],
              [2, 0, -2],              [ 0,  0,  0],
              [1, 0, -1]]              [-1, -2, -1]]

    Examples
    --------
    >>> ramp = np.tile(np.arange(4.0), (3, 1))  # brighter to the right
    >>> g = gradient(ramp, mode="nearest")
    >>> g.gx
    array([[4., 8., 8., 4.],
           [4., 8., 8., 4.],
           [4., 8., 8., 4.]])
    >>> float(g.gy.max()), float(g.angle.max())
    (0.0, 0.0)
    """
    image = as_image(image)
    smooth = SMOOTHING[check_choice("operator", operator, tuple(SMOOTHING))]
    mode = check_choice("mode", mode, MODES)
    cval = check_real("cval", cval)

    def component(axis: int):
        def filter_plane(plane: np.ndarray) -> np.ndarray:
            difference = DIFFERENCE[::-1].astype(plane.dtype)  # correlation weights [-1, 0, 1]
            changed = correlate_along(plane, difference, axis, mode, cval)
            return correlate_along(changed, smooth.astype(plane.dtype), 1 - axis, mode, cval)

        return map_planes(filter_plane, image)

    gx, gy = component(1), component(0)
    return Gradient(gx, gy, np.hypot(gx, gy), np.arctan2(gy, gx))
