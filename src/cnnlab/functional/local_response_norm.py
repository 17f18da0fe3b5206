"""Local response normalisation across channels (Krizhevsky et al., 2012, AlexNet).

Each value is divided by a power of the energy of its neighbours along the channel axis::

    y[n, c] = x[n, c] / (k + alpha / size * sum_{j in window(c)} x[n, j]**2) ** beta

with ``window(c) = [c - size // 2, c + (size - 1) // 2]`` cut to the channels there are
(missing neighbours count as zeros, and ``size`` still divides). This is PyTorch's
convention; AlexNet's paper writes ``alpha`` without the division by ``size``, so its
``alpha = 1e-4, size = 5`` is ``alpha = 5e-4`` here.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_float_array, received


def _window_sum(a: np.ndarray, before: int, after: int) -> np.ndarray:
    """``sum_{d = -before}^{after} a[:, c + d]`` for every channel ``c``, zeros outside."""
    channels = a.shape[1]
    widths = [(0, 0)] * a.ndim
    widths[1] = (before, after)
    padded = np.pad(a, widths)
    total = np.zeros_like(a)
    for offset in range(before + after + 1):
        total += padded[:, offset : offset + channels]
    return total


def _denominator(x: np.ndarray, size: int, alpha: float, k: float) -> np.ndarray:
    """``k + alpha / size * (window sum of x**2)``, the base of the power."""
    return k + alpha / size * _window_sum(x * x, size // 2, (size - 1) // 2)


def local_response_norm(
    x: np.ndarray, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0
) -> np.ndarray:
    """Normalise ``x`` of shape ``(N, C, *)`` across channels; see the module's equation.

    >>> x = np.ones((1, 3, 1, 1))
    >>> local_response_norm(x, size=3, alpha=3.0, beta=1.0, k=0.0).ravel()
    array([0.5       , 0.33333333, 0.5       ])
    """
    x = check_float_array("input", x)
    if x.ndim < 3:
        raise ValueError(f"`input` must have at least 3 dimensions (N, C, *). {received(input=x)}")
    return x * _denominator(x, size, alpha, k) ** -beta


def local_response_norm_backward(
    grad_out: np.ndarray,
    x: np.ndarray,
    size: int,
    alpha: float = 1e-4,
    beta: float = 0.75,
    k: float = 1.0,
) -> np.ndarray:
    """Gradient of :func:`local_response_norm` with respect to ``x``.

    With ``d`` the denominator and ``y`` the output, value ``x[j]`` reaches ``y[c]``
    directly (``c = j``) and through ``d[c]`` for every ``c`` whose window holds ``j``::

        dx[j] = g[j] * d[j]**-beta
                - 2 * alpha * beta / size * x[j] * sum_{c : j in window(c)} g[c] * y[c] / d[c]

    The channels ``c`` whose window holds ``j`` are ``[j - (size - 1) // 2, j + size // 2]``.
    """
    d = _denominator(x, size, alpha, k)
    scale = d**-beta
    through_d = _window_sum(grad_out * x * scale / d, (size - 1) // 2, size // 2)
    return grad_out * scale - (2 * alpha * beta / size) * x * through_d
