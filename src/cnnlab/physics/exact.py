"""Exact results for the 2-D Ising model on the square lattice (J = 1, k_B = 1).

Onsager (1944) solved the energy, Yang (1952) the spontaneous magnetisation; both hold
for the infinite lattice, which the tests use as the reference for finite ones.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ellipk

from .._validation import check_array, received

#: The critical temperature ``2 / ln(1 + sqrt 2) = 2.26918...``.
TC = 2.0 / np.log1p(np.sqrt(2.0))


def _temperatures(temperature) -> np.ndarray:
    t = check_array("temperature", temperature, allow_complex=False, finite=True)
    t = t.astype(np.float64)
    if np.any(t <= 0):
        raise ValueError(f"`temperature` must be positive. {received(temperature=temperature)}")
    return t


def onsager_energy(temperature) -> np.ndarray | float:
    """Energy per spin of the infinite lattice at ``temperature`` (Onsager's solution).

    ``u = -coth(2b) [1 + (2/pi) (2 tanh^2(2b) - 1) K(k)]`` with ``b = 1/T``,
    ``k = 2 sinh(2b) / cosh^2(2b)`` and ``K`` the complete elliptic integral of the first
    kind (``scipy.special.ellipk`` takes ``m = k^2``).

    Parameters
    ----------
    temperature : float or array of positive floats

    Returns
    -------
    float or ndarray
        Between -2 (T -> 0) and 0 (T -> infinity); ``-sqrt 2`` at ``TC``.

    Examples
    --------
    >>> round(float(onsager_energy(TC)), 6)
    -1.414214
    >>> onsager_energy([1.0, 3.0]).round(4)
    array([-1.9972, -0.8173])
    """
    t = _temperatures(temperature)
    b = 1.0 / t
    k = 2.0 * np.sinh(2 * b) / np.cosh(2 * b) ** 2
    # K diverges (logarithmically) at k = 1, i.e. exactly at TC, where its factor vanishes
    factor = 2 * np.tanh(2 * b) ** 2 - 1
    elliptic = ellipk(np.minimum(k * k, 1.0))
    with np.errstate(invalid="ignore"):
        term = np.where(np.isfinite(elliptic), factor * elliptic, 0.0)
    energy = -(1 + 2 / np.pi * term) / np.tanh(2 * b)
    return float(energy) if energy.ndim == 0 else energy


def yang_magnetization(temperature) -> np.ndarray | float:
    """Spontaneous magnetisation per spin, ``(1 - sinh(2/T)^-4)^(1/8)`` below TC, else 0.

    Examples
    --------
    >>> round(float(yang_magnetization(1.8)), 4)
    0.9569
    >>> yang_magnetization([2.0, 3.0]).round(4)
    array([0.9113, 0.    ])
    """
    t = _temperatures(temperature)
    inside = 1.0 - np.sinh(2.0 / t) ** -4.0
    m = np.where(t < TC, np.clip(inside, 0.0, None) ** 0.125, 0.0)
    return float(m) if m.ndim == 0 else m
