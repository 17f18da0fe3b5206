"""A unit's receptive field drawn on the input image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.patches import Rectangle

from .._validation import check_array, check_box, received
from ._figure import new_figure, save_figure


def receptive_field_box(
    image: np.ndarray,
    box: tuple[int, int, int, int],
    path: str | Path,
    *,
    title: str | None = None,
) -> Path:
    """Draw the input pixels one unit sees as a rectangle on the image.

    The part of ``box`` inside the image is drawn solid; the whole box is outlined with a
    dashed line, so a field that reaches into the padding shows how far it goes.

    Parameters
    ----------
    image : ndarray, shape (H, W), (1, H, W), (3, H, W) or (H, W, 3)
        The input; colour images are drawn in colour, values clipped to [0, 1].
    box : (row_start, row_stop, col_start, col_stop)
        The receptive field in input pixels, stops excluded (as in a slice); may reach
        past the image on any side.
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    title : str, optional
        Replaces the title that states the box.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> image = np.linspace(0, 1, 28 * 28).reshape(28, 28)
    >>> path = os.path.join(tempfile.mkdtemp(), "rf.png")
    >>> receptive_field_box(image, (-2, 3, 10, 15), path).exists()
    True
    """
    picture = _picture(image)
    height, width = picture.shape[:2]
    top, bottom, left, right = check_box("box", box)
    figure = new_figure(5.0, 5.0)
    axes = figure.add_subplot()
    if picture.ndim == 3:
        axes.imshow(np.clip(picture, 0, 1), interpolation="nearest")
    else:
        axes.imshow(picture, cmap="gray", interpolation="nearest")
    # Pixel (r, c) covers [c - 0.5, c + 0.5] x [r - 0.5, r + 0.5] in imshow's coordinates.
    inside = (max(top, 0), min(bottom, height), max(left, 0), min(right, width))
    if inside[0] < inside[1] and inside[2] < inside[3]:
        axes.add_patch(_rectangle(*inside, linestyle="-", facecolor=(1.0, 0.2, 0.1, 0.25)))
    axes.add_patch(_rectangle(top, bottom, left, right, linestyle="--", facecolor="none"))
    margin = 1.0
    x_low, x_high = min(left, 0) - 0.5 - margin, max(right, width) - 0.5 + margin
    y_low, y_high = min(top, 0) - 0.5 - margin, max(bottom, height) - 0.5 + margin
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(y_high, y_low)
    # Hatch what lies outside the image: the padding a border unit's field reaches into.
    outside = Rectangle((x_low, y_low), x_high - x_low, y_high - y_low, zorder=-1)
    outside.set(facecolor="none", edgecolor="0.8", hatch="//", linewidth=0)
    axes.add_patch(outside)
    size = f"{bottom - top}x{right - left}"
    axes.set_title(
        title or f"receptive field {size}: rows {top}..{bottom - 1}, columns {left}..{right - 1}",
        fontsize=10,
    )
    axes.set_xlabel("column")
    axes.set_ylabel("row")
    return save_figure(figure, path)


def _picture(image: np.ndarray) -> np.ndarray:
    """(H, W) or (H, W, 3) from any of the layouts :func:`receptive_field_box` takes."""
    array = check_array("image", image, ndim=(2, 3), allow_complex=False, finite=True)
    if array.ndim == 2:
        return array
    if array.shape[0] in (1, 3):  # cnnlab's (C, H, W)
        array = np.moveaxis(array, 0, -1)
    if array.shape[-1] == 1:
        return array[..., 0]
    if array.shape[-1] == 3:
        return array
    raise ValueError(
        "`image` must have shape (H, W), (1, H, W), (3, H, W) or (H, W, 3). "
        + received(image=np.asarray(image))
    )


def _rectangle(top: int, bottom: int, left: int, right: int, **style) -> Rectangle:
    return Rectangle(
        (left - 0.5, top - 0.5),
        right - left,
        bottom - top,
        edgecolor="tab:red",
        linewidth=2,
        **style,
    )
