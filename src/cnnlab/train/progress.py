"""What ``fit`` shows while it works: a rich progress bar per epoch and a line per epoch."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from .history import History


def format_metrics(loss: float | None, accuracy: float | None) -> str:
    """``"loss 0.4321 acc 87.5%"``; a part that was not measured is left out.

    >>> format_metrics(0.43214, 0.875), format_metrics(0.5, None)
    ('loss 0.4321 acc 87.5%', 'loss 0.5000')
    """
    parts = [] if loss is None else [f"loss {loss:.4f}"]
    if accuracy is not None:
        parts.append(f"acc {100 * accuracy:.1f}%")
    return " ".join(parts)


def epoch_summary(history: History, epoch: int, epochs: int) -> str:
    """One line for epoch ``epoch`` (from 1) of ``epochs``.

    >>> history = History()
    >>> history.append(train_loss=0.69, train_accuracy=0.5, val_loss=0.6, val_accuracy=0.75,
    ...                lr=0.01, seconds=1.25)
    >>> epoch_summary(history, 1, 10)
    'epoch  1/10  train loss 0.6900 acc 50.0%  val loss 0.6000 acc 75.0%  lr 0.01  1.2 s'
    """
    i = epoch - 1
    width = len(str(epochs))
    parts = [
        f"epoch {epoch:>{width}}/{epochs}",
        "train " + format_metrics(history.train_loss[i], history.train_accuracy[i]),
    ]
    if history.val_loss[i] is not None or history.val_accuracy[i] is not None:
        parts.append("val " + format_metrics(history.val_loss[i], history.val_accuracy[i]))
    parts += [f"lr {history.lr[i]:.3g}", f"{history.seconds[i]:.1f} s"]
    return "  ".join(parts)


class TrainingProgress:
    """A progress bar for the batches of each epoch, and lines printed above it.

    With ``quiet=True`` every method does nothing and nothing is printed. Use it as a
    context manager around the whole run; the bar disappears when an epoch ends and the
    epoch's summary line stays. A console that is not a terminal (a file, a pipe) gets
    the lines without the bar.
    """

    def __init__(self, console: Console | None = None, quiet: bool = False) -> None:
        self.quiet = quiet
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if not quiet:
            console = console if console is not None else Console()
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[metrics]}"),
                console=console,
                transient=True,
                # a log file gets the summary lines only, not frames of a bar
                disable=not (console.is_terminal or console.is_jupyter),
            )

    def __enter__(self) -> TrainingProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._progress is not None:
            self._progress.stop()

    def start_epoch(self, epoch: int, epochs: int, batches: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(
                f"epoch {epoch}/{epochs}", total=batches, metrics=""
            )

    def advance(self, loss: float | None, accuracy: float | None) -> None:
        """One more batch done; ``loss`` and ``accuracy`` are the epoch's running means."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, metrics=format_metrics(loss, accuracy))

    def end_epoch(self, line: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.remove_task(self._task)
            self._progress.refresh()  # drop the finished bar before the line prints above it
            self._task = None
        self.print(line)

    def print(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, soft_wrap=True, markup=False, highlight=False)
