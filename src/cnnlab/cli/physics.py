"""``cnnlab train ising|spectra|fringes``: the physics experiments, called from ``train``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._validation import check_choice
from ..physics.ising_experiment import run_ising_experiment

#: The dataset names ``cnnlab train`` hands to :func:`run_physics`.
PHYSICS = ("ising",)


def run_physics(name: str, args: argparse.Namespace) -> int:
    """Run the physics experiment ``name`` with the options of ``cnnlab train``.

    Uses ``args.size`` (lattice side, default 32), ``args.seed`` and ``args.out`` (default
    ``cnnlab-<name>``); training runs the protocol's 10 epochs.
    """
    name = check_choice("dataset", name, PHYSICS)
    out = getattr(args, "out", None) or Path(f"cnnlab-{name}")
    if name == "ising":
        run_ising_experiment(
            size=getattr(args, "size", None) or 32,
            out=out,
            seed=getattr(args, "seed", 0),
        )
    return 0
