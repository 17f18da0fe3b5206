"""Arrays as PNG bytes for the page: grey maps, mosaics of many maps, heat maps.

Every picture is 8-bit. A mosaic puts channel ``c`` of ``(C, H, W)`` maps at row
``c // columns``, column ``c % columns``, tiles ``gap`` pixels apart; the gaps take
palette entry 255 (a blue grey), the values 0..254 (black to white), so the page tells
a tile's edge from a bright unit. Values are scaled from ``low..high`` to the grey ramp.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

GAP_COLOUR = (96, 112, 140)
MOSAIC_PIXELS = 4_000_000  # larger mosaics shrink each tile (by whole steps of the map)
# a dark-to-bright heat ramp (black, purple, red, orange, pale yellow), for Grad-CAM
HEAT = np.array(
    [[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]], dtype=np.float64
)


def png(pixels: np.ndarray, palette: list[int] | None = None) -> bytes:
    """``(H, W)`` or ``(H, W, 3)`` uint8 as PNG bytes (fast compression: maps change often)."""
    image = Image.fromarray(np.ascontiguousarray(pixels))
    if palette is not None:
        image = image.convert("P") if image.mode != "P" else image
        image.putpalette(palette)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def scaled(values: np.ndarray, low: float, high: float, top: int = 255) -> np.ndarray:
    """``values`` mapped from ``low..high`` onto the integers ``0..top`` (uint8).

    >>> scaled(np.array([0.0, 0.5, 1.0]), 0.0, 1.0)
    array([  0, 128, 255], dtype=uint8)
    """
    span = high - low if high > low else 1.0
    fraction = np.clip((np.nan_to_num(values, nan=low) - low) / span, 0.0, 1.0)
    return np.round(fraction * top).astype(np.uint8)


def grey_png(values: np.ndarray, low: float | None = None, high: float | None = None) -> bytes:
    """A 2-D array as a grey PNG, ``low`` black and ``high`` white (default: its range)."""
    low = float(np.nanmin(values)) if low is None else low
    high = float(np.nanmax(values)) if high is None else high
    return png(scaled(values, low, high))


def picture_png(image: np.ndarray) -> bytes:
    """An input ``(C, H, W)`` in [0, 1] as grey (one channel) or RGB (three) PNG."""
    if image.shape[0] == 3:
        return png(scaled(np.moveaxis(image, 0, -1), 0.0, 1.0))
    return png(scaled(image[0], 0.0, 1.0))


def heat_png(values: np.ndarray) -> bytes:
    """A 2-D array of values >= 0 as an RGB heat map, 0 black and its maximum pale yellow."""
    top = float(values.max()) if values.size and values.max() > 0 else 1.0
    position = np.clip(values / top, 0.0, 1.0) * (len(HEAT) - 1)
    rgb = np.stack(
        [np.interp(position, np.arange(len(HEAT)), HEAT[:, k]) for k in range(3)], axis=-1
    )
    return png(np.round(rgb).astype(np.uint8))


@dataclass(frozen=True)
class Layout:
    """Where each map sits in a mosaic; see the module notes."""

    count: int
    columns: int
    tile: tuple[int, int]
    gap: int = 1

    @property
    def size(self) -> tuple[int, int]:
        """The mosaic's height and width in pixels."""
        rows = -(-self.count // self.columns)
        h, w = self.tile
        return rows * (h + self.gap) - self.gap, self.columns * (w + self.gap) - self.gap


def layout(count: int, height: int, width: int, columns: int | None = None) -> Layout:
    """A near-square mosaic of ``count`` maps of ``height x width`` (or ``columns`` wide),
    each tile shrunk by a whole step when the mosaic would exceed `MOSAIC_PIXELS`.

    >>> layout(6, 28, 28)
    Layout(count=6, columns=3, tile=(28, 28), gap=1)
    """
    if columns is None:
        columns = max(1, math.ceil(math.sqrt(count * height / max(width, 1))))
    columns = min(columns, count)
    step = max(1, math.ceil(math.sqrt(count * height * width / MOSAIC_PIXELS)))
    return Layout(count, columns, (-(-height // step), -(-width // step)))


def mosaic_png(maps: np.ndarray, plan: Layout, low: float, high: float) -> bytes:
    """``(C, H, W)`` maps drawn into the mosaic ``plan`` (tile pixel (i, j) shows unit
    ``(c, i * H // h, j * W // w)``) as a PNG."""
    count, height, width = maps.shape
    h, w = plan.tile
    rows = np.arange(h) * height // h
    cols = np.arange(w) * width // w
    tiles = scaled(maps[:, rows][:, :, cols], low, high, top=254)  # (C, h, w)
    grid_rows = -(-count // plan.columns)
    canvas = np.full((grid_rows * plan.columns, h + plan.gap, w + plan.gap), 255, np.uint8)
    canvas[:count, :h, :w] = tiles
    canvas = canvas.reshape(grid_rows, plan.columns, h + plan.gap, w + plan.gap)
    canvas = canvas.transpose(0, 2, 1, 3).reshape(grid_rows * (h + plan.gap), -1)
    full_h, full_w = plan.size
    palette = [v for g in range(255) for v in (g * 255 // 254,) * 3] + list(GAP_COLOUR)
    return png(canvas[:full_h, :full_w], palette)
