"""Convolution: discrete (1-D, 2-D, N-D arrays) and continuous (the integral, on a grid).

Discrete, with the modes and results of ``scipy.signal``
    convolve, correlate       full / same / valid; method "direct", "fft" or "auto"
    choose_method             which method "auto" picks, from estimated running times
    next_fast_len             the 5-smooth FFT length the FFT method pads to

Continuous
    convolve_continuous       (f * g)(t) = integral of f(tau) g(t - tau) dtau, with an
                              error estimate; returns ContinuousConvolution(values, error)
"""

from .choose import choose_method
from .continuous import ContinuousConvolution, convolve_continuous
from .convolve import convolve, correlate
from .fft import next_fast_len

__all__ = [
    "ContinuousConvolution",
    "choose_method",
    "convolve",
    "convolve_continuous",
    "correlate",
    "next_fast_len",
]
