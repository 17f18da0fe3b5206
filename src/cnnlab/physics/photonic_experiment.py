"""``run_photonic_experiment``: a CNN reads the TM band gap off the unit cell's picture.

Isolated high-permittivity rods open a TM gap between bands 1 and 2; connected veins of
the same material and fill do not. The CNN sees the picture; the controls see only its
histogram (a fit on ``<eps>`` and ``<1/eps>``, and the same CNN on pixel-shuffled cells).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from .._validation import check_positive_int
from ..nn.module import Module
from ..train import History
from ..viz.photonic import BandDiagram, band_gap_figure
from .photonic import band_structure, k_path
from .photonic_cells import PhotonicCells, gap_midgap_ratio, make_photonic_cells, roll_cells
from .photonic_regression import (
    EdgeScores,
    fit_on_histogram,
    predict_edges,
    score_edges,
    shuffle_pixels,
    square_symmetries,
    train_edge_regressor,
)

#: Cells of the experiment (32x32 pictures, TM bands at 121 plane waves and 16 k-points).
TRAIN_CELLS, TEST_CELLS, SIZE = 4000, 1000, 32
METHODS = ("CNN", "<eps>, <1/eps> fit", "shuffled CNN")


@dataclass(frozen=True)
class PhotonicExperiment:
    """What :func:`run_photonic_experiment` found and wrote.

    ``scores`` maps each of :data:`METHODS` to its :class:`EdgeScores` on the test cells;
    ``invariance`` is the largest fractional change of the CNN's predicted edges when the
    test cells are rolled, turned and mirrored at random; ``seconds`` maps each stage
    (data, training, the shuffled control, total) to its wall time.
    """

    scores: dict[str, EdgeScores]
    invariance: float
    model: Module
    history: History
    seconds: dict[str, float]
    plot: Path

    @property
    def control_ratio(self) -> float:
        """The better control's mean fractional edge error over the CNN's."""
        cnn = np.mean(self.scores["CNN"].fractional)
        return min(np.mean(self.scores[name].fractional) for name in METHODS[1:]) / cnn


def run_photonic_experiment(
    out: str | Path = "cnnlab-photonic",
    *,
    seed: int = 0,
    epochs: int = 12,
    train_cells: int = TRAIN_CELLS,
    test_cells: int = TEST_CELLS,
    size: int = SIZE,
    plane_waves: int = 121,
    k_points: int = 16,
    cache: bool | str | Path = True,
    quiet: bool = False,
    console: Console | None = None,
) -> PhotonicExperiment:
    """Label random unit cells, train the CNN and the controls, score them, draw the result.

    Draws ``train_cells`` and ``test_cells`` cells with :func:`make_photonic_cells`
    (cached), trains :func:`train_edge_regressor` for ``epochs`` on the pictures and again
    on pixel-shuffled pictures, fits the histogram control, and scores all three on the
    test cells. Prints the table, and writes ``photonic.png`` (cells with their true and
    predicted edges, two band diagrams, the error against fill fraction) and
    ``result.json`` into ``out``. A few minutes on two cores.

    Examples
    --------
    >>> import tempfile
    >>> from rich.console import Console
    >>> result = run_photonic_experiment(tempfile.mkdtemp(), epochs=1, train_cells=32,
    ...     test_cells=16, size=16, plane_waves=25, k_points=8, cache=False,
    ...     console=Console(quiet=True))  # doctest: +SKIP
    >>> sorted(result.scores)  # doctest: +SKIP
    ['<eps>, <1/eps> fit', 'CNN', 'shuffled CNN']
    """
    console = console if console is not None else Console()
    train_cells = check_positive_int("train_cells", train_cells)
    test_cells = check_positive_int("test_cells", test_cells)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    options = dict(size=size, plane_waves=plane_waves, k_points=k_points, cache=cache)
    start = time.perf_counter()
    with Progress(console=console, disable=quiet, transient=True) as bar:
        task = bar.add_task("labelling cells (TM bands)", total=train_cells + test_cells)
        train = make_photonic_cells(
            train_cells,
            rng=seed,
            progress=lambda done, _: bar.update(task, completed=done),
            **options,
        )
        test = make_photonic_cells(
            test_cells,
            rng=seed + 1,
            progress=lambda done, _: bar.update(task, completed=train_cells + done),
            **options,
        )
    seconds = {"data": time.perf_counter() - start}
    if not quiet:
        console.print(
            f"{len(train)} training and {len(test)} test cells ({size}x{size}, TM bands at "
            f"{plane_waves} plane waves, {k_points} k-points) in {seconds['data']:.0f} s; "
            f"{train.has_gap.mean():.0%} of the training cells have a gap"
        )
    mark = time.perf_counter()
    model, scale, history = train_edge_regressor(
        train, epochs=epochs, rng=seed, quiet=quiet, console=console
    )
    seconds["training"] = time.perf_counter() - mark
    predicted = predict_edges(model, scale, test.cells)
    moved = _random_symmetries(test.cells, np.random.default_rng(seed + 2))
    invariance = float(np.max(np.abs(predict_edges(model, scale, moved) / predicted - 1)))

    mark = time.perf_counter()
    shuffled_train = PhotonicCells(
        shuffle_pixels(train.cells, seed + 3), train.eps, train.fill, train.bands
    )
    shuffled_model, shuffled_scale, _ = train_edge_regressor(
        shuffled_train, epochs=epochs, rng=seed, quiet=quiet, console=console
    )
    seconds["shuffled control"] = time.perf_counter() - mark
    estimates = {
        "CNN": predicted,
        "<eps>, <1/eps> fit": fit_on_histogram(train)(test.cells),
        "shuffled CNN": predict_edges(
            shuffled_model, shuffled_scale, shuffle_pixels(test.cells, seed + 4)
        ),
    }
    scores = {name: score_edges(test.edges, values) for name, values in estimates.items()}
    seconds["total"] = time.perf_counter() - start
    plot = _picture(test, estimates, out / "photonic.png", plane_waves)
    result = PhotonicExperiment(scores, invariance, model, history, seconds, plot)
    summary = _summary(result, len(train), len(test), size, plane_waves, k_points)
    (out / "result.json").write_text(json.dumps(summary, indent=2))
    if not quiet:
        console.print(_table(result))
        console.print(_verdict(result))
        console.print(f"plot: {plot}")
    return result


def _random_symmetries(cells: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each cell rolled, then turned or mirrored by one of the square's 8 operations."""
    rolled = roll_cells(cells, rng)
    choice = rng.integers(0, 8, len(cells))
    images = square_symmetries(rolled)
    return np.stack([images[c][i] for i, c in enumerate(choice)])


def _picture(test: PhotonicCells, estimates: dict, path: Path, plane_waves: int) -> Path:
    true, cnn = test.edges, estimates["CNN"]
    ratio = gap_midgap_ratio(true)
    order = np.argsort(ratio)
    picks = np.unique(order[np.rint(np.linspace(0, len(order) - 1, 12)).astype(int)])
    captions = [
        f"ε={test.eps[i]:.1f}  f={test.fill[i]:.2f}\ntrue {true[i, 0]:.3f} | {true[i, 1]:.3f}\n"
        f"CNN  {cnn[i, 0]:.3f} | {cnn[i, 1]:.3f}"
        for i in picks
    ]
    path_k = k_path(48, closed=True)
    diagrams = []
    for name, index in (("widest gap", order[-1]), ("no gap", order[len(order) // 8])):
        bands = band_structure(test.cells[index, 0], k=path_k.k, bands=5, plane_waves=plane_waves)
        diagrams.append(
            BandDiagram(
                f"{name}: ε={test.eps[index]:.1f}, fill {test.fill[index]:.2f} (TM)",
                test.cells[index, 0],
                path_k.distance,
                bands,
                path_k.ticks,
                path_k.labels,
                cnn[index],
            )
        )
    errors = {
        name: np.mean(np.abs(values / true - 1), axis=1) for name, values in estimates.items()
    }
    return band_gap_figure(
        test.cells[picks],
        captions,
        diagrams,
        test.fill,
        errors,
        path,
        title="TM band edges (top of band 1 | bottom of band 2, ωa/2πc) read from the unit cell",
    )


def _table(result: PhotonicExperiment) -> Table:
    table = Table(
        title="test cells: mean fractional error and R² of the top of band 1 (top) and the "
        "bottom of band 2 (bottom); gap / no gap called right",
        title_justify="left",
    )
    table.add_column("method", no_wrap=True)
    for column in ("error top", "error bottom", "R² top", "R² bottom", "gap?"):
        table.add_column(column, justify="right", no_wrap=True)
    for name in METHODS:
        score = result.scores[name]
        table.add_row(
            name,
            *(f"{100 * value:.2f}%" for value in score.fractional),
            *(f"{value:.4f}" for value in score.r2),
            f"{100 * score.gap_accuracy:.1f}%",
        )
    return table


def _verdict(result: PhotonicExperiment) -> str:
    cnn = result.scores["CNN"]
    return (
        f"CNN: mean fractional error {100 * cnn.fractional[0]:.2f}% (band 1 top), "
        f"{100 * cnn.fractional[1]:.2f}% (band 2 bottom), gap / no gap right on "
        f"{100 * cnn.gap_accuracy:.1f}% of the cells; {result.control_ratio:.1f}x smaller "
        f"than the better intensity-only control; largest change under the lattice's "
        f"symmetries {result.invariance:.1e}; {result.seconds['total']:.0f} s"
    )


def _summary(result: PhotonicExperiment, train, test, size, plane_waves, k_points) -> dict:
    return {
        "train_cells": train,
        "test_cells": test,
        "size": size,
        "plane_waves": plane_waves,
        "k_points": k_points,
        "epochs": len(result.history),
        "seconds": result.seconds,
        "scores": {name: asdict(score) for name, score in result.scores.items()},
        "control_ratio": result.control_ratio,
        "invariance": result.invariance,
        "final_train_loss": result.history.train_loss[-1],
    }
