"""draw(): the classic diagram of a convolutional network, as SVG or PNG.

Activations are boxes sized by their shape, each convolution and pooling window a small
box inside its input with lines to the unit it computes, dense layers bars joined by
crossing lines. Under every box its shape; under every arrow the kind of layer. Residual
blocks are boxes listing their main path's layers, with the skip connection (and what
runs on it, such as a strided 1x1 downsample) as an arc over them; concatenated
branches are boxes with a line per branch.

Layout is done in points (1/72 inch) with every label measured first, so each label
gets a cell of its own and no two overlap, however deep the network.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .._validation import check_positive_float
from . import _layout as layout
from ._figure import new_figure, save_figure
from ._glyphs import (
    FACE,
    KERNEL,
    Glyph,
    draw_arc,
    draw_arrow,
    draw_box,
    draw_cone,
    draw_fan,
    kernel_glyph,
    unit_point,
)
from ._layout import ARC_RISE, ARROW, DPI, LINE_GAP, MARGIN, PAD, STYLE, Gap, Measure
from ._plan import plan


def draw(
    model,
    input_shape: tuple[int, ...],
    path: str | Path = "net.svg",
    *,
    title: str | None = None,
    max_width: float = 1300.0,
) -> Path:
    """Draw the schematic of ``model`` and save it (SVG, PNG, PDF, ... by suffix).

    Parameters
    ----------
    model : Module
        Any cnnlab network; its shapes come from ``cnnlab.inspect.summary``.
    input_shape : tuple of int
        One example's shape, without the batch axis, e.g. ``(1, 28, 28)``.
    path : str or Path
        Where to save. SVG keeps the labels as text.
    title : str, optional
        A heading over the diagram.
    max_width : float
        Width in points (1/72 inch) after which the diagram continues on a new line.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> from cnnlab.models import lenet5
    >>> out = draw(lenet5(rng=0), (1, 28, 28), os.path.join(tempfile.mkdtemp(), "lenet.svg"))
    >>> "max pool" in out.read_text()
    True
    """
    figure = schematic_figure(model, input_shape, title=title, max_width=max_width)
    with rc_context({"svg.fonttype": "none"}):  # labels stay text in an SVG
        return save_figure(figure, path, dpi=DPI)


def schematic_figure(
    model, input_shape: tuple[int, ...], *, title: str | None = None, max_width: float = 1300.0
) -> Figure:
    """The figure :func:`draw` saves, for showing in a notebook or drawing more on."""
    return _schematic(model, input_shape, title, max_width)[0]


def schematic_boxes(
    model, input_shape: tuple[int, ...], *, title: str | None = None, max_width: float = 1300.0
) -> tuple[Figure, list[tuple[list, tuple[float, float, float, float]]]]:
    """The schematic's figure, and where each drawn activation box lies in its PNG.

    Returns the figure (save it with ``dpi=DPI``) and, for every box but the input's, the
    layers drawn as the step that makes it (a conv and the ReLU after it, a whole residual
    block) with the box's ``(x0, y0, x1, y1)`` in PNG pixels, origin top-left. A box that
    starts a wrapped line (repeated from the line above) comes twice.

    >>> from cnnlab.models import lenet5
    >>> figure, boxes = schematic_boxes(lenet5(rng=0), (1, 28, 28))
    >>> [type(m).__name__ for m in boxes[0][0]], len(boxes)
    (['Conv2d', 'ReLU'], 8)
    """
    figure, steps, drawn = _schematic(model, input_shape, title, max_width)
    scale = DPI / 72
    boxes = [
        (steps[index - 1].modules, (x0 * scale, -y1 * scale, x1 * scale, -y0 * scale))
        for index, (x0, y0, x1, y1) in drawn
        if index > 0
    ]
    return figure, boxes


def _schematic(model, input_shape, title, max_width) -> tuple[Figure, list, list]:
    """The figure, its steps, and each drawn box as ``(column, (x0, y0, x1, y1))`` in points."""
    max_width = check_positive_float("max_width", max_width)
    first_shape, steps = plan(model, input_shape)
    figure = new_figure(1.0, 1.0)
    figure.set_layout_engine("none")
    figure.set_dpi(DPI)
    measure = Measure(figure)
    columns = layout.columns(first_shape, steps, measure)
    gaps = [layout.gap(step, measure) for step in steps]
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_axis_off()
    y, right = -MARGIN, 0.0
    if title:
        axes.text(MARGIN, y, title, va="top", **STYLE["title"])
        title_width, title_height = measure(title, "title")
        y, right = y - title_height - 2 * PAD, MARGIN + title_width
    drawn: list[tuple[int, tuple[float, float, float, float]]] = []
    for first, last in layout.lines(columns, gaps, max_width):
        y, line_right = _draw_line(axes, measure, columns, gaps, first, last, y)
        right = max(right, line_right)
        for index in range(first, last + 1):
            glyph = columns[index].glyph
            drawn.append((index, (glyph.x, glyph.bottom, glyph.x + glyph.span_x, glyph.top)))
    width, height = right + MARGIN, -y + MARGIN - LINE_GAP
    figure.set_size_inches(width / 72, height / 72)
    axes.set_xlim(0, width)
    axes.set_ylim(-height, 0)
    return figure, steps, drawn


def _place(columns, gaps, first: int, last: int, centre: float) -> tuple[list, list, float]:
    """Put the boxes of one line in place; the left edge of each gap, and the line's end."""
    x, gap_left = MARGIN, []
    for index in range(first, last + 1):
        column = columns[index]
        column.glyph.x = x + (column.width - column.glyph.span_x) / 2
        column.glyph.y = centre
        x += column.width
        if index < last:
            gap_left.append(x)
            x += gaps[index].width
    windows = [
        kernel_glyph(columns[i].glyph, gaps[i].step.kernel, gaps[i].step.input_shape)
        if gaps[i].step.kernel
        else None
        for i in range(first, last)
    ]
    return gap_left, windows, x


def _window_label_y(window: Glyph, target: Glyph) -> float:
    return max(window.top, unit_point(target)[1]) + 3.0


def _draw_line(axes, measure, columns, gaps, first: int, last: int, y: float):
    """Draw columns ``first..last`` and the gaps between them below height ``y``."""
    # Pass 1, centred on 0: how far up and down the row of boxes reaches.
    _, windows, _ = _place(columns, gaps, first, last, 0.0)
    tops = [columns[i].glyph.top for i in range(first, last + 1)]
    bottoms = [columns[i].glyph.bottom for i in range(first, last + 1)]
    for offset, index in enumerate(range(first, last)):
        if windows[offset] is not None:
            label_y = _window_label_y(windows[offset], columns[index + 1].glyph)
            tops.append(label_y + measure(gaps[index].window, "kernel")[1])
        if gaps[index].block:
            tops.append(gaps[index].block_height / 2)
            bottoms.append(-gaps[index].block_height / 2)
    top, bottom = max(tops), min(bottoms)
    has_arc = any(gaps[i].arc for i in range(first, last))
    arc_room = ARC_RISE + max(measure(gaps[i].arc, "arc")[1] for i in range(first, last)) + PAD
    centre = y - (arc_room if has_arc else 0.0) - top
    # Pass 2: draw.
    gap_left, windows, right = _place(columns, gaps, first, last, centre)
    for index in range(first, last + 1):
        column = columns[index]
        ghost = index == first and first > 0  # repeated from the line above
        draw_box(axes, column.glyph, FACE[column.family], alpha=0.35 if ghost else 1.0)
    label_top = centre + bottom - PAD
    for index in range(first, last + 1):
        glyph = columns[index].glyph
        axes.text(
            glyph.x + glyph.span_x / 2,
            label_top,
            columns[index].label,
            ha="center",
            va="top",
            **STYLE["shape"],
        )
    label_height = max(measure(columns[i].label, "shape")[1] for i in range(first, last + 1))
    arrow_y = label_top - label_height - PAD
    op_height = 0.0
    for offset, index in enumerate(range(first, last)):
        gap, left = gaps[index], gap_left[offset]
        middle = left + gap.width / 2
        source, target = columns[index].glyph, columns[index + 1].glyph
        _draw_gap(axes, gap, windows[offset], source, target, left, centre + top)
        draw_arrow(axes, (left + 3, arrow_y), (left + gap.width - 3, arrow_y))
        axes.text(middle, arrow_y - 4, gap.op, ha="center", va="top", **STYLE["op"])
        op_height = max(op_height, measure(gap.op, "op")[1])
    return arrow_y - 4 - op_height - LINE_GAP, right


def _draw_gap(axes, gap: Gap, window, source: Glyph, target: Glyph, left: float, row_top):
    """What happens between two boxes: a window and its cone, lines, or a block."""
    step, middle = gap.step, left + gap.width / 2
    if window is not None:
        colour = KERNEL[step.family]
        draw_cone(axes, window, target, colour)
        axes.text(
            middle,
            _window_label_y(window, target),
            gap.window,
            ha="center",
            va="bottom",
            color=colour,
            **STYLE["kernel"],
        )
    elif step.family in ("flatten", "dense", "pool"):
        draw_fan(axes, source, target, dense=step.family == "dense")
    elif step.family == "block":
        _draw_block(axes, gap, source, target, left, row_top)
    else:
        draw_arrow(axes, source.point(1, 0.5, 0.5), target.point(0, 0.5, 0))


def _draw_block(axes, gap: Gap, source: Glyph, target: Glyph, left: float, row_top: float):
    middle, centre = left + gap.width / 2, source.y
    text = axes.text(middle, centre, gap.block, ha="center", va="center", **STYLE["block"])
    text.set_zorder(6)
    half_width, half_height = (gap.width - 2 * ARROW) / 2, gap.block_height / 2
    axes.add_patch(
        FancyBboxPatch(
            (middle - half_width, centre - half_height),
            2 * half_width,
            2 * half_height,
            boxstyle="round,pad=0,rounding_size=4",
            facecolor=FACE["block"],
            edgecolor="#6a51a3",
            linewidth=0.8,
            zorder=5,
        )
    )
    draw_arrow(axes, (source.point(1, 0.5, 0.5)[0], centre), (middle - half_width, centre))
    draw_arrow(axes, (middle + half_width, centre), (target.point(0, 0.5, 0)[0], centre))
    if not gap.arc:  # branches side by side: no skip connection
        return
    apex = row_top + ARC_RISE
    start = (source.x + source.span_x / 2, source.top)
    end = (target.x + target.span_x / 2, target.top)
    draw_arc(axes, start, end, apex)
    axes.text(middle, apex + 2, gap.arc, ha="center", va="bottom", **STYLE["arc"])
