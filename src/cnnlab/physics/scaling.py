"""Finite-size scaling: Tc of the infinite lattice and the exponent nu from several sizes.

Near a continuous transition the only length that matters is the correlation length
``xi ~ |T - Tc|^(-nu)``; on an ``L x L`` lattice every quantity is a function of
``L / xi``, i.e. of ``x = (T - Tc) L^(1/nu)``. A classifier's crossing ``T*(L)`` sits at a
fixed ``x``, so ``T*(L) = Tc + a L^(-1/nu)`` (:func:`fit_crossings`), and its curves
``P(ordered)`` against ``x`` fall on one curve for the right ``nu``
(:func:`collapse_quality`, :func:`best_collapse`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit

from .._validation import check_array, received

#: The range a free ``nu`` is fitted in; a fit at its edge has not determined ``nu``.
NU_RANGE = (0.25, 4.0)


@dataclass(frozen=True)
class ScalingFit:
    """``T*(L) = tc + a L^(-1/nu)``: the fitted values, their standard errors, the fit's chi^2.

    ``nu_error`` is 0 when ``nu`` was fixed.
    """

    tc: float
    tc_error: float
    a: float
    nu: float
    nu_error: float
    chi2: float
    dof: int

    @property
    def nu_determined(self) -> bool:
        """False when a free ``nu`` ran to the edge of :data:`NU_RANGE` (``T*(L)`` too flat)."""
        return not any(np.isclose(self.nu, edge, rtol=1e-3) for edge in NU_RANGE)

    def __call__(self, sizes) -> np.ndarray:
        return self.tc + self.a * np.asarray(sizes, dtype=np.float64) ** (-1 / self.nu)


def fit_crossings(sizes, crossings, errors=None, nu: float | None = None) -> ScalingFit:
    """Least-squares fit of ``T*(L) = Tc + a L^(-1/nu)``, with ``nu`` fixed or free.

    Parameters
    ----------
    sizes, crossings : 1-D arrays
        Lattice sides ``L`` and the crossing temperatures ``T*(L)``.
    errors : 1-D array, optional
        Standard errors of the crossings (weights ``1/error^2``); equal weights if not given.
    nu : float, optional
        Fix the exponent (e.g. 1, the 2-D Ising value); free when ``None``. A free ``nu``
        needs at least four sizes, a fixed one three.

    Returns
    -------
    ScalingFit
        The errors are the fit's, scaled by ``sqrt(chi^2 / dof)`` when that exceeds 1.

    Examples
    --------
    >>> sizes = np.array([16, 24, 32, 48, 64])
    >>> fit = fit_crossings(sizes, 2.269 + 0.8 / sizes, nu=1.0)
    >>> round(fit.tc, 4), round(fit.a, 3)
    (2.269, 0.8)
    """
    L = check_array("sizes", sizes, ndim=1, allow_complex=False).astype(np.float64)
    t = check_array("crossings", crossings, ndim=1, allow_complex=False).astype(np.float64)
    sigma = None
    if errors is not None:
        sigma = check_array("errors", errors, ndim=1, allow_complex=False).astype(np.float64)
        sigma = np.where(np.isfinite(sigma) & (sigma > 0), sigma, np.nan)
        sigma = np.where(
            np.isnan(sigma), np.nanmedian(sigma) if np.isfinite(sigma).any() else 1.0, sigma
        )
    needed = 3 if nu is not None else 4  # one more size than fitted parameters
    if len(L) != len(t) or len(L) < needed or not np.all(np.isfinite(t)):
        raise ValueError(
            f"`crossings` must be finite, one per size, with at least {needed} sizes for this "
            "fit. " + received(sizes=L.tolist(), crossings=t.tolist())
        )
    slope = float(np.polyfit(1 / L, t, 1)[0])
    if nu is not None:
        inverse = 1 / float(nu)
        values, covariance = curve_fit(
            lambda size, tc, a: tc + a * size ** (-inverse), L, t, p0=(t[-1], slope), sigma=sigma
        )
    else:
        values, covariance = curve_fit(
            lambda size, tc, a, inv: tc + a * size ** (-inv),
            L,
            t,
            p0=(t[-1], slope, 1.0),
            sigma=sigma,
            bounds=([-np.inf, -np.inf, 1 / NU_RANGE[1]], [np.inf, np.inf, 1 / NU_RANGE[0]]),
            maxfev=20000,
        )
    model = values[0] + values[1] * L ** (-(values[2] if nu is None else inverse))
    weights = 1.0 if sigma is None else 1 / sigma**2
    chi2 = float(np.sum(weights * (t - model) ** 2))
    dof = len(L) - len(values)
    # curve_fit scaled the covariance by chi2/dof; where that shrank it, undo the scaling,
    # so the errors are never smaller than the crossings' own errors imply
    scale = 1.0 if sigma is None or dof == 0 else max(1.0, np.sqrt(dof / max(chi2, 1e-300)))
    errors_fit = np.sqrt(np.diag(covariance)) * scale
    if nu is None:
        inverse, inverse_error = values[2], errors_fit[2]
        nu_value, nu_error = 1 / inverse, inverse_error / inverse**2
    else:
        nu_value, nu_error = float(nu), 0.0
    return ScalingFit(
        float(values[0]),
        float(errors_fit[0]),
        float(values[1]),
        float(nu_value),
        float(nu_error),
        chi2,
        dof,
    )


def scaled_temperature(temperatures, size: int, tc: float, nu: float) -> np.ndarray:
    """``x = (T - Tc) L^(1/nu)``, the scaling variable."""
    return (np.asarray(temperatures, dtype=np.float64) - tc) * float(size) ** (1 / nu)


def collapse_quality(temperatures, curves: dict[int, np.ndarray], tc: float, nu: float) -> float:
    """Mean squared distance between the curves ``P_L(x)`` of every pair of sizes.

    Each curve, drawn against ``x = (T - Tc) L^(1/nu)``, is compared with every other
    curve linearly interpolated at its points, where their ``x`` ranges overlap. Smaller
    is a better collapse; ``inf`` when no ranges overlap.

    >>> T = np.linspace(2.0, 2.6, 31)
    >>> curves = {L: 1 / (1 + np.exp((T - 2.27) * L / 2)) for L in (16, 32, 64)}
    >>> collapse_quality(T, curves, 2.27, 1.0) < 1e-4 < collapse_quality(T, curves, 2.27, 2.0)
    True
    """
    t = np.asarray(temperatures, dtype=np.float64)
    scaled = {
        L: (scaled_temperature(t, L, tc, nu), np.asarray(p, float)) for L, p in curves.items()
    }
    total, count = 0.0, 0
    for L, (x, p) in scaled.items():
        for other, (x_other, p_other) in scaled.items():
            if other == L:
                continue
            inside = (x >= x_other[0]) & (x <= x_other[-1])
            if inside.any():
                total += float(np.sum((p[inside] - np.interp(x[inside], x_other, p_other)) ** 2))
                count += int(inside.sum())
    return total / count if count else float("inf")


def best_collapse(temperatures, curves: dict[int, np.ndarray], tc: float, nus=None):
    """The ``nu`` (from a grid, default 0.5 to 2.0) whose collapse is best, and every quality.

    Returns ``(nu, nus, qualities)``.

    >>> T = np.linspace(2.0, 2.6, 31)
    >>> curves = {L: 1 / (1 + np.exp((T - 2.27) * L / 2)) for L in (16, 32, 64)}
    >>> round(best_collapse(T, curves, 2.27)[0], 2)
    1.0
    """
    nus = np.linspace(0.5, 2.0, 151) if nus is None else np.asarray(nus, dtype=np.float64)
    qualities = np.array([collapse_quality(temperatures, curves, tc, nu) for nu in nus])
    return float(nus[int(np.argmin(qualities))]), nus, qualities
