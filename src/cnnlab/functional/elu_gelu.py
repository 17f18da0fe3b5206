"""Smooth activations: ELU and GELU, each forward beside its backward.

ELU (Clevert et al., 2016) is ``x`` for ``x > 0`` and ``alpha (exp(x) - 1)`` below, so
its mean output is nearer zero than ReLU's. GELU (Hendrycks and Gimpel, 2016) weighs
``x`` by the probability that a standard normal variable lies below it::

    gelu(x) = x Phi(x) = x / 2 (1 + erf(x / sqrt(2)))              approximate="none"
    gelu(x) ~ x / 2 (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))      approximate="tanh"
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_float_array

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
TANH_CUBIC = 0.044715


def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    >>> elu(np.array([-1.0, 0.0, 2.0])).round(4)
    array([-0.6321,  0.    ,  2.    ])
    """
    x = check_float_array("input", x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


def elu_backward(grad_out: np.ndarray, x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """``grad`` where ``x > 0``, else ``grad * alpha * exp(x)``."""
    slope = np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))
    return (grad_out * slope).astype(x.dtype, copy=False)


def gelu(x: np.ndarray, approximate: str = "none") -> np.ndarray:
    """``x Phi(x)``, exactly (``"none"``) or with the tanh approximation (``"tanh"``).

    >>> gelu(np.array([-1.0, 0.0, 1.0])).round(4)
    array([-0.1587,  0.    ,  0.8413])
    >>> gelu(np.array([1.0]), approximate="tanh").round(4)
    array([0.8412])
    """
    x = check_float_array("input", x)
    if approximate == "tanh":
        y = 0.5 * x * (1 + np.tanh(SQRT_2_OVER_PI * (x + TANH_CUBIC * x**3)))
    else:
        y = x * _normal_cdf(x)
    return y.astype(x.dtype, copy=False)


def gelu_backward(grad_out: np.ndarray, x: np.ndarray, approximate: str = "none") -> np.ndarray:
    """``grad * (Phi(x) + x phi(x))``, or the derivative of the tanh form.

    With ``t = tanh(u)``, ``u = sqrt(2/pi) (x + 0.044715 x^3)``, the tanh form's
    derivative is ``(1 + t) / 2 + x / 2 (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)``.
    """
    if approximate == "tanh":
        t = np.tanh(SQRT_2_OVER_PI * (x + TANH_CUBIC * x**3))
        du = SQRT_2_OVER_PI * (1 + 3 * TANH_CUBIC * x**2)
        slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
    else:
        cdf = _normal_cdf(x)
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        slope = cdf + x * pdf
    return (grad_out * slope).astype(x.dtype, copy=False)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """``Phi(x) = (1 + erf(x / sqrt(2))) / 2``."""
    from scipy.special import erf  # imported here: `import cnnlab.nn` stays quick

    return 0.5 * (1 + erf(x / math.sqrt(2.0)))
