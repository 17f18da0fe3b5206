"""The cells of a schematic: each box and each step gets room for its labels.

Every label is measured (in points, with the Agg renderer) before anything is placed,
so a box's column is as wide as its shape label and a step's gap as wide as its longest
label; labels in different cells then cannot overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.text import Text

from ._glyphs import Glyph
from ._plan import Step

STYLE = {
    "title": {"fontsize": 12, "fontweight": "bold"},
    "shape": {"fontsize": 8.5, "color": "#222222"},
    "op": {"fontsize": 8.5, "color": "#222222"},
    "kernel": {"fontsize": 8, "fontweight": "bold"},
    "block": {"fontsize": 7.5, "color": "#222222"},
    "arc": {"fontsize": 7.5, "color": "#6a51a3"},
}
PAD = 6.0  # around every label
MIN_GAP = 46.0  # between two boxes
ARROW = 14.0  # room for the arrows into and out of a block
MARGIN = 14.0
ARC_RISE = 16.0  # how far a skip arc climbs above the tallest box
LINE_GAP = 22.0  # between wrapped lines
DPI = 120  # labels are measured at the resolution the PNG is drawn at: text width
# does not scale exactly with it (the renderer snaps glyphs to pixels)


@dataclass
class Column:
    """One activation: its box and the label under it."""

    shape: tuple[int, ...]
    family: str
    label: str
    glyph: Glyph
    width: float = 0.0


@dataclass
class Gap:
    """One step between two activations, and the labels it needs room for."""

    step: Step
    op: str
    window: str
    block: str
    arc: str
    width: float = 0.0
    block_height: float = 0.0


class Measure:
    """Size in points of a label as the Agg renderer draws it."""

    def __init__(self, figure: Figure):
        self.figure = figure
        self.renderer = figure.canvas.get_renderer()

    def __call__(self, text: str, style: str) -> tuple[float, float]:
        if not text:
            return 0.0, 0.0
        artist = Text(0, 0, text, **STYLE[style])
        artist.set_figure(self.figure)
        box = artist.get_window_extent(self.renderer)
        return box.width * 72 / self.figure.dpi, box.height * 72 / self.figure.dpi


def _shape_text(shape: tuple[int, ...]) -> str:
    if len(shape) == 1:
        return str(shape[0])
    return f"{shape[0]}@" + "x".join(str(n) for n in shape[1:])


def columns(first_shape, steps: list[Step], measure: Measure) -> list[Column]:
    shapes = [(first_shape, "input")] + [(s.output_shape, s.family) for s in steps]
    columns = []
    for index, (shape, family) in enumerate(shapes):
        label = _shape_text(shape)
        if index == 0:
            label = f"input\n{label}"
        elif index == len(shapes) - 1:
            label = f"{label}\noutput"
        glyph = Glyph.for_shape(shape)
        width = max(glyph.span_x, measure(label, "shape")[0]) + PAD
        columns.append(Column(shape, family, label, glyph, width))
    return columns


def gap(step: Step, measure: Measure) -> Gap:
    block = "\n".join(s.one_line() for s in step.main)
    if step.branches:  # side by side: one line per branch
        block = "\n".join(
            f"branch {i + 1}: " + (" + ".join(s.one_line() for s in b) or "identity")
            for i, b in enumerate(step.branches)
        )
    skip = " + ".join(s.one_line() for s in step.shortcut) or "identity"
    gap = Gap(step, "\n".join(step.label()), step.window, block, "")
    if step.has_skip:
        gap.arc = f"skip: {skip}"
    needs = [
        MIN_GAP,
        measure(gap.op, "op")[0] + 2 * PAD,
        measure(gap.window, "kernel")[0] + 2 * PAD,
        measure(gap.arc, "arc")[0] + 2 * PAD,
    ]
    if block:
        block_width, block_height = measure(block, "block")
        needs.append(block_width + 2 * PAD + 2 * ARROW)
        gap.block_height = block_height + 2 * PAD
    gap.width = max(needs)
    return gap


def lines(columns: list[Column], gaps: list[Gap], max_width: float) -> list[tuple[int, int]]:
    """Split the chain into lines no wider than ``max_width`` (at least one step each);
    each new line starts again from the box that ended the previous one."""
    lines, first = [], 0
    width = MARGIN + columns[0].width
    for index, gap in enumerate(gaps):
        more = gap.width + columns[index + 1].width
        if index > first and width + more > max_width:
            lines.append((first, index))
            first, width = index, MARGIN + columns[index].width
        width += more
    lines.append((first, len(gaps)))
    return lines
