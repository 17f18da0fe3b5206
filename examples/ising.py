"""The phases of the 2-D Ising model, learned by a CNN (Carrasquilla and Melko, 2017).

Samples 32x32 lattices far from the transition, trains a small CNN to tell ordered from
disordered, applies it across the transition and estimates Tc where P(ordered) = 1/2.
Writes the README's picture, docs/ising_phases.png.

Run: python examples/ising.py [--size 32] [--seed 0]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from cnnlab.physics import run_ising_experiment

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=32, help="lattice side L (even)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("cnnlab-ising"))
    args = parser.parse_args()
    result = run_ising_experiment(args.size, args.out, seed=args.seed)
    DOCS.mkdir(exist_ok=True)
    shutil.copyfile(result.plot, DOCS / "ising_phases.png")
    print(f"picture: {DOCS / 'ising_phases.png'}")


if __name__ == "__main__":
    main()
