"""A phase that only a CNN sees: ground states of the Ising lattice gauge theory.

Generates 16x16 ground states (random gauge transformations of the all-up state) and
T = infinity states (random links), trains a periodic CNN and a dense network on the
same states, and measures both. Writes the README's pictures, docs/gauge_accuracy.png
and docs/gauge_filters.png.

Run: python examples/gauge.py [--size 16] [--seed 0]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from cnnlab.physics import run_gauge_experiment

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=16, help="lattice side L (even)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("cnnlab-gauge"))
    args = parser.parse_args()
    result = run_gauge_experiment(args.out, size=args.size, seed=args.seed)
    DOCS.mkdir(exist_ok=True)
    for name, path in result.plots.items():
        shutil.copyfile(path, DOCS / f"gauge_{name}.png")
        print(f"picture: {DOCS / f'gauge_{name}.png'}")


if __name__ == "__main__":
    main()
