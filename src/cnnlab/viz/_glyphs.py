"""The shapes of a schematic, in points: activation boxes, kernel boxes and connectors.

An activation ``(C, H, W)`` is a box seen from the front-right: its width stands for the
channels, its height for ``H`` and its slanted depth for ``W``. Sizes grow with the log
of the channel count and the square root of the spatial size, so 3 and 2048 channels,
7 and 224 pixels, all show on one page. ``(C, L)`` is a flat slab and ``(F,)`` a bar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import FancyArrowPatch, Polygon
from matplotlib.path import Path as DrawPath

SLANT_X, SLANT_Y = 0.45, 0.3  # how the depth axis is drawn: dx, dy per point of depth

FACE = {
    "input": "#cfcfcf",
    "conv": "#8fbfe0",
    "pool": "#9fd39a",
    "block": "#b7aee0",
    "flatten": "#f6c28b",
    "dense": "#f6c28b",
    "other": "#dddddd",
}
KERNEL = {"conv": "#d9413a", "pool": "#237a3b"}
EDGE = "#3a3a3a"


def _spatial(n: int) -> float:
    return float(np.clip(13.0 * math.sqrt(n), 6.0, 200.0))


def _channels(c: int) -> float:
    return 4.0 + 5.0 * math.log2(c)


@dataclass
class Glyph:
    """A box placed with the left edge of its front face at ``x`` and centred on ``y``."""

    width: float  # front face, across: channels
    height: float  # front face, up: rows (or length, or features)
    depth: float  # slanted: columns
    x: float = 0.0
    y: float = 0.0

    @classmethod
    def for_shape(cls, shape: tuple[int, ...]) -> Glyph:
        if len(shape) >= 3:
            return cls(_channels(shape[0]), _spatial(shape[1]), _spatial(shape[2]))
        if len(shape) == 2:
            return cls(_channels(shape[0]), _spatial(shape[1]), 6.0)
        return cls(6.0, 12.0 + 9.0 * math.log2(max(shape[0], 1)), 6.0)

    @property
    def span_x(self) -> float:
        return self.width + SLANT_X * self.depth

    @property
    def span_y(self) -> float:
        return self.height + SLANT_Y * self.depth

    @property
    def bottom(self) -> float:
        """Bottom of the front face."""
        return self.y - self.span_y / 2

    @property
    def top(self) -> float:
        """Top of the back face: the highest point."""
        return self.y + self.span_y / 2

    def point(self, across: float, up: float, back: float) -> tuple[float, float]:
        """A point inside the box by fractions (0..1) of its width, height and depth."""
        return (
            self.x + across * self.width + back * SLANT_X * self.depth,
            self.bottom + up * self.height + back * SLANT_Y * self.depth,
        )


def draw_box(axes, glyph: Glyph, colour: str, alpha: float = 1.0, zorder: float = 1) -> None:
    """The three visible faces of ``glyph``: front, top and right."""
    p = glyph.point
    faces = (
        ([p(0, 0, 0), p(1, 0, 0), p(1, 1, 0), p(0, 1, 0)], 1.0),
        ([p(0, 1, 0), p(1, 1, 0), p(1, 1, 1), p(0, 1, 1)], 1.25),
        ([p(1, 0, 0), p(1, 0, 1), p(1, 1, 1), p(1, 1, 0)], 0.8),
    )
    base = np.array(to_rgb(colour))
    for corners, light in faces:
        shade = np.clip(base * light if light < 1 else base + (1 - base) * (light - 1), 0, 1)
        axes.add_patch(
            Polygon(
                corners,
                closed=True,
                facecolor=shade,
                edgecolor=EDGE,
                linewidth=0.6,
                alpha=alpha,
                zorder=zorder,
            )
        )


def kernel_glyph(source: Glyph, kernel: tuple[int, ...], in_shape: tuple[int, ...]) -> Glyph:
    """The window ``kernel`` drawn to scale inside ``source``, below its middle."""
    rows, cols = kernel[0], (kernel[1] if len(kernel) > 1 else 1)
    size_rows = in_shape[1] if len(in_shape) > 1 else 1
    size_cols = in_shape[2] if len(in_shape) > 2 else 1
    height = float(np.clip(source.height * rows / size_rows, 4.0, 0.7 * source.height))
    depth = float(np.clip(source.depth * cols / size_cols, 3.0, 0.8 * source.depth))
    width = max(3.0, 0.5 * source.width)
    box = Glyph(width, height, depth)
    # Centred on a point of the source's middle depth: the front face sits half the
    # window's depth in front of it (which leaves the box's centre y there too).
    x, box.y = source.point(0.25, 0.3, 0.5)
    box.x = x - width / 2 - SLANT_X * depth / 2
    return box


def unit_point(target: Glyph) -> tuple[float, float]:
    """Where a window's output lands in the next box."""
    return target.point(0.5, 0.72, 0.5)


def draw_cone(axes, window: Glyph, target: Glyph, colour: str) -> None:
    """The window's box and the lines from it to the one unit it computes."""
    draw_box(axes, window, colour, alpha=0.9, zorder=3)
    tip = unit_point(target)
    for corner in (window.point(1, 0, 0), window.point(1, 1, 0), window.point(1, 1, 1)):
        axes.plot(*zip(corner, tip, strict=True), color=colour, linewidth=0.7, zorder=4)
    axes.plot(*tip, "o", color=colour, markersize=2.5, zorder=4)


def draw_fan(axes, source: Glyph, target: Glyph, dense: bool) -> None:
    """Lines joining two boxes' facing edges: a reshape, or (crossed) a dense layer."""
    top_s, bottom_s = source.point(1, 1, 1), source.point(1, 0, 0)
    top_t, bottom_t = target.point(0, 1, 0), target.point(0, 0, 0)
    pairs = [(top_s, top_t), (bottom_s, bottom_t)]
    if dense:
        pairs += [(top_s, bottom_t), (bottom_s, top_t)]
    style = "-" if dense else "--"
    for start, end in pairs:
        axes.plot(*zip(start, end, strict=True), style, color="#8a8a8a", linewidth=0.6, zorder=0)


def draw_arrow(axes, start: tuple[float, float], end: tuple[float, float], **style) -> None:
    axes.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=9,
            shrinkA=0,
            shrinkB=0,
            color=style.pop("color", "#555555"),
            linewidth=0.9,
            **style,
        )
    )


def draw_arc(axes, start: tuple[float, float], end: tuple[float, float], apex: float) -> None:
    """A skip connection: a curve from ``start`` up to height ``apex`` and down to ``end``."""
    # A cubic Bezier with both inner control points at height c peaks at 0.75 c + 0.25 y.
    lift = (apex - 0.25 * (start[1] + end[1]) / 2) / 0.75
    path = DrawPath(
        [start, (start[0], lift), (end[0], lift), end],
        [DrawPath.MOVETO, DrawPath.CURVE4, DrawPath.CURVE4, DrawPath.CURVE4],
    )
    axes.add_patch(
        FancyArrowPatch(
            path=path, arrowstyle="-|>", mutation_scale=9, color="#6a51a3", linewidth=1.1, zorder=2
        )
    )
