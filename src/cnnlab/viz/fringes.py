"""Fringe pictures: example images with their spacings, and spacing errors against visibility."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from ._arguments import captioned_pictures, curves_over
from ._figure import new_figure, save_figure


def spacing_errors(
    images,
    captions: Sequence[str],
    visibility,
    errors: Mapping[str, np.ndarray],
    path: str | Path,
    *,
    edges: Sequence[float] = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0),
    faint: float | None = None,
    title: str | None = None,
    columns: int = 5,
) -> Path:
    """Example images over a plot of each method's relative spacing error against visibility.

    For each method, the root mean square (solid) and the median (dashed) of the relative
    error over each visibility bin ``[edges[i], edges[i + 1])``, at the bin's geometric
    centre: the RMS is what the method scores in MSE terms; the median, far below it,
    shows errors made of a few wild misses among many small ones.

    Parameters
    ----------
    images : array, shape ``(K, H, W)`` or ``(K, 1, H, W)``
        Example images, drawn in grey in rows of ``columns``.
    captions : K strings
        One title per example (say, its visibility and the spacings found).
    visibility : array, shape ``(N,)``
        The visibility of every scored image.
    errors : mapping of method name to array ``(N,)``
        Relative errors ``estimate / true - 1`` of each method on those images.
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    edges : increasing floats
        Visibility bins of the lines.
    faint : float, optional
        Shade the visibilities below this one (where the comparison matters).
    title : str, optional

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> rng = np.random.default_rng(0)
    >>> v = rng.uniform(0.02, 1, 50)
    >>> errors = {"CNN": rng.normal(0, 0.05, 50), "Fourier": rng.normal(0, 0.01, 50) / v}
    >>> path = os.path.join(tempfile.mkdtemp(), "fringes.png")
    >>> spacing_errors(rng.random((2, 8, 8)), ["a", "b"], v, errors, path).exists()
    True
    """
    pictures = captioned_pictures("images", images, captions, "image")
    visibility, errors = curves_over("visibility", visibility, errors)
    edges = np.asarray(edges, dtype=np.float64)

    rows = -(-len(pictures) // columns) if len(pictures) else 0
    figure = new_figure(2.0 * columns, 2.15 * rows + 3.6)
    if title:
        figure.suptitle(title)
    grid = figure.add_gridspec(rows + 1, columns, height_ratios=[1.0] * rows + [1.75])
    for index, (picture, caption) in enumerate(zip(pictures, captions, strict=True)):
        axes = figure.add_subplot(grid[index // columns, index % columns])
        axes.imshow(picture, cmap="gray", interpolation="nearest")
        axes.set_title(caption, fontsize=7)
        axes.set_axis_off()
    axes = figure.add_subplot(grid[rows, :])
    centres = np.sqrt(edges[:-1] * edges[1:])
    bins = list(zip(edges[:-1], edges[1:], strict=True))
    for index, (name, values) in enumerate(errors.items()):
        chosen = [_in_bin(visibility, lo, hi, hi == edges[-1]) for lo, hi in bins]
        rms = [np.sqrt(np.mean(values[c] ** 2)) if c.any() else np.nan for c in chosen]
        median = [np.median(np.abs(values[c])) if c.any() else np.nan for c in chosen]
        axes.plot(centres, rms, "o-", color=f"C{index}", label=f"{name}: RMS")
        axes.plot(centres, median, "s--", color=f"C{index}", alpha=0.7, label=f"{name}: median")
    if faint is not None:
        axes.axvspan(edges[0], faint, color="grey", alpha=0.12, label=f"faint: V < {faint:g}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{100 * y:g}%"))
    axes.set_xticks(edges, [f"{edge:g}" for edge in edges], minor=False)
    axes.xaxis.set_minor_locator(NullLocator())
    axes.set_xlabel("fringe visibility V")
    axes.set_ylabel("relative spacing error")
    axes.grid(alpha=0.3, which="both")
    axes.legend(fontsize=8, ncols=2)
    return save_figure(figure, path, dpi=100)


def _in_bin(visibility: np.ndarray, lo: float, hi: float, last: bool) -> np.ndarray:
    return (visibility >= lo) & ((visibility <= hi) if last else (visibility < hi))
