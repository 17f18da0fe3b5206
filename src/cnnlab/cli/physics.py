"""``cnnlab train ising|spectra|fringes|gauge|photonic``: the physics experiments of ``train``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._validation import check_choice

#: The dataset names ``cnnlab train`` hands to :func:`run_physics`.
PHYSICS = ("ising", "spectra", "fringes", "gauge", "photonic")


def run_physics(name: str, args: argparse.Namespace) -> int:
    """Run the physics experiment ``name`` with the options of ``cnnlab train``.

    Uses ``args.seed`` and ``args.out`` (default ``cnnlab-<name>``); ``args.size`` (the
    lattice side, default 32; 16 for gauge) for ising and gauge, ``args.sizes`` (several
    sides: finite-size scaling) for ising, ``args.task`` (shape or count) for spectra.
    Each experiment trains for its own protocol's epochs.
    """
    from ..physics.fringes_experiment import run_fringes_experiment
    from ..physics.fss_experiment import run_scaling_experiment
    from ..physics.gauge_experiment import run_gauge_experiment
    from ..physics.ising_experiment import run_ising_experiment
    from ..physics.photonic_experiment import run_photonic_experiment
    from ..physics.spectra import TASKS
    from ..physics.spectra_experiment import run_spectra_experiment

    name = check_choice("dataset", name, PHYSICS)
    out = getattr(args, "out", None) or Path(f"cnnlab-{name}")
    seed = getattr(args, "seed", 0)
    if name == "ising" and getattr(args, "sizes", None):
        run_scaling_experiment(args.sizes, out=out, seed=seed)
    elif name == "gauge":
        run_gauge_experiment(out, size=getattr(args, "size", None) or 16, seed=seed)
    elif name == "ising":
        run_ising_experiment(size=getattr(args, "size", None) or 32, out=out, seed=seed)
    elif name == "spectra":
        task = check_choice("task", getattr(args, "task", None) or "shape", TASKS)
        run_spectra_experiment(out, task=task, seed=seed)
    elif name == "fringes":
        run_fringes_experiment(out, seed=seed)
    else:
        run_photonic_experiment(out, seed=seed)
    return 0
