"""Spectra pictures: example spectra of each class over the classifier's confusion matrices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .._validation import check_array, check_mapping, received
from ._figure import new_figure, save_figure


def spectra_summary(
    examples,
    example_labels,
    classes: Sequence[str],
    confusions: Mapping[str, np.ndarray],
    path: str | Path,
    *,
    example_notes: Sequence[str] | None = None,
    baseline: Mapping[str, float] | None = None,
    baseline_label: str = "least squares",
    title: str | None = None,
) -> Path:
    """Examples of each class on top; a confusion matrix per test set and accuracies below.

    Parameters
    ----------
    examples : array, shape ``(K, L)`` or ``(K, 1, L)``
        Example spectra, drawn in the panel of their class.
    example_labels : array of int, shape ``(K,)``
        The class of each example.
    classes : sequence of str
        Class names, in label order.
    confusions : mapping of test-set name to ``(C, C)`` counts
        Rows: true class; columns: predicted class. Each is drawn with its counts, and
        its accuracy (trace over total) is a bar in the last panel.
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    example_notes : K strings, optional
        A legend entry for each example (say, its noise level).
    baseline : mapping of test-set name to accuracy, optional
        Another method's accuracy on the same test sets, drawn as a second bar.
    baseline_label : str, default "least squares"
        Its name in the legend.
    title : str, optional

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> x = np.linspace(-3, 3, 64)
    >>> examples = np.stack([np.exp(-x**2), 1 / (1 + x**2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "spectra.png")
    >>> spectra_summary(examples, [0, 1], ["Gaussian", "Lorentzian"],
    ...                 {"noise 0.02": np.array([[9, 1], [0, 10]])}, path).exists()
    True
    """
    spectra = check_array("examples", examples, ndim=(2, 3), allow_complex=False)
    spectra = spectra.reshape(len(spectra), -1)
    labels = check_array("example_labels", example_labels, ndim=1).astype(np.int64)
    if len(labels) != len(spectra) or (
        len(labels) and not 0 <= labels.min() <= labels.max() < len(classes)
    ):
        raise ValueError(
            f"`example_labels` must give a class in [0, {len(classes)}) for each of the "
            f"{len(spectra)} examples. {received(example_labels=labels)}"
        )
    confusions = {
        name: check_array(f"confusions[{name!r}]", matrix, ndim=2)
        for name, matrix in check_mapping("confusions", confusions).items()
    }
    notes = list(example_notes) if example_notes is not None else [None] * len(spectra)

    columns = max(len(classes), len(confusions) + 1)
    figure = new_figure(3.4 * columns, 6.4)
    if title:
        figure.suptitle(title)
    grid = figure.add_gridspec(2, columns)
    for label, name in enumerate(classes):
        axes = figure.add_subplot(grid[0, label])
        for spectrum, note in zip(
            spectra[labels == label], np.array(notes)[labels == label], strict=True
        ):
            axes.plot(spectrum, linewidth=0.9, label=note)
        axes.set_title(name)
        axes.set_xlabel("point")
        axes.grid(alpha=0.3)
        if label == 0:
            axes.set_ylabel("normalised intensity")
        if any(n is not None for n in notes):
            axes.legend(fontsize=7, loc="best")
    for index, (name, matrix) in enumerate(confusions.items()):
        _confusion_panel(figure.add_subplot(grid[1, index]), matrix, classes, name)
    _accuracy_panel(
        figure.add_subplot(grid[1, len(confusions)]), confusions, baseline, baseline_label
    )
    return save_figure(figure, path)


def _confusion_panel(axes, matrix: np.ndarray, classes: Sequence[str], name: str) -> None:
    accuracy = np.trace(matrix) / max(matrix.sum(), 1)
    axes.imshow(matrix, cmap="Blues")
    for (row, col), count in np.ndenumerate(matrix):
        colour = "white" if count > matrix.max() / 2 else "black"
        axes.text(col, row, str(int(count)), ha="center", va="center", color=colour, fontsize=9)
    ticks = np.arange(len(classes))
    axes.set_xticks(ticks, classes, fontsize=8)
    axes.set_yticks(ticks, classes, fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(f"{name}: {100 * accuracy:.1f}%", fontsize=10)


def _accuracy_panel(
    axes, confusions: Mapping[str, np.ndarray], baseline, baseline_label: str
) -> None:
    names = list(confusions)
    positions = np.arange(len(names))
    cnn = [np.trace(m) / max(m.sum(), 1) for m in confusions.values()]
    bars = [("CNN", cnn)]
    if baseline:
        bars.append((baseline_label, [baseline.get(name, np.nan) for name in names]))
    width = 0.8 / len(bars)
    for index, (label, values) in enumerate(bars):
        x = positions + (index - (len(bars) - 1) / 2) * width
        axes.bar(x, 100 * np.asarray(values), width, label=label)
        for xi, value in zip(x, values, strict=True):
            if np.isfinite(value):
                axes.text(
                    xi, 100 * value, f"{100 * value:.1f}", ha="center", va="bottom", fontsize=8
                )
    lowest = min(v for _, values in bars for v in values if np.isfinite(v))
    axes.set_ylim(max(0.0, 100 * lowest - 10), 101.5)
    axes.set_xticks(positions, names, fontsize=8)
    axes.set_ylabel("held-out accuracy (%)")
    axes.legend(fontsize=8, loc="lower left")
    axes.grid(axis="y", alpha=0.3)
