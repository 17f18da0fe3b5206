"""Grids of images and of kernels."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .._validation import check_array, check_positive_int
from ._figure import new_figure, save_figure


def image_grid(
    images: Mapping[str, np.ndarray],
    path: str | Path,
    columns: int = 4,
    signed: Mapping[str, bool] | None = None,
    title: str | None = None,
    colorbar: bool = True,
) -> Path:
    """Draw titled images in a grid and save the figure.

    Parameters
    ----------
    images : mapping of title to array
        Each ``(H, W)`` (drawn with a colour bar) or ``(H, W, 3)`` (drawn as RGB).
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    columns : int
        Images per row.
    signed : mapping of title to bool, optional
        Titles whose values are signed responses (drawn with a diverging colour map
        centred on zero) rather than intensities.
    title : str, optional
        A title over the whole grid.
    colorbar : bool
        Draw a colour bar beside each grayscale image.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> out = image_grid({"ramp": np.linspace(0, 1, 64).reshape(8, 8)},
    ...                  os.path.join(tempfile.mkdtemp(), "grid.png"))
    >>> out.exists()
    True
    """
    columns = check_positive_int("columns", columns)
    signed = dict(signed or {})
    columns = min(columns, max(1, len(images)))
    rows = max(1, math.ceil(len(images) / columns))
    figure = new_figure((3.2 if colorbar else 2.4) * columns, (3.0 if colorbar else 2.5) * rows)
    if title:
        figure.suptitle(title)
    for index, (name, image) in enumerate(images.items()):
        image = check_array(name, image, ndim=(2, 3), allow_complex=False)
        axes = figure.add_subplot(rows, columns, index + 1)
        if image.ndim == 3:
            axes.imshow(np.clip(image, 0, 1))
        elif signed.get(name, False):
            limit = float(np.max(np.abs(image))) or 1.0
            shown = axes.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit)
        else:
            shown = axes.imshow(image, cmap="gray")
        if colorbar and image.ndim == 2:
            figure.colorbar(shown, ax=axes, shrink=0.8)
        axes.set_title(name, fontsize=10)
        axes.set_axis_off()
    return save_figure(figure, path)


def kernel_grid(kernels: Mapping[str, np.ndarray], path: str | Path, columns: int = 5) -> Path:
    """Draw 2-D kernels as heat maps centred on zero, each weight written in its cell.

    Examples
    --------
    >>> import tempfile, os
    >>> out = kernel_grid({"sobel_x": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])},
    ...                   os.path.join(tempfile.mkdtemp(), "kernels.png"))
    >>> out.exists()
    True
    """
    columns = check_positive_int("columns", columns)
    columns = min(columns, max(1, len(kernels)))
    rows = max(1, math.ceil(len(kernels) / columns))
    figure = new_figure(2.6 * columns, 2.8 * rows)
    for index, (name, kernel) in enumerate(kernels.items()):
        kernel = check_array(name, kernel, ndim=2, allow_complex=False).astype(float)
        axes = figure.add_subplot(rows, columns, index + 1)
        limit = float(np.max(np.abs(kernel))) or 1.0
        axes.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
        if kernel.size <= 49:
            for (row, column), value in np.ndenumerate(kernel):
                text = f"{value:.2g}" if value != round(value) else f"{value:.0f}"
                colour = "white" if abs(value) > 0.6 * limit else "black"
                axes.text(column, row, text, ha="center", va="center", fontsize=8, color=colour)
        axes.set_title(f"{name} {kernel.shape[0]}x{kernel.shape[1]}", fontsize=10)
        axes.set_xticks([])
        axes.set_yticks([])
    return save_figure(figure, path)
