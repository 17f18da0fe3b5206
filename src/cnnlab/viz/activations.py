"""Activation maps: what every layer of a network makes of one input."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure, SubFigure

from .._validation import check_array, check_index, check_mapping, check_positive_int
from ._figure import new_figure, save_figure
from ._mosaic import colour_scale, mosaic

_TILE_INCHES = 1.0  # one feature map in the grid
_MAX_BARS = 64  # longer vectors are drawn as a strip


def activation_maps(
    activations: Mapping[str, np.ndarray],
    path: str | Path,
    *,
    sample: int = 0,
    max_channels: int = 32,
    columns: int = 8,
    title: str | None = None,
) -> Path:
    """Draw every layer's output for one input, one section per layer, in one tall figure.

    Parameters
    ----------
    activations : mapping of layer name to array
        Each ``(N, C, H, W)`` (a grid of the ``C`` feature maps), ``(N, C, L)`` (a
        ``C x L`` heat strip, or lines when ``C <= 4``) or ``(N, F)`` (bars, or a strip
        when ``F > 64``), as ``cnnlab.inspect.capture_activations`` returns them. Maps of
        ``1 x 1`` are drawn as a vector.
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    sample : int
        Which item of the batch to draw.
    max_channels : int
        Channels shown per layer; the title says when there are more.
    columns : int
        Feature maps per row of a layer's grid.
    title : str, optional
        A title over the figure.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> maps = {"conv": np.random.default_rng(0).normal(size=(1, 4, 8, 8)), "fc": np.ones((1, 3))}
    >>> activation_maps(maps, os.path.join(tempfile.mkdtemp(), "maps.png")).exists()
    True
    """
    layers = _checked(activations, sample)
    max_channels = check_positive_int("max_channels", max_channels)
    columns = check_positive_int("columns", columns)
    sizes = [_section_size(array, max_channels, columns) for array in layers.values()]
    width = max(w for w, _ in sizes)
    figure = new_figure(width, sum(h for _, h in sizes) + (0.4 if title else 0))
    if title:
        figure.suptitle(title, fontsize=13)
    sections = figure.subfigures(len(layers), 1, height_ratios=[h for _, h in sizes], squeeze=False)
    for section, (name, array), (used, _) in zip(
        sections[:, 0], layers.items(), sizes, strict=True
    ):
        _draw_layer(section, name, array, max_channels, columns, used / width)
    return save_figure(figure, path)


def activation_maps_per_layer(
    activations: Mapping[str, np.ndarray],
    folder: str | Path,
    *,
    sample: int = 0,
    max_channels: int = 32,
    columns: int = 8,
    suffix: str = ".png",
) -> list[Path]:
    """Write one figure per layer into ``folder``, named ``00_<layer>.png``, ``01_...``.

    Takes the same arrays as :func:`activation_maps`; returns the paths in layer order.

    Examples
    --------
    >>> import tempfile
    >>> maps = {"features.0": np.ones((1, 2, 4, 4)), "classifier": np.ones((1, 10))}
    >>> [p.name for p in activation_maps_per_layer(maps, tempfile.mkdtemp())]
    ['00_features.0.png', '01_classifier.png']
    """
    layers = _checked(activations, sample)
    max_channels = check_positive_int("max_channels", max_channels)
    columns = check_positive_int("columns", columns)
    paths = []
    for index, (name, array) in enumerate(layers.items()):
        figure = new_figure(*_section_size(array, max_channels, columns))
        _draw_layer(figure, name, array, max_channels, columns)
        safe = re.sub(r"[^\w.-]+", "_", name) or "layer"
        paths.append(save_figure(figure, Path(folder) / f"{index:02d}_{safe}{suffix}"))
    return paths


def _checked(activations: Mapping[str, np.ndarray], sample: int) -> dict[str, np.ndarray]:
    """One item of every layer's batch, as float: (C, H, W), (C, L) or (F,)."""
    activations = check_mapping("activations", activations, "a mapping of layer name to array")
    layers = {}
    for name, value in activations.items():
        array = check_array(f"activations[{name!r}]", value, ndim=(2, 3, 4), allow_complex=False)
        index = check_index("sample", sample, len(array), what=f"the batch of layer {name!r}")
        layers[str(name)] = np.asarray(array[index], dtype=np.float64)
    return layers


def _as_vector(array: np.ndarray) -> bool:
    return array.ndim == 1 or (array.ndim == 3 and array.shape[1] * array.shape[2] == 1)


def _section_size(array: np.ndarray, max_channels: int, columns: int) -> tuple[float, float]:
    """(width, height) in inches of one layer's section."""
    if _as_vector(array):
        return 8.0, 1.9
    if array.ndim == 2:
        return 8.0, 2.4
    shown = min(len(array), max_channels)
    across = min(columns, shown)
    rows = math.ceil(shown / across)
    return max(3.0, across * _TILE_INCHES + 1.3), rows * _TILE_INCHES + 0.7


def _draw_layer(
    figure: Figure | SubFigure,
    name: str,
    array: np.ndarray,
    max_channels: int,
    columns: int,
    used: float = 1.0,
) -> None:
    """Draw one layer into ``figure``, in the left ``used`` fraction of its width."""
    shape = "x".join(str(n) for n in array.shape)
    if used < 0.99:  # keep small grids at their size, on the left, with their colour bar
        axes = figure.add_subplot(figure.add_gridspec(1, 2, width_ratios=[used, 1 - used])[0])
    else:
        axes = figure.add_subplot()
    if _as_vector(array):
        by_channel = array.ndim == 3
        _draw_vector(figure, axes, array.reshape(-1), "channel" if by_channel else "feature")
        what = f"{len(array)} channels of 1x1" if by_channel else f"{array.size} values"
        axes.set_title(f"{name}: {what}", fontsize=10, loc="left")
        return
    channels = len(array)
    shown = array[:max_channels]
    note = f", first {len(shown)} of {channels} channels" if channels > len(shown) else ""
    axes.set_title(f"{name}: {shape}{note}", fontsize=10, loc="left")
    if array.ndim == 2 and channels <= 4:
        for index, line in enumerate(shown):
            axes.plot(line, linewidth=1.2, label=f"channel {index}")
        axes.set_xlabel("position")
        axes.legend(fontsize=8, loc="upper right")
        return
    if array.ndim == 2:
        scale = colour_scale(shown)
        image = axes.imshow(shown, aspect="auto", interpolation="nearest", **scale)
        axes.set_xlabel("position")
        axes.set_ylabel("channel")
    else:
        scale = colour_scale(shown)
        gap = max(1, shown.shape[1] // 10)
        image = axes.imshow(mosaic(shown, columns, gap), interpolation="nearest", **scale)
        axes.set_axis_off()
    figure.colorbar(image, ax=axes, shrink=0.9, pad=0.02)


def _draw_vector(figure: Figure | SubFigure, axes, vector: np.ndarray, xlabel: str) -> None:
    if vector.size > _MAX_BARS:
        image = axes.imshow(
            vector[None, :], aspect="auto", interpolation="nearest", **colour_scale(vector)
        )
        axes.set_yticks([])
        axes.set_xlabel(xlabel)
        figure.colorbar(image, ax=axes, shrink=0.9, pad=0.02)
        return
    colours = np.where(vector < 0, "tab:red", "tab:blue")
    axes.bar(np.arange(vector.size), vector, color=colours)
    axes.axhline(0, color="black", linewidth=0.6)
    axes.set_xlabel(xlabel)
    if vector.size <= 20:
        axes.set_xticks(np.arange(vector.size))
