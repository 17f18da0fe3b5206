"""``cnnlab demo``: the whole tour, then the report."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from .._validation import check_non_negative_int, check_positive_int, received
from .filters import filter_tour
from .inside import inside_tour
from .report import write_report
from .training import split, training_tour

MIN_COUNT = 96  # training pictures; a sixth as many more are made for the test part


def run_demo(
    out_dir: str | Path = "cnnlab-demo",
    epochs: int = 6,
    count: int = 6000,
    seed: int = 0,
    console: Console | None = None,
) -> dict[str, Path]:
    """Run the offline tour and write its pictures and ``report.md`` into ``out_dir``.

    Returns every file written, by name.

    Examples
    --------
    >>> import tempfile, io
    >>> files = run_demo(tempfile.mkdtemp(), epochs=1, count=120,
    ...                  console=Console(file=io.StringIO()))
    >>> files["report"].name, files["weights"].name
    ('report.md', 'model.safetensors')
    """
    epochs, count = check_positive_int("epochs", epochs), check_positive_int("count", count)
    if count < MIN_COUNT:
        raise ValueError(
            f"`count` must be at least {MIN_COUNT}: the tour shows 16 test pictures, a sixth "
            f"of them. {received(count=count)}"
        )
    seed = check_non_negative_int("seed", seed)  # checked before anything is written
    console = console or Console()
    out = Path(out_dir)
    start = time.perf_counter()
    console.rule("1. Classic filters on the built-in picture")
    files, rows = filter_tour(out, seed=seed, console=console)
    console.rule("2. LeNet-5 learns the built-in shapes")
    train, test = split(count, seed)
    training = training_tour(out, epochs=epochs, seed=seed, console=console, data=(train, test))
    files.update(training.files)
    console.rule("3. Inside the network")
    inside_files, section = inside_tour(out, training, test.images[0], console=console)
    files.update(inside_files)
    seconds = time.perf_counter() - start
    files["report"] = write_report(out, rows, training, seconds, extra_sections=section)
    console.print(f"Report: {files['report']}")
    return files
