"""The network as the page lists and draws it, and one layer's maps and kernels as mosaics."""

from __future__ import annotations

import copy
import io

import numpy as np

from ..nn import AvgPool2d, Conv2d, MaxPool2d
from . import images

POOLS = (MaxPool2d, AvgPool2d)
SMALL_VALUES = 64 * 64  # numbers sent as JSON, at most, in all; larger arrays travel as PNG
KERNEL_GRID = 64  # at most this many rows (output channels) and columns (input channels)


def describe(session) -> list[dict]:
    """One entry per leaf layer, in forward order (see API.md, ``/api/model``)."""
    layers = []
    for row in session.rows.values():
        field = row.receptive_field
        maps = len(row.output_shape) >= 3  # (N, C, H, W), or a signal's (N, C, L): one row
        layers.append({
            "name": row.name,
            "kind": row.kind,
            "args": row.args,
            "output_shape": list(row.output_shape),
            "params": row.params,
            "macs": row.macs,
            "receptive_field": None if field is None else {
                "size": list(field.size), "jump": list(field.jump), "start": list(field.start)
            },
            "maps": maps,
            "kernels": isinstance(row.module, Conv2d),
            "pooling": isinstance(row.module, POOLS),
            "gradcam": len(row.output_shape) == 4 and np.ndim(session.output) == 2,
        })  # fmt: skip
    return layers


def planes(shape: tuple[int, ...]) -> tuple[int, int, int]:
    """One example's shape seen as maps ``(C, H, W)``: a signal ``(C, L)`` is one row
    ``(C, 1, L)``, a vector ``(F,)`` is ``(F, 1, 1)``.

    >>> planes((8, 100)), planes((10,))
    ((8, 1, 100), (10, 1, 1))
    """
    if len(shape) == 1:
        return (shape[0], 1, 1)
    if len(shape) == 2:
        return (shape[0], 1, shape[1])
    return (shape[0], shape[1], int(np.prod(shape[2:])))


def maps_layout(session, layer: str) -> dict:
    """The mosaic of ``layer``'s output for the current input (and what PNG it makes)."""
    return session.cached(("maps", layer), lambda: _maps(session, layer))[0]


def maps_png(session, layer: str) -> bytes:
    return session.cached(("maps", layer), lambda: _maps(session, layer))[1]


def _maps(session, layer: str) -> tuple[dict, bytes]:
    output = np.asarray(session.output_of(layer)[0], np.float32)
    maps = output.reshape(planes(output.shape))
    count, height, width = maps.shape
    vector = height == width == 1
    plan = images.layout(count, height, width, columns=count if vector else None)
    low, high = float(maps.min()), float(maps.max())
    answer = {
        "layer": layer, "channels": count, "height": height, "width": width,
        "columns": plan.columns, "tile": list(plan.tile), "gap": plan.gap,
        "min": low, "max": high,
    }  # fmt: skip
    if maps.size <= SMALL_VALUES:
        answer["values"] = maps.tolist()
    return answer, images.mosaic_png(maps, plan, low, high)


def kernels_layout(session, layer: str) -> dict:
    return session.cached(("kernels", layer), lambda: _kernels(session, layer), lasting=True)[0]


def kernels_png(session, layer: str) -> bytes:
    return session.cached(("kernels", layer), lambda: _kernels(session, layer), lasting=True)[1]


def _kernels(session, layer: str) -> tuple[dict, bytes]:
    module = session.row(layer).module
    if not isinstance(module, Conv2d):
        raise ValueError(
            f"Layer '{layer}' is a {type(module).__name__}; kernels belong to Conv2d layers."
        )
    weight = module.weight.data
    out_channels, in_channels, kh, kw = weight.shape
    shown = weight[:KERNEL_GRID, :KERNEL_GRID]
    rows, columns = shown.shape[:2]
    tiles = shown.reshape(rows * columns, kh, kw)
    plan = images.Layout(rows * columns, columns, (kh, kw))
    low, high = float(weight.min()), float(weight.max())
    answer = {
        "layer": layer, "out_channels": out_channels, "in_channels": in_channels,
        "rows": rows, "columns": columns, "tile": [kh, kw], "gap": plan.gap,
        "min": low, "max": high,
    }  # fmt: skip
    if shown.size <= SMALL_VALUES:
        answer["values"] = shown.tolist()
    return answer, images.mosaic_png(tiles, plan, low, high)


def schematic(session) -> tuple[dict, bytes]:
    """The ``cnnlab draw`` picture as PNG and each layer box's place in it (once a session).

    Drawn from a copy of the model, so that the other requests need not wait for
    matplotlib (1.3 s for a ResNeXt-50).
    """
    with session.drawing:  # one drawing at a time
        if ("schematic",) not in session.lasting:
            with session.lock:  # the copy only: a traced forward replaces module methods
                model = copy.deepcopy(session.model)
            drawn = _schematic(session, model)
            with session.lock:
                session.lasting[("schematic",)] = drawn
    return session.lasting[("schematic",)]


def _schematic(session, model) -> tuple[dict, bytes]:
    from ..viz import schematic_boxes
    from ..viz._layout import DPI

    figure, boxes = schematic_boxes(model, session.input_shape)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    width, height = (round(v) for v in figure.get_size_inches() * DPI)
    names = {}
    for name, module in model.named_modules():
        names.setdefault(id(module), name)
    regions = []
    for modules, (x0, y0, x1, y1) in boxes:
        drawn = [names[id(m)] for m in modules if names.get(id(m)) in session.rows]
        if drawn:
            regions.append({
                "layer": drawn[-1], "layers": drawn,
                "x0": round(float(x0), 1), "y0": round(float(y0), 1),
                "x1": round(float(x1), 1), "y1": round(float(y1), 1),
            })  # fmt: skip
    return {"width": width, "height": height, "regions": regions}, buffer.getvalue()
