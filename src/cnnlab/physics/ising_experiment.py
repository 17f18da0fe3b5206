"""``run_ising_experiment``: sample, train, estimate Tc, print it beside the exact value, plot."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .._validation import check_even_int
from ..viz.physics import phase_probabilities
from .exact import TC
from .ising import sample_ising
from .phases import TEST_TEMPERATURES, TRAIN_TEMPERATURES, TcEstimate, estimate_tc


@dataclass(frozen=True)
class IsingExperiment:
    """What :func:`run_ising_experiment` found and wrote."""

    estimate: TcEstimate
    size: int
    seconds: float
    plot: Path

    @property
    def relative_error(self) -> float:
        return (self.estimate.tc - TC) / TC


def run_ising_experiment(
    size: int = 32,
    out: str | Path = "cnnlab-ising",
    *,
    seed: int = 0,
    epochs: int = 10,
    cache: bool | str | Path = True,
    quiet: bool = False,
    console: Console | None = None,
) -> IsingExperiment:
    """The Carrasquilla-Melko experiment end to end, with progress bars.

    Samples 200 configurations at each of :data:`TRAIN_TEMPERATURES` (50 chains, 150
    equilibration sweeps, 20 between samples) and 100 at each of :data:`TEST_TEMPERATURES`
    (25 chains, 300 and 40 sweeps; cluster updates near Tc), trains :func:`ising_cnn`,
    prints the estimate beside the exact Tc, and writes ``phases.png`` and
    ``result.json`` into ``out``.

    Examples
    --------
    >>> import tempfile
    >>> from rich.console import Console
    >>> result = run_ising_experiment(4, tempfile.mkdtemp(), epochs=1, cache=False,
    ...                               console=Console(quiet=True))  # doctest: +SKIP
    """
    size = check_even_int("size", size, minimum=4)
    console = console if console is not None else Console()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with _SweepProgress(console, quiet) as progress:
        train = sample_ising(
            TRAIN_TEMPERATURES,
            size=size,
            per_temperature=200,
            chains=50,
            equilibration=150,
            gap=20,
            rng=seed,
            cache=cache,
            progress=progress.task("sampling training lattices"),
        )
        test = sample_ising(
            TEST_TEMPERATURES,
            size=size,
            per_temperature=100,
            chains=25,
            equilibration=300,
            gap=40,
            rng=seed + 1,
            cache=cache,
            progress=progress.task("sampling test lattices"),
        )
    if not quiet:
        console.print(
            f"sampled {len(train)} training and {len(test)} test lattices "
            f"({size}x{size}) in {time.perf_counter() - start:.1f} s"
        )
    estimate = estimate_tc(train, test, epochs=epochs, rng=seed, quiet=quiet, console=console)
    seconds = time.perf_counter() - start
    plot = phase_probabilities(
        estimate.temperatures,
        estimate.probabilities,
        out / "phases.png",
        exact_tc=TC,
        estimate=estimate.tc,
        error=estimate.error,
        title=f"Ising {size}x{size}: CNN's P(ordered) vs T",
    )
    result = IsingExperiment(estimate, size, seconds, plot)
    (out / "result.json").write_text(
        json.dumps(
            {
                "size": size,
                "tc_estimate": estimate.tc,
                "tc_error": estimate.error,
                "tc_exact": TC,
                "relative_error": result.relative_error,
                "seconds": seconds,
                "temperatures": estimate.temperatures.tolist(),
                "p_ordered": estimate.probabilities.tolist(),
            },
            indent=2,
        )
    )
    if not quiet:
        console.print(
            f"Tc estimate {estimate.tc:.4f} ± {estimate.error:.4f}   exact "
            f"{TC:.4f}   ({100 * result.relative_error:+.2f}%)   {seconds:.0f} s"
        )
        console.print(f"plot: {plot}")
    return result


class _SweepProgress:
    """One rich progress bar per sampling run (nothing when quiet or not a terminal)."""

    def __init__(self, console: Console, quiet: bool) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("sweeps, eta"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=quiet or not (console.is_terminal or console.is_jupyter),
        )

    def __enter__(self) -> _SweepProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._progress.stop()

    def task(self, description: str):
        task = self._progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            self._progress.update(task, completed=done, total=total)

        return update
