"""Finite-size scaling pictures: crossings T*(L) with their fits, and the data collapse."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._figure import new_figure, save_figure


def crossings_plot(crossings, fit_fixed, fit_free, path: str | Path, *, exact_tc: float) -> Path:
    """P(ordered) against T for every size (left); T*(L) against 1/L with both fits (right).

    ``crossings`` maps L to an object with ``temperatures``, ``curve``, ``tc`` and
    ``error`` (:class:`cnnlab.physics.fss.Crossing`); the fits are
    :class:`cnnlab.physics.scaling.ScalingFit`.
    """
    figure = new_figure(11.0, 4.2)
    curves, shifts = figure.subplots(1, 2)
    colours = _colours(len(crossings))
    for colour, (size, c) in zip(colours, crossings.items(), strict=True):
        curves.plot(c.temperatures, c.curve, "o-", markersize=3, color=colour, label=f"L = {size}")
    curves.axhline(0.5, color="grey", linewidth=0.8)
    curves.axvline(exact_tc, color="black", linestyle="--", linewidth=1, label="exact Tc")
    curves.set_xlabel("temperature T / J")
    curves.set_ylabel("P(ordered), mean over networks")
    curves.grid(alpha=0.3)
    curves.legend(fontsize=8)
    curves.set_title("the same networks on every lattice size", fontsize=10)

    sizes = np.array(list(crossings), dtype=np.float64)
    t_star = np.array([c.tc for c in crossings.values()])
    errors = np.array([c.error for c in crossings.values()])
    shifts.errorbar(1 / sizes, t_star, errors, fmt="o", color="black", capsize=3, label="T*(L)")
    line = np.linspace(1e-4, 1.1 / sizes.min(), 100)
    for fit, colour, name in ((fit_fixed, "tab:blue", "nu = 1"), (fit_free, "tab:red", "nu free")):
        label = f"{name}: Tc = {fit.tc:.4f} ± {fit.tc_error:.4f}"
        if fit.nu_error and fit.nu_determined:
            label += f", nu = {fit.nu:.2f} ± {fit.nu_error:.2f}"
        elif fit.nu_error:
            label += ", nu not determined (T* flat)"
        determined = fit.nu_determined or not fit.nu_error
        shifts.plot(line, fit(1 / line), color=colour, label=label,
                    linestyle="-" if determined else ":")  # fmt: skip
        if determined:
            shifts.errorbar([0], [fit.tc], [fit.tc_error], fmt="s", color=colour, capsize=3)
    shifts.axhline(
        exact_tc, color="black", linestyle="--", linewidth=1, label=f"exact Tc = {exact_tc:.5f}"
    )
    shifts.set_xlabel("1 / L")
    shifts.set_ylabel("T*(L): where P(ordered) = 1/2")
    shifts.set_xlim(-0.003, 1.1 / sizes.min())
    # the data, the nu = 1 extrapolation and the exact value set the scale, not a wild fit
    extrapolated = fit_fixed.tc + np.array([-1, 1]) * fit_fixed.tc_error
    span = np.concatenate([t_star - errors, t_star + errors, [exact_tc], extrapolated])
    margin = 0.1 * (span.max() - span.min())
    shifts.set_ylim(span.min() - margin, span.max() + margin)
    shifts.grid(alpha=0.3)
    shifts.legend(fontsize=7)
    shifts.set_title("T*(L) = Tc + a L^(-1/nu), extrapolated to L = infinity", fontsize=10)
    return save_figure(figure, path)


def collapse_plot(crossings, tc: float, nu: float, nus, qualities, path: str | Path) -> Path:
    """P(ordered) against ``(T - Tc) L^(1/nu)`` (left), and the collapse's misfit against nu."""
    figure = new_figure(10.0, 4.0)
    collapse, quality = figure.subplots(1, 2, width_ratios=(1.4, 1))
    for colour, (size, c) in zip(_colours(len(crossings)), crossings.items(), strict=True):
        x = (c.temperatures - tc) * size ** (1 / nu)
        collapse.plot(x, c.curve, "o-", markersize=3, color=colour, label=f"L = {size}")
    collapse.axhline(0.5, color="grey", linewidth=0.8)
    collapse.set_xlabel(f"(T - Tc) L^(1/nu),  Tc = {tc:.4f}, nu = {nu:.2f}")
    collapse.set_ylabel("P(ordered)")
    collapse.grid(alpha=0.3)
    collapse.legend(fontsize=8)
    collapse.set_title("data collapse", fontsize=10)
    quality.semilogy(nus, qualities, color="black")
    quality.axvline(nu, color="tab:red", linestyle=":", label=f"best nu = {nu:.2f}")
    quality.axvline(1.0, color="black", linestyle="--", linewidth=1, label="exact nu = 1")
    quality.set_xlabel("nu")
    quality.set_ylabel("mean squared distance between curves")
    quality.grid(alpha=0.3)
    quality.legend(fontsize=8)
    quality.set_title("collapse quality", fontsize=10)
    return save_figure(figure, path)


def _colours(count: int):
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0.0, 0.85, count))
