"""``run_fringes_experiment``: CNN against Fourier estimate of the fringe spacing, by visibility."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from .._validation import check_positive_int
from ..nn.module import Module
from ..train import History
from ..viz.fringes import spacing_errors
from .fringes import make_fringes
from .fringes_fourier import fourier_spacing
from .fringes_regression import (
    LOW_VISIBILITY,
    VISIBILITY_EDGES,
    ErrorRow,
    errors_by_visibility,
    predict_spacing,
    train_spacing_regressor,
)

#: Images of the experiment: 64x64, half straight and half circular fringes.
TRAIN_IMAGES, TEST_IMAGES, SIZE = 4000, 1500, 64
METHODS = ("CNN", "Fourier")


@dataclass(frozen=True)
class FringesExperiment:
    """What :func:`run_fringes_experiment` found and wrote.

    ``by_visibility`` maps each method to its :class:`ErrorRow` per bin of
    :data:`VISIBILITY_EDGES`; ``faint`` and ``overall`` to its row over the test images with
    ``V < LOW_VISIBILITY`` and over all of them.
    """

    by_visibility: dict[str, list[ErrorRow]]
    faint: dict[str, ErrorRow]
    overall: dict[str, ErrorRow]
    model: Module
    history: History
    seconds: float
    plot: Path

    @property
    def faint_ratio(self) -> float:
        """Fourier's RMS error over the CNN's on faint fringes (above 1: the CNN wins)."""
        return self.faint["Fourier"].rms / self.faint["CNN"].rms


def run_fringes_experiment(
    out: str | Path = "cnnlab-fringes",
    *,
    seed: int = 0,
    epochs: int = 8,
    train_images: int = TRAIN_IMAGES,
    test_images: int = TEST_IMAGES,
    quiet: bool = False,
    console: Console | None = None,
) -> FringesExperiment:
    """Train the fringe-spacing regressor and compare it with the Fourier estimate.

    Draws ``train_images`` and ``test_images`` 64x64 images with :func:`make_fringes`
    (defaults: half straight, half circular; spacing 4-16 pixels; visibility 0.02-1; photon
    and read noise), trains :func:`~cnnlab.models.fringes_net.fringes_cnn` for ``epochs``
    with MSE on the scaled log spacing, then scores it and :func:`fourier_spacing` (told
    each image's geometry) on the same test images, by visibility. Prints the table and
    writes ``fringes.png`` (examples, and errors against visibility) and ``result.json``
    into ``out``. About a minute on two cores.

    Examples
    --------
    >>> import tempfile
    >>> from rich.console import Console
    >>> out = tempfile.mkdtemp()
    >>> result = run_fringes_experiment(out, epochs=1, train_images=32, test_images=20,
    ...                                 console=Console(quiet=True))  # doctest: +SKIP
    >>> sorted(result.faint), result.plot.name  # doctest: +SKIP
    (['CNN', 'Fourier'], 'fringes.png')
    """
    console = console if console is not None else Console()
    train_images = check_positive_int("train_images", train_images)
    test_images = check_positive_int("test_images", test_images)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    train = make_fringes(train_images, size=SIZE, rng=seed)
    test = make_fringes(test_images, size=SIZE, rng=seed + 1)
    if not quiet:
        console.print(
            f"drew {len(train)} training and {len(test)} test images ({SIZE}x{SIZE}) in "
            f"{time.perf_counter() - start:.1f} s"
        )
    model, history = train_spacing_regressor(
        train, epochs=epochs, rng=seed, quiet=quiet, console=console
    )
    estimates = {
        "CNN": predict_spacing(model, test),
        "Fourier": fourier_spacing(test.images, test.kind, spacing=test.spacing_range),
    }
    scored = {name: (test.spacing, values, test.visibility) for name, values in estimates.items()}
    by_visibility = {name: errors_by_visibility(*args) for name, args in scored.items()}
    faint_edges = (VISIBILITY_EDGES[0], LOW_VISIBILITY)
    faint = {name: errors_by_visibility(*a, edges=faint_edges)[0] for name, a in scored.items()}
    overall = {name: errors_by_visibility(*a, edges=(0.0, 1.0))[0] for name, a in scored.items()}
    seconds = time.perf_counter() - start

    examples = _examples(test.visibility, 10)
    captions = [
        f"{test.kind[i]}, V = {test.visibility[i]:.3f}\ntrue {test.spacing[i]:.2f}   "
        f"CNN {estimates['CNN'][i]:.2f}   FT {estimates['Fourier'][i]:.2f}"
        for i in examples
    ]
    plot = spacing_errors(
        test.images[examples],
        captions,
        test.visibility,
        {name: values / test.spacing - 1 for name, values in estimates.items()},
        out / "fringes.png",
        edges=VISIBILITY_EDGES,
        faint=LOW_VISIBILITY,
        title="Fringe spacing (pixels): CNN regression vs Fourier peak, on the same test images",
    )
    result = FringesExperiment(by_visibility, faint, overall, model, history, seconds, plot)
    (out / "result.json").write_text(json.dumps(_summary(result, len(train), len(test)), indent=2))
    if not quiet:
        console.print(_table(result))
        console.print(_verdict(result) + f"   {seconds:.0f} s")
        console.print(f"plot: {plot}")
    return result


def _examples(visibility: np.ndarray, count: int) -> np.ndarray:
    """Indices of ``count`` images spread evenly over the visibilities, faintest first."""
    order = np.argsort(visibility)
    picks = np.linspace(0, len(order) - 1, min(count, len(order)))
    return order[np.unique(np.rint(picks).astype(int))]


def _table(result: FringesExperiment) -> Table:
    """RMS and median relative error of both methods per visibility bin, faint, and all."""
    table = Table(title="relative spacing error on the same test images", title_justify="left")
    table.add_column("visibility", no_wrap=True)
    table.add_column("images", justify="right")
    for metric in ("RMS", "median"):
        for name in METHODS:
            table.add_column(f"{metric} {name}", justify="right")
    rows = [*zip(*(result.by_visibility[name] for name in METHODS), strict=True)]
    labels = [f"{row[0].low:g}-{row[0].high:g}" for row in rows]
    rows += [tuple(result.faint[name] for name in METHODS)]
    rows += [tuple(result.overall[name] for name in METHODS)]
    labels += [f"faint <{LOW_VISIBILITY:g}", "all"]
    for label, row in zip(labels, rows, strict=True):
        cells = [f"{100 * error.rms:.1f}%" for error in row]
        cells += [f"{100 * error.median:.2f}%" for error in row]
        table.add_row(label, str(row[0].count), *cells)
    return table


def _verdict(result: FringesExperiment) -> str:
    cnn, fourier = result.faint["CNN"], result.faint["Fourier"]
    head = (
        f"faint fringes (V < {LOW_VISIBILITY:g}): RMS error CNN {100 * cnn.rms:.1f}%, "
        f"Fourier {100 * fourier.rms:.1f}%"
    )
    if cnn.rms < fourier.rms:
        head += f": the CNN's is {fourier.rms / cnn.rms:.1f}x smaller"
    else:
        head += f": the CNN misses by {100 * (cnn.rms - fourier.rms):.1f} points"
    return (
        f"{head}; median error CNN {100 * cnn.median:.1f}%, Fourier "
        f"{100 * fourier.median:.1f}% (off by over 10%: CNN {100 * cnn.misses:.0f}% of the "
        f"images, Fourier {100 * fourier.misses:.0f}%)"
    )


def _summary(result: FringesExperiment, train: int, test: int) -> dict:
    return {
        "train_images": train,
        "test_images": test,
        "size": SIZE,
        "epochs": len(result.history),
        "seconds": result.seconds,
        "low_visibility": LOW_VISIBILITY,
        "faint_rms_ratio_fourier_over_cnn": result.faint_ratio,
        "faint": {name: asdict(row) for name, row in result.faint.items()},
        "overall": {name: asdict(row) for name, row in result.overall.items()},
        "by_visibility": {
            name: [asdict(row) for row in rows] for name, rows in result.by_visibility.items()
        },
        "final_train_loss": result.history.train_loss[-1],
    }
