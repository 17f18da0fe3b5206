"""Photonic-crystal pictures: unit cells with their band edges, band diagrams, errors by fill."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.ticker import FuncFormatter

from ._arguments import captioned_pictures, curves_over
from ._figure import new_figure, save_figure


@dataclass(frozen=True)
class BandDiagram:
    """One cell's bands along a k path, with the band edges a model predicted for it.

    ``distance`` ``(K,)`` the x axis; ``bands`` ``(K, B)`` frequencies; ``ticks`` indices of
    the labelled corners; ``predicted`` ``(2,)`` the predicted top of band 1 and bottom of
    band 2; ``cell`` the picture, drawn as an inset.
    """

    title: str
    cell: np.ndarray
    distance: np.ndarray
    bands: np.ndarray
    ticks: Sequence[int]
    labels: Sequence[str]
    predicted: np.ndarray


def band_gap_figure(
    cells,
    captions: Sequence[str],
    diagrams: Sequence[BandDiagram],
    fill,
    errors: Mapping[str, np.ndarray],
    path: str | Path,
    *,
    title: str | None = None,
    columns: int = 6,
    bins: int = 5,
) -> Path:
    """Example cells, band diagrams, and each method's band-edge error against fill fraction.

    Parameters
    ----------
    cells : array ``(K, M, M)`` or ``(K, 1, M, M)``
        Permittivity pictures, drawn in grey (white: high permittivity), ``columns`` a row.
    captions : K strings
        One title per cell (say, its true and predicted band edges).
    diagrams : sequence of :class:`BandDiagram`
        Drawn side by side below the cells: bands as lines, the true gap shaded, the
        predicted edges dashed.
    fill : array ``(N,)``
        The inclusion's fill fraction of every scored cell.
    errors : mapping of method name to array ``(N,)``
        Fractional band-edge errors of each method on those cells (say, the mean of the
        two edges' ``|predicted / true - 1|``), shown as their mean per fill bin.
    path : str or Path
    title : str, optional
    columns, bins : int

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> rng = np.random.default_rng(0)
    >>> diagram = BandDiagram("rods", np.eye(8), np.linspace(0, 1, 5), rng.random((5, 3)),
    ...                       [0, 2, 4], ["a", "b", "c"], np.array([0.4, 0.5]))
    >>> fill = rng.uniform(0.1, 0.6, 40)
    >>> path = os.path.join(tempfile.mkdtemp(), "photonic.png")
    >>> band_gap_figure(rng.random((2, 8, 8)), ["a", "b"], [diagram], fill,
    ...                 {"CNN": rng.random(40) / 100}, path).exists()
    True
    """
    pictures = captioned_pictures("cells", cells, captions, "cell")
    fill, errors = curves_over("fill", fill, errors)

    rows = -(-len(pictures) // columns) if len(pictures) else 0
    panels = len(diagrams) + 1
    figure = new_figure(2.0 * columns, 2.2 * rows + 3.8)
    if title:
        figure.suptitle(title)
    grid = figure.add_gridspec(rows + 1, 1, height_ratios=[1.0] * rows + [1.9])
    top = grid[:rows].subgridspec(rows, columns) if rows else None
    for index, (picture, caption) in enumerate(zip(pictures, captions, strict=True)):
        axes = figure.add_subplot(top[index // columns, index % columns])
        axes.imshow(picture, cmap="gray", vmin=1, vmax=16, interpolation="nearest")
        axes.set_title(caption, fontsize=7)
        axes.set_axis_off()
    bottom = grid[rows].subgridspec(1, panels, width_ratios=[1.0] * len(diagrams) + [1.3])
    for index, diagram in enumerate(diagrams):
        _draw_diagram(figure.add_subplot(bottom[index]), diagram)
    _draw_errors(figure.add_subplot(bottom[-1]), fill, errors, bins)
    return save_figure(figure, path, dpi=100)


def _draw_diagram(axes, diagram: BandDiagram) -> None:
    bands = np.asarray(diagram.bands)
    for band in range(bands.shape[1]):
        axes.plot(diagram.distance, bands[:, band], color="C0" if band < 2 else "0.6", lw=1.3)
    top, bottom = bands[:, 0].max(), bands[:, 1].min()
    if bottom > top:
        axes.axhspan(top, bottom, color="gold", alpha=0.35, label="true gap")
    for value in diagram.predicted:
        axes.axhline(value, color="C3", ls="--", lw=1.0)
    axes.plot([], [], color="C3", ls="--", label="CNN's edges")
    corners = np.asarray(diagram.distance)[list(diagram.ticks)]
    axes.set_xticks(corners, list(diagram.labels))
    for corner in corners:
        axes.axvline(corner, color="0.85", lw=0.8, zorder=0)
    axes.set_xlim(corners[0], corners[-1])
    axes.set_ylim(0, bands.max() * 1.04)
    axes.set_ylabel("frequency ωa / 2πc")
    axes.set_title(diagram.title, fontsize=9)
    axes.legend(fontsize=7, loc="lower right")
    inset = axes.inset_axes([0.02, 0.68, 0.3, 0.3])
    inset.imshow(np.squeeze(diagram.cell), cmap="gray", vmin=1, vmax=16, interpolation="nearest")
    inset.set_xticks([])
    inset.set_yticks([])


def _draw_errors(axes, fill: np.ndarray, errors: Mapping[str, np.ndarray], bins: int) -> None:
    edges = np.linspace(fill.min(), fill.max(), bins + 1)
    which = np.clip(np.digitize(fill, edges[1:-1]), 0, bins - 1)
    centres = (edges[:-1] + edges[1:]) / 2
    styles = ("o-", "s--", "^:", "d-.")  # the controls may lie on top of each other
    for index, (name, values) in enumerate(errors.items()):
        means = [values[which == b].mean() if np.any(which == b) else np.nan for b in range(bins)]
        label = f"{name}: {np.mean(values):.2%}"
        axes.plot(centres, means, styles[index % 4], color=f"C{index}", label=label, mfc="none")
    axes.set_yscale("log")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{100 * y:g}%"))
    axes.yaxis.set_minor_formatter(FuncFormatter(lambda y, _: ""))
    axes.set_xlabel("fill fraction of the inclusion")
    axes.set_ylabel("mean fractional error of the band edges")
    axes.grid(alpha=0.3, which="both")
    axes.legend(fontsize=7, title="mean over all cells", title_fontsize=7)
    axes.set_title("error against fill fraction (test cells)", fontsize=9)
