"""Learning curves: loss and accuracy per epoch, on the training and validation sets."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .._validation import check_array, received
from ._figure import new_figure, save_figure

CURVES = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


def learning_curves(history: Any, path: str | Path, *, title: str | None = None) -> Path:
    """Plot loss and accuracy against the epoch, training and validation side by side.

    Parameters
    ----------
    history : History, mapping of name to list, or path of a CSV file
        Anything with the lists ``train_loss``, ``train_accuracy``, ``val_loss`` and
        ``val_accuracy`` (attributes or keys; missing, empty or all-``None`` ones are left
        out), or a CSV file whose header row names them (``History.to_csv`` writes one;
        empty cells are epochs without a value). An ``epoch``
        column or list, when present, gives the x axis. Accuracies in [0, 1] are shown as
        percentages; the best validation accuracy is marked.
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    title : str, optional
        A title over both panels.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> history = {"train_loss": [2.3, 1.1, 0.6], "val_loss": [2.0, 1.2, 0.9],
    ...            "train_accuracy": [0.3, 0.7, 0.9], "val_accuracy": [0.4, 0.7, 0.8]}
    >>> learning_curves(history, os.path.join(tempfile.mkdtemp(), "curves.png")).exists()
    True
    """
    curves, epochs = _curves(history)
    panels = [kind for kind in ("loss", "accuracy") if any(k.endswith(kind) for k in curves)]
    figure = new_figure(5.2 * len(panels), 3.8)
    if title:
        figure.suptitle(title)
    for index, kind in enumerate(panels):
        axes = figure.add_subplot(1, len(panels), index + 1)
        for split, style in (("train", "-"), ("val", "--")):
            values = curves.get(f"{split}_{kind}")
            if values is not None:
                x = epochs[: len(values)]
                label = "training" if split == "train" else "validation"
                axes.plot(x, values, style, marker="o", markersize=3, label=label)
        if kind == "accuracy":
            accuracies = [v for k, v in curves.items() if k.endswith("accuracy")]
            fraction = all(np.nanmax(v) <= 1.0 for v in accuracies)
            if fraction:
                axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
            _mark_best(axes, curves.get("val_accuracy"), epochs, fraction)
        axes.set_xlabel("epoch")
        axes.set_ylabel(kind)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(alpha=0.3)
        axes.legend(fontsize=9)
    return save_figure(figure, path)


def _mark_best(axes, values: np.ndarray | None, epochs: np.ndarray, fraction: bool) -> None:
    if values is None:
        return
    best = int(np.nanargmax(values))
    axes.plot(epochs[best], values[best], "*", markersize=12, color="tab:orange", zorder=3)
    axes.annotate(
        f"best {values[best]:.1%}" if fraction else f"best {values[best]:.3g}",
        (epochs[best], values[best]),
        xytext=(0, -16),
        textcoords="offset points",
        ha="center",
        fontsize=8,
    )


def _curves(history: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The non-empty curves by name, and the epoch numbers for the x axis."""
    if isinstance(history, (str, Path)):
        history = _read_csv(Path(history))
    found = {}
    for name in (*CURVES, "epoch"):
        values = history.get(name) if isinstance(history, Mapping) else getattr(history, name, None)
        if values is None or not len(values):
            continue
        values = [np.nan if v is None else v for v in values]  # None: not measured
        values = check_array(f"history[{name!r}]", values, ndim=1, allow_complex=False)
        if not np.isnan(values.astype(np.float64)).all():
            found[name] = values.astype(np.float64)
    epochs = found.pop("epoch", None)
    if not found:
        raise ValueError(
            "`history` must hold at least one non-empty list among "
            + ", ".join(CURVES)
            + f" (as attributes, keys or CSV columns). Received: {_describe(history)}."
        )
    longest = max(len(values) for values in found.values())
    if epochs is None or len(epochs) < longest:
        epochs = np.arange(1, longest + 1, dtype=np.float64)
    return found, epochs


def _read_csv(path: Path) -> dict[str, list[float]]:
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    columns: dict[str, list[float]] = {}
    for row in rows:
        for name, text in row.items():
            if name is not None:
                columns.setdefault(name.strip(), []).append(_number(path, name, text))
    return columns


def _number(path: Path, column: str, text: str | None) -> float:
    if text is None or not text.strip():
        return float("nan")  # e.g. an epoch without validation
    try:
        return float(text)
    except ValueError as error:
        raise ValueError(
            f"Every value in the CSV file {str(path)!r} must be a number. "
            + received(**{column.strip(): text})
        ) from error


def _describe(history: Any) -> str:
    if isinstance(history, Mapping):
        return f"a mapping with keys {sorted(map(str, history))}"
    return f"an object of type {type(history).__name__}"
