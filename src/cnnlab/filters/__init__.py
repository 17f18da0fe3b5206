"""Image filtering: the classic kernels, correlation and convolution, the median filter.

Images are grayscale ``(H, W)`` or channels-last colour ``(H, W, C)`` (filtered per
channel); every filter extends the image past its edges by one of the ``MODES`` of
``scipy.ndimage`` and agrees with the matching ``scipy.ndimage`` function.

Contents
--------
boundary     MODES, pad: how an image is extended past its edges
correlate    correlate, convolve: any 2-D kernel (direct, separable or FFT, chosen per call)
kernels      KERNELS, kernel(name, ...) and the named constants SOBEL_X, PREWITT_Y, ...
smoothing    mean, gaussian: low-pass filters as two 1-D passes
median       median: the nonlinear filter that removes salt-and-pepper noise
gradient     gradient -> Gradient(gx, gy, magnitude, angle), with Sobel, Prewitt or Scharr
by_name      apply(image, name, ...): any of the above by name; FILTERS lists the names
cost         filter_cost(name, image_shape, ...) -> Cost(nbytes, seconds), before running
"""

from .boundary import MODES, pad
from .by_name import FILTERS, GRADIENT_OPERATORS, apply, is_signed
from .correlate import convolve, correlate
from .cost import Cost, filter_cost
from .gradient import Gradient, gradient
from .kernels import (
    EMBOSS,
    IDENTITY,
    KERNELS,
    LAPLACIAN,
    PREWITT_X,
    PREWITT_Y,
    SCHARR_X,
    SCHARR_Y,
    SHARPEN,
    SOBEL_X,
    SOBEL_Y,
    kernel,
)
from .median import median
from .smoothing import gaussian, mean

__all__ = [
    "EMBOSS",
    "FILTERS",
    "GRADIENT_OPERATORS",
    "IDENTITY",
    "KERNELS",
    "LAPLACIAN",
    "MODES",
    "PREWITT_X",
    "PREWITT_Y",
    "SCHARR_X",
    "SCHARR_Y",
    "SHARPEN",
    "SOBEL_X",
    "SOBEL_Y",
    "Cost",
    "Gradient",
    "apply",
    "convolve",
    "correlate",
    "filter_cost",
    "gaussian",
    "gradient",
    "is_signed",
    "kernel",
    "mean",
    "median",
    "pad",
]
