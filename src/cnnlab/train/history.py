"""History: what a training run measured, one value per epoch and metric."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from .._validation import check_choice, received
from ..serialization import write_atomically

METRICS = ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds")
MONITORED = ("val_loss", "val_accuracy", "train_loss", "train_accuracy")


def metric_mode(metric: str, mode: str = "auto") -> str:
    """``"min"`` or ``"max"``: which way ``metric`` improves; ``"auto"`` reads its name.

    >>> metric_mode("val_loss"), metric_mode("val_accuracy")
    ('min', 'max')
    """
    check_choice("metric", metric, MONITORED)
    mode = check_choice("mode", mode, ("auto", "min", "max"))
    if mode == "auto":
        return "max" if metric.endswith("accuracy") else "min"
    return mode


@dataclass
class History:
    """Per-epoch lists of losses, accuracies (``None`` where not measured), rate and time.

    Epoch ``k`` (counted from 1) is item ``k - 1`` of each list. Accuracies are ``None``
    for a regression loss; validation values are ``None`` when there is no validation data.

    Examples
    --------
    >>> history = History()
    >>> history.append(train_loss=0.9, train_accuracy=0.6, val_loss=0.8, val_accuracy=0.7,
    ...                lr=0.1, seconds=1.5)
    >>> history.append(train_loss=0.5, train_accuracy=0.8, val_loss=0.85, val_accuracy=0.75,
    ...                lr=0.1, seconds=1.4)
    >>> len(history), history.best("val_loss"), history.best("val_accuracy")
    (2, (1, 0.8), (2, 0.75))
    >>> print(history.to_csv_text(), end="")
    epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds
    1,0.9,0.6,0.8,0.7,0.1,1.5
    2,0.5,0.8,0.85,0.75,0.1,1.4
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float | None] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    val_accuracy: list[float | None] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.train_loss)

    def append(self, **values: float | None) -> None:
        """Add one epoch; every metric in ``METRICS`` must be given (``None`` allowed)."""
        if set(values) != set(METRICS):
            raise ValueError(
                f"`History.append` needs exactly the metrics {', '.join(METRICS)}. "
                + received(metrics=sorted(values))
            )
        for name in METRICS:
            value = values[name]
            getattr(self, name).append(None if value is None else float(value))

    def best(self, metric: str, mode: str = "auto") -> tuple[int, float]:
        """``(epoch, value)`` of the best epoch for ``metric`` (the first one on a tie)."""
        direction = metric_mode(metric, mode)
        measured = [(e, v) for e, v in enumerate(getattr(self, metric), start=1) if v is not None]
        if not measured:
            raise ValueError(
                f"The history holds no value of {metric!r} (no validation data, or a "
                f"regression loss, which has no accuracy). {received(metric=metric)}"
            )
        choose = min if direction == "min" else max
        return choose(measured, key=lambda item: item[1])

    # -- plain data -----------------------------------------------------------------
    def as_dict(self) -> dict[str, list[float | None]]:
        """Each metric's list (copies), ready for ``json.dump``."""
        return {name: list(getattr(self, name)) for name in METRICS}

    @classmethod
    def from_dict(cls, values: Mapping[str, list]) -> History:
        """The inverse of :meth:`as_dict`."""
        if not isinstance(values, Mapping) or set(values) != set(METRICS):
            keys = sorted(values) if isinstance(values, Mapping) else values
            raise ValueError(
                f"A history must have the keys {', '.join(METRICS)}. {received(history=keys)}"
            )
        lengths = {len(values[name]) for name in METRICS}
        if len(lengths) != 1:
            raise ValueError(
                "Every metric of a history must have one value per epoch. Received: lengths "
                + ", ".join(f"{name}={len(values[name])}" for name in METRICS)
                + "."
            )
        return cls(**{f.name: [_number(v) for v in values[f.name]] for f in fields(cls)})

    # -- CSV ------------------------------------------------------------------------
    def to_csv_text(self) -> str:
        """The table as CSV: a header, then one row per epoch (empty cells for ``None``)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("epoch", *METRICS))
        for epoch, row in enumerate(zip(*self.as_dict().values(), strict=True), start=1):
            writer.writerow((epoch, *("" if v is None else repr(v) for v in row)))
        return buffer.getvalue()

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write :meth:`to_csv_text` to ``path`` (atomically); floats keep every digit."""
        path = Path(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(
                f"Cannot write {path}: the folder {path.parent} does not exist."
            )
        write_atomically(path, self.to_csv_text().encode())
        return path

    @classmethod
    def from_csv(cls, path: str | os.PathLike) -> History:
        """Read a file written by :meth:`to_csv`."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"No history file at {path}.")
        rows = list(csv.reader(io.StringIO(path.read_text())))
        header = ["epoch", *METRICS]
        if not rows or rows[0] != header:
            raise ValueError(
                f"{path} is not a history CSV: its first line must be {','.join(header)}. "
                + received(header=",".join(rows[0]) if rows else "")
            )
        columns: dict[str, list] = {name: [] for name in METRICS}
        for line, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                raise ValueError(
                    f"{path}, line {line}: expected {len(header)} cells. {received(row=row)}"
                )
            for name, cell in zip(METRICS, row[1:], strict=True):
                try:
                    columns[name].append(None if cell == "" else float(cell))
                except ValueError as error:
                    raise ValueError(
                        f"{path}, line {line}: `{name}` must be a number or empty. "
                        + received(**{name: cell})
                    ) from error
        return cls.from_dict(columns)


def _number(value) -> float | None:
    return None if value is None else float(value)
