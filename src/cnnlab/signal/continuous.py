"""The convolution integral ``(f * g)(t) = ∫ f(τ) g(t − τ) dτ`` of two functions, on a grid.

The integral over ``τ`` is taken with the trapezoid rule on ``n`` equally spaced points,
and compared with the rule on every other point (step ``2h``) for the error estimate. The
trapezoid rule suits convolution: for smooth integrands that decay at both ends
(Gaussians) it converges faster than any power of ``h``, better than Simpson's rule, and
at a jump (boxes, steps) both are only first order. The difference ``|T(h) - T(2h)|``
bounds the error of ``T(h)`` for a smooth integrand (about three times over) and for one
jump or one kink (in the worst case exactly); ``trapezoid_with_error`` keeps it a bound
when there are several.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .._validation import (
    check_array,
    check_callable,
    check_interval,
    check_odd_int,
    check_vectorised_call,
    received,
)

ELEMENTS_PER_CHUNK = 2**21  # values of g computed at once: 16 MiB of float64


class ContinuousConvolution(NamedTuple):
    """Values of ``(f * g)(t)`` and an estimate of their absolute error, of ``t``'s shape."""

    values: np.ndarray
    error: np.ndarray


def convolve_continuous(
    f: Callable[[np.ndarray], np.ndarray],
    g: Callable[[np.ndarray], np.ndarray],
    t,
    *,
    tau: tuple[float, float] | None = None,
    n: int = 4097,
) -> ContinuousConvolution:
    """The convolution integral ``(f * g)(t) = ∫ f(τ) g(t − τ) dτ`` at the points ``t``.

    Parameters
    ----------
    f, g : callable
        Functions of one real variable, vectorised: called with a NumPy array, they
        return an array of the same shape (write them with ``np.exp``, not ``math.exp``).
    t : array_like
        Where to evaluate the convolution: real numbers, any shape, any spacing.
    tau : (float, float), optional
        The interval ``(lo, hi)`` of ``τ`` to integrate over; it must contain the part of
        the line where ``f`` is not negligible. By default it is found by sampling ``f``
        on ``[-R, R]`` for ``R = 1, 2, 4, ...`` until ``|f|`` falls below machine
        epsilon times its peak inside that range.
    n : int
        The number of points of the ``τ`` grid, odd so that every other point makes the
        coarse grid of the error estimate. The work is ``n * t.size`` calls of ``g``.
        Features of the integrand narrower than the step are invisible to both the rule
        and the estimate.

    Returns
    -------
    ContinuousConvolution
        ``values``, the trapezoid rule at step ``h = (hi - lo) / (n - 1)``, and
        ``error``, an estimate of their absolute error from the comparison with step
        ``2h`` (see `trapezoid_with_error`), both of the shape of ``t``. The estimate
        covers the discretisation and rounding, not the integral outside ``tau``.

    Examples
    --------
    Two standard Gaussians convolve to a Gaussian of variance 2:

    >>> gauss = lambda x: np.exp(-x**2 / 2) / np.sqrt(2 * np.pi)
    >>> result = convolve_continuous(gauss, gauss, [0.0, 1.0])
    >>> result.values
    array([0.28209479, 0.21969564])
    >>> np.exp(-np.array([0.0, 1.0])**2 / 4) / np.sqrt(4 * np.pi)
    array([0.28209479, 0.21969564])
    >>> bool(np.all(result.error < 1e-8))
    True

    Two unit boxes give a triangle; at the jumps the rule is only first order, and the
    error estimate says so:

    >>> box = lambda x: np.where(np.abs(x) <= 0.5, 1.0, 0.0)
    >>> result = convolve_continuous(box, box, [0.0, 0.5, 1.5], n=1001)
    >>> result.values.round(3), bool(np.all(result.error < 5e-3))
    (array([1. , 0.5, 0. ]), True)
    """
    f = check_callable("f", f)
    g = check_callable("g", g)
    t = check_array("t", t, finite=True, allow_complex=False).astype(np.float64)
    n = check_odd_int("n", n, minimum=3)
    lo, hi = find_support(f) if tau is None else check_interval("tau", tau)
    grid = np.linspace(lo, hi, n)
    f_values = check_vectorised_call("f", f, grid)
    points = t.reshape(-1)
    rows = max(1, ELEMENTS_PER_CHUNK // n)
    values, error = [], []
    for first in range(0, points.size, rows):
        chunk = points[first : first + rows]
        integrand = f_values * check_vectorised_call("g", g, chunk[:, None] - grid)
        chunk_values, chunk_error = trapezoid_with_error(integrand, (hi - lo) / (n - 1))
        values.append(chunk_values)
        error.append(chunk_error)
    if not values:
        return ContinuousConvolution(np.zeros(t.shape), np.zeros(t.shape))
    return ContinuousConvolution(
        np.concatenate(values).reshape(t.shape), np.concatenate(error).reshape(t.shape)
    )


def trapezoid_with_error(y: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """The trapezoid rule along the last axis of ``y``, samples ``h`` apart, and its error.

    The number of samples is odd, so every other one makes a coarse grid. On each cell of
    the coarse grid (three samples), the fine rule minus the coarse one is
    ``d = h/2 (2 y1 - y0 - y2)``. Their sum is the global difference ``T(h) - T(2h)``,
    sharp for smooth integrands; a cell whose ``d`` stands out from the average of its
    neighbours holds a jump or a kink, and those excesses are added in absolute value, so
    that the errors of several jumps cannot cancel in the estimate. A bound on the
    rounding error of the sums is added last.

    >>> x = np.linspace(0.0, 1.0, 5)
    >>> value, error = trapezoid_with_error(x**2, 0.25)
    >>> float(value), bool(abs(value - 1 / 3) <= error)
    (0.34375, True)
    """
    middle = y[..., 1:-1].sum(axis=-1)
    values = h * (middle + (y[..., 0] + y[..., -1]) / 2)
    cells = h / 2 * (2 * y[..., 1::2] - y[..., 0:-1:2] - y[..., 2::2])  # (..., (n - 1) / 2)
    if cells.shape[-1] > 1:
        padded = np.concatenate([cells[..., 1:2], cells, cells[..., -2:-1]], axis=-1)
        neighbours = (padded[..., :-2] + padded[..., 2:]) / 2
        roughness = np.abs(cells - neighbours).sum(axis=-1)
    else:
        roughness = np.zeros(values.shape)
    rounding = y.shape[-1] * np.finfo(np.float64).eps * h * np.abs(y).sum(axis=-1)
    return values, np.abs(cells.sum(axis=-1)) + roughness + rounding


def find_support(
    f: Callable[[np.ndarray], np.ndarray], *, points: int = 4097, max_radius: float = 2.0**20
) -> tuple[float, float]:
    """An interval outside which ``|f|`` is below machine epsilon times its peak.

    ``f`` is sampled on ``points`` points of ``[-R, R]`` for ``R = 1, 2, 4, ...`` up to
    ``max_radius``; a feature narrower than the sampling step can be missed.

    >>> lo, hi = find_support(lambda x: np.exp(-np.abs(x)))
    >>> round(lo, 1), round(hi, 1)
    (-36.1, 36.1)
    """
    radius = 1.0
    while radius <= max_radius:
        x = np.linspace(-radius, radius, points)
        size = np.abs(check_vectorised_call("f", f, x))
        peak = np.max(size)
        if np.isfinite(peak) and peak > 0:
            inside = np.flatnonzero(size > np.finfo(np.float64).eps * peak)
            if inside[0] > 0 and inside[-1] < points - 1:
                step = x[1] - x[0]
                return float(x[inside[0]] - step), float(x[inside[-1]] + step)
        radius *= 2
    raise ValueError(
        f"Could not find where `f` becomes negligible within [-{max_radius:.0f}, {max_radius:.0f}] "
        f"(it may decay too slowly, be too narrow to sample, or be infinite); pass the "
        f"integration interval as tau=(lo, hi). {received(f=f)}"
    )
