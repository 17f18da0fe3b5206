"""Tiles laid into one picture, and the colour scale they share.

Drawing 32 feature maps as one image in one axes (rather than 32 axes) keeps the figure
fast to render and gives every tile the same colour scale by construction.
"""

from __future__ import annotations

import math

import numpy as np


def mosaic(tiles: np.ndarray, columns: int, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """Lay ``K`` equal tiles row by row into one array with ``gap`` pixels between them.

    Parameters
    ----------
    tiles : ndarray, shape (K, H, W) or (K, H, W, 3)
    columns : int
        Tiles per row (fewer when there are fewer tiles).
    gap : int
        Pixels of ``fill`` between tiles.
    fill : float
        Value of the gaps and of unused cells (NaN draws as the background).

    Returns
    -------
    ndarray, shape (rows*(H+gap)-gap, columns*(W+gap)-gap[, 3])

    Examples
    --------
    >>> mosaic(np.ones((3, 2, 2)), columns=2, fill=0).astype(int)
    array([[1, 1, 0, 1, 1],
           [1, 1, 0, 1, 1],
           [0, 0, 0, 0, 0],
           [1, 1, 0, 0, 0],
           [1, 1, 0, 0, 0]])
    """
    count, height, width = tiles.shape[:3]
    columns = max(1, min(columns, count))
    rows = math.ceil(count / columns)
    shape = (rows * (height + gap) - gap, columns * (width + gap) - gap) + tiles.shape[3:]
    out = np.full(shape, fill, dtype=np.float64)
    for index, tile in enumerate(tiles):
        top = (index // columns) * (height + gap)
        left = (index % columns) * (width + gap)
        out[top : top + height, left : left + width] = tile
    return out


def colour_scale(values: np.ndarray) -> dict:
    """``imshow`` keywords: a diverging map centred on zero for signed values, else sequential.

    >>> colour_scale(np.array([-1.0, 2.0]))["cmap"], colour_scale(np.array([0.0, 2.0]))["cmap"]
    ('RdBu_r', 'viridis')
    """
    finite = values[np.isfinite(values)]
    low = float(finite.min()) if finite.size else 0.0
    high = float(finite.max()) if finite.size else 1.0
    if low < 0 < high:
        limit = max(-low, high)
        return {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
    if high == low:  # a constant map: any non-empty range draws it in one colour
        high = low + 1.0
    return {"cmap": "viridis", "vmin": low, "vmax": high}
