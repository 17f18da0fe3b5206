"""Photonic crystals: a CNN reads the TM band gap off the unit cell's picture.

Labels 4000 training and 1000 test cells (32x32, air and an inclusion of permittivity
4-16, fill 0.1-0.6, square-symmetric shapes) with the plane-wave solver, trains the CNN
for 12 epochs, and compares it with two intensity-only controls (a fit on <eps> and
<1/eps>, and the same CNN on pixel-shuffled cells). Prints the scores, and saves the
picture as docs/photonic.png. A few minutes on two cores (the labels are cached). Run
from anywhere:

    python examples/photonic.py
"""

import shutil
import tempfile
from pathlib import Path

from cnnlab.physics.photonic import band_edges, band_structure
from cnnlab.physics.photonic_experiment import run_photonic_experiment

DOCS = Path(__file__).resolve().parents[1] / "docs"


def main() -> None:
    # the solver alone: Joannopoulos' square lattice of alumina rods (eps 8.9, r = 0.2a)
    top, bottom = band_edges(band_structure(rod=(8.9, 0.2), bands=2))
    print(f"alumina rods, TM: gap from {top:.4f} to {bottom:.4f} (omega a / 2 pi c)")
    with tempfile.TemporaryDirectory() as out:
        result = run_photonic_experiment(out, seed=0)
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(result.plot, DOCS / "photonic.png")
    print(f"picture: {DOCS / 'photonic.png'}")


if __name__ == "__main__":
    main()
