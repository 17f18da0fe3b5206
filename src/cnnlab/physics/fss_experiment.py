"""``run_scaling_experiment``: Tc of the infinite lattice and nu from several lattice sizes.

``cnnlab train ising --sizes 16 24 32 48 64``: sample every size across the transition
(Swendsen-Wang cluster updates near Tc, all chains in one array), train several
block-spin CNNs at one size, apply the same networks to every size (the block width
grows with L, the weights do not change), find ``T*(L)`` with a bootstrap error, fit
``T*(L) = Tc + a L^(-1/nu)`` with ``nu = 1`` and with ``nu`` free, and choose ``nu`` by the
quality of the data collapse of P(ordered) against ``(T - Tc) L^(1/nu)``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console

from .._validation import check_positive_int, received
from ..viz.scaling import collapse_plot, crossings_plot
from .exact import TC
from .fss import BLOCKS, Crossing, crossing, resized, train_networks
from .ising import sample_ising
from .ising_experiment import _SweepProgress
from .phases import TRAIN_TEMPERATURES
from .scaling import ScalingFit, best_collapse, fit_crossings
from .storage import save_configurations

#: Test temperatures 2.10, 2.12, ..., 2.50 around the transition.
SCALING_TEMPERATURES = tuple(np.round(np.arange(2.10, 2.5001, 0.02), 2).tolist())
#: The 2-D Ising correlation-length exponent.
NU = 1.0


@dataclass(frozen=True)
class ScalingExperiment:
    """What :func:`run_scaling_experiment` measured: crossings per size, fits, the collapse."""

    crossings: dict[int, Crossing]
    fit_nu1: ScalingFit
    fit_free: ScalingFit
    collapse_nu: float
    seconds: float
    plots: dict[str, Path]


def run_scaling_experiment(
    sizes=(16, 24, 32, 48, 64),
    out: str | Path = "cnnlab-ising-scaling",
    *,
    seed: int = 0,
    networks: int = 10,
    train_size: int | None = None,
    per_temperature: int = 200,
    temperatures=SCALING_TEMPERATURES,
    epochs: int = 8,
    cache: bool | str | Path = True,
    quiet: bool = False,
    console: Console | None = None,
) -> ScalingExperiment:
    """Finite-size scaling of the CNN's crossing, end to end, with progress bars.

    Parameters
    ----------
    sizes : sequence of int
        Lattice sides, each divisible by 4 (the networks pool to 4x4 blocks); at least 3
        (4 for the fit with ``nu`` free).
    out : folder for ``crossings.png``, ``collapse.png``, ``result.json`` and the test
        configurations of each size (``ising-L{L}.npz``).
    networks : int, default 10
        Independently trained networks (own weights and batch order, same configurations).
    train_size : int, optional
        The size the networks train on (200 configurations at each of
        :data:`~cnnlab.physics.phases.TRAIN_TEMPERATURES`); default the middle of ``sizes``.
    per_temperature : int, default 200
        Test configurations per temperature and size (50 chains, 40 equilibration sweeps,
        5 between samples, each sweep one Metropolis sweep and one Swendsen-Wang update).

    Examples
    --------
    >>> import tempfile
    >>> result = run_scaling_experiment((8, 12, 16), tempfile.mkdtemp(), networks=2,
    ...     per_temperature=20, epochs=1, cache=False, quiet=True)  # doctest: +SKIP
    """
    sizes = sorted({check_positive_int("sizes", s) for s in np.atleast_1d(sizes).tolist()})
    if len(sizes) < 3 or any(s % BLOCKS or s < 8 for s in sizes):
        raise ValueError(
            "`sizes` must be at least three lattice sides, each a multiple of 4 and at least 8. "
            + received(sizes=sizes)
        )
    train_size = sizes[len(sizes) // 2] if train_size is None else train_size
    console = console if console is not None else Console(quiet=quiet)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with _SweepProgress(console, quiet) as progress:
        train = sample_ising(
            TRAIN_TEMPERATURES,
            size=train_size,
            per_temperature=200,
            chains=50,
            equilibration=150,
            gap=20,
            rng=seed,
            cache=cache,
            progress=progress.task(f"training lattices L={train_size}"),
        )
        tests = {}
        for size in sizes:
            tests[size] = sample_ising(
                temperatures,
                size=size,
                per_temperature=per_temperature,
                chains=50,
                equilibration=40,
                gap=5,
                cluster_window=0.5,
                cluster="swendsen-wang",
                rng=seed + size,
                cache=cache,
                progress=progress.task(f"test lattices L={size}"),
            )
            save_configurations(
                out / f"ising-L{size}.npz",
                tests[size].spins.astype(np.int8),
                tests[size].temperatures,
                model="ising",
                size=size,
                chains=50,
                equilibration=40,
                gap=5,
                updates="metropolis + swendsen-wang",
                seed=seed + size,
            )
            console.print(
                f"sampled L={size}: {len(tests[size])} lattices, "
                f"{time.perf_counter() - start:.0f} s"
            )
    models = train_networks(train, networks, epochs=epochs, rng=seed)
    console.print(
        f"trained {networks} networks at L={train_size}, {time.perf_counter() - start:.0f} s"
    )
    crossings = {
        size: crossing([resized(m, size) for m in models], tests[size], rng=seed) for size in sizes
    }
    L = np.array(sizes)
    t_star = np.array([crossings[s].tc for s in sizes])
    errors = np.array([crossings[s].error for s in sizes])
    fit_nu1 = fit_crossings(L, t_star, errors, nu=NU)
    fit_free = fit_crossings(L, t_star, errors) if len(sizes) >= 4 else fit_nu1
    curves = {s: crossings[s].curve for s in sizes}
    collapse_nu, nus, qualities = best_collapse(
        crossings[sizes[0]].temperatures, curves, fit_nu1.tc
    )
    seconds = time.perf_counter() - start
    plots = {
        "crossings": crossings_plot(
            crossings, fit_nu1, fit_free, out / "crossings.png", exact_tc=TC
        ),
        "collapse": collapse_plot(
            crossings, fit_nu1.tc, collapse_nu, nus, qualities, out / "collapse.png"
        ),
    }
    result = ScalingExperiment(crossings, fit_nu1, fit_free, collapse_nu, seconds, plots)
    _write_json(result, out / "result.json", train_size, networks)
    _report(result, console)
    return result


def _write_json(result: ScalingExperiment, path: Path, train_size: int, networks: int) -> None:
    fits = {
        name: vars(fit)
        for name, fit in (("nu_fixed", result.fit_nu1), ("nu_free", result.fit_free))
    }
    path.write_text(
        json.dumps(
            {
                "sizes": list(result.crossings),
                "train_size": train_size,
                "networks": networks,
                "t_star": [c.tc for c in result.crossings.values()],
                "t_star_error": [c.error for c in result.crossings.values()],
                "fits": fits,
                "collapse_nu": result.collapse_nu,
                "tc_exact": TC,
                "nu_exact": NU,
                "seconds": result.seconds,
            },
            indent=2,
        )
    )


def _report(result: ScalingExperiment, console: Console) -> None:
    for size, c in result.crossings.items():
        console.print(f"  T*({size:3d}) = {c.tc:.4f} ± {c.error:.4f}")
    for label, fit in (("nu = 1 fixed", result.fit_nu1), ("nu free    ", result.fit_free)):
        if not fit.nu_error:
            nu = "nu = 1 (fixed)"
        elif fit.nu_determined:
            nu = f"nu = {fit.nu:.3f} ± {fit.nu_error:.3f}"
        else:
            nu = f"nu not determined (ran to {fit.nu:g}): T*(L) hardly moves with L"
        console.print(
            f"{label}: Tc = {fit.tc:.4f} ± {fit.tc_error:.4f}  ({100 * (fit.tc - TC) / TC:+.2f}%)"
            f"   {nu}   chi2/dof = {fit.chi2:.2f}/{fit.dof}"
        )
    console.print(f"exact      : Tc = {TC:.4f}  nu = {NU:.3f}")
    console.print(f"data collapse: best nu = {result.collapse_nu:.3f} (exact {NU:.0f})")
    console.print(
        f"{result.seconds:.0f} s; pictures: {result.plots['crossings']}, {result.plots['collapse']}"
    )
