"""The learned kernels of a convolution layer, drawn as a grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._validation import check_array, check_positive_int, received
from ._figure import new_figure, save_figure
from ._mosaic import colour_scale, mosaic


def conv_kernels(
    weight: np.ndarray,
    path: str | Path,
    *,
    rgb: bool | None = None,
    max_filters: int = 32,
    max_inputs: int = 16,
    columns: int = 8,
    title: str | None = None,
) -> Path:
    """Draw a convolution's weight: every output channel's kernels, in one grid.

    With 3 input channels (the first layer of a colour network) each output channel's
    ``3 x KH x KW`` kernel is drawn as a small colour picture, scaled on its own to
    [0, 1] (the way AlexNet's first-layer filters are shown). Otherwise each
    ``KH x KW`` kernel is a heat map on one diverging scale centred on zero: one row per
    output channel, one column per input channel (or a plain grid with one input channel).

    Parameters
    ----------
    weight : ndarray, shape (C_out, C_in/groups, KH, KW) or (C_out, C_in/groups, K)
        A ``Conv2d`` (or ``Conv1d``) weight, e.g. ``model[0].weight.data``.
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    rgb : bool, optional
        Draw in colour; by default when there are exactly 3 input channels.
    max_filters, max_inputs : int
        How many output and input channels to draw at most; the title says when more exist.
    columns : int
        Kernels per row when each output channel is one picture.
    title : str, optional
        Replaces the title that states the weight's shape.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> weight = np.random.default_rng(0).normal(size=(8, 3, 5, 5))
    >>> conv_kernels(weight, os.path.join(tempfile.mkdtemp(), "kernels.png")).exists()
    True
    """
    weight = check_array("weight", weight, ndim=(3, 4), allow_complex=False, finite=True)
    weight = weight.astype(np.float64)
    heading = title or _heading(weight, max_filters, max_inputs)
    if weight.ndim == 3:  # a Conv1d weight: kernels of one row
        weight = weight[:, :, None, :]
    max_filters = check_positive_int("max_filters", max_filters)
    max_inputs = check_positive_int("max_inputs", max_inputs)
    columns = check_positive_int("columns", columns)
    out_channels, in_channels, height, width = weight.shape
    if rgb is None:
        rgb = in_channels == 3
    elif rgb and in_channels != 3:
        raise ValueError(
            "`rgb=True` needs a weight with 3 input channels, shape (C_out, 3, KH, KW). "
            + received(weight=weight)
        )
    shown = weight[:max_filters] if rgb else weight[:max_filters, :max_inputs]
    if rgb:
        return _colour_grid(shown, path, columns, heading)
    return _signed_grid(shown, path, columns, heading)


def _heading(weight: np.ndarray, max_filters: int, max_inputs: int) -> str:
    shape = "x".join(str(n) for n in weight.shape[1:])
    cut = [
        f"first {part} of {whole} {what}"
        for part, whole, what in zip(
            (max_filters, max_inputs), weight.shape[:2], ("outputs", "inputs"), strict=True
        )
        if part < whole and not (what == "inputs" and whole == 3)
    ]
    return f"{weight.shape[0]} kernels of {shape}" + (f" ({', '.join(cut)})" if cut else "")


def _inches_per_pixel(height: int, width: int) -> float:
    """Small kernels big enough to see, large ones not huge."""
    longest = max(height, width)
    return float(np.clip(0.12 * longest, 0.4, 1.0)) / longest


def _colour_grid(shown: np.ndarray, path: str | Path, columns: int, heading: str) -> Path:
    low = shown.min(axis=(1, 2, 3), keepdims=True)
    high = shown.max(axis=(1, 2, 3), keepdims=True)
    scaled = (shown - low) / np.where(high > low, high - low, 1.0)
    tiles = scaled.transpose(0, 2, 3, 1)  # (C_out, KH, KW, 3)
    grid = mosaic(tiles, columns, max(1, tiles.shape[1] // 5), fill=1.0)
    inches = _inches_per_pixel(*tiles.shape[1:3])
    figure = new_figure(max(3.0, grid.shape[1] * inches + 0.4), grid.shape[0] * inches + 0.6)
    axes = figure.add_subplot()
    axes.imshow(grid, interpolation="nearest")
    axes.set_axis_off()
    axes.set_title(f"{heading}\nin colour, each scaled to [0, 1]", fontsize=10)
    return save_figure(figure, path)


def _signed_grid(shown: np.ndarray, path: str | Path, columns: int, heading: str) -> Path:
    out_channels, in_channels, height, width = shown.shape
    across = in_channels if in_channels > 1 else min(columns, out_channels)
    tiles = shown.reshape(-1, height, width)  # output channel by output channel
    gap = max(1, max(height, width) // 5)
    grid = mosaic(tiles, across, gap)
    inches = _inches_per_pixel(height, width)
    figure_height = grid.shape[0] * inches + 1.0
    figure = new_figure(max(3.5, grid.shape[1] * inches + 1.6), figure_height)
    axes = figure.add_subplot()
    image = axes.imshow(grid, interpolation="nearest", **colour_scale(shown))
    if in_channels > 1:
        axes.set_xticks(np.arange(in_channels) * (width + gap) + (width - 1) / 2)
        axes.set_xticklabels(range(in_channels), fontsize=7)
        axes.set_yticks(np.arange(out_channels) * (height + gap) + (height - 1) / 2)
        axes.set_yticklabels(range(out_channels), fontsize=7)
        axes.set_xlabel("input channel")
        axes.set_ylabel("output channel")
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
    else:
        axes.set_axis_off()
    axes.set_title(heading, fontsize=10)
    figure.colorbar(image, ax=axes, shrink=min(0.8, 4.0 / figure_height), pad=0.02)
    return save_figure(figure, path)
