"""What one unit sees, and how a pooling layer picks: the page's ``/api/field`` and
``/api/pooling``.

A unit's receptive field comes three ways: ``analytic``, from ``summary``'s
:class:`~cnnlab.inspect.ReceptiveField` (``interval``, not clipped); ``empirical``, from
:func:`~cnnlab.inspect.receptive_field_empirical` (the gradient of a copy of the model
whose gradients vanish nowhere; null for models of more than `EMPIRICAL_MACS`); and
``gradient``, where the gradient of that unit with
respect to the current input is non-zero in the model itself (a unit switched off by
ReLU has none: null).
"""

from __future__ import annotations

import numpy as np

from .._validation import received
from ..inspect import receptive_field_empirical
from ..inspect.tracing import Tracer, evaluating
from ..nn import MaxPool2d
from .images import grey_png
from .layers import planes

POOLING_SHOWN = 16  # rows and columns of a pooled map shown number by number
# the measured field runs a float64 copy of the model forward and back: for larger models
# (a ResNet-18 at 224x224 has 1.8 G MACs) that takes seconds, and it is left out (null)
EMPIRICAL_MACS = 500_000_000


def check_unit(session, layer: str, channel: int, row: int, col: int) -> tuple[int, ...]:
    """The unit's index in one example's output of ``layer``: ``(c, i, j)``, ``(c, j)`` for
    a signal, ``(c,)`` for a vector (then ``row`` and ``col`` are 0; see `planes`)."""
    shape = session.output_of(layer).shape[1:]
    view = planes(shape)
    unit = (channel, row, col)
    if not all(0 <= i < n for i, n in zip(unit, view, strict=True)):
        ranges = ", ".join(
            f"{name} in 0..{n - 1}" for name, n in zip(("channel", "row", "col"), view, strict=True)
        )
        raise ValueError(
            f"The unit must lie inside the output of layer '{layer}' ({ranges}). "
            f"{received(channel=channel, row=row, col=col)}"
        )
    return {1: (channel,), 2: (channel, col)}.get(len(shape), unit)


def _box(rows: tuple[int, int], cols: tuple[int, int]) -> dict:
    return {"top": int(rows[0]), "left": int(cols[0]), "bottom": int(rows[1]),
            "right": int(cols[1])}  # fmt: skip


def _rows_cols(intervals) -> tuple[tuple[int, int], tuple[int, int]]:
    """Per-axis ``(first, last)`` pairs as rows and columns (a signal's one row is 0)."""
    return ((0, 0), *intervals) if len(intervals) == 1 else tuple(intervals)


def field(session, layer: str, channel: int, row: int, col: int) -> dict:
    """The analytic, clipped, empirical and gradient boxes of one unit (see module notes)."""
    unit = check_unit(session, layer, channel, row, col)
    spatial = unit[1:] or None
    answer: dict = {"layer": layer, "unit": list(unit)}
    receptive = session.row(layer).receptive_field
    _, height, width = planes(session.input_shape)
    if receptive is not None:
        rows, cols = _rows_cols(receptive.interval(spatial))
        answer["analytic"] = _box(rows, cols)
        clipped = (max(rows[0], 0), min(rows[1], height - 1))
        answer["clipped"] = _box(clipped, (max(cols[0], 0), min(cols[1], width - 1)))
    else:
        answer["analytic"] = answer["clipped"] = None
    answer["empirical"] = None
    if session.table.total_macs <= EMPIRICAL_MACS:
        answer["empirical"] = session.cached(
            ("empirical", layer, spatial), lambda: _empirical(session, layer, spatial), True
        )
    grad = gradient(session, layer, unit).reshape(planes(session.input_shape))
    reached = np.nonzero(np.any(grad != 0, axis=0))
    answer["gradient"] = (
        _box((reached[0].min(), reached[0].max()), (reached[1].min(), reached[1].max()))
        if reached[0].size
        else None
    )
    return answer


def _empirical(session, layer: str, spatial) -> dict:
    measured = receptive_field_empirical(session.model, session.input_shape, layer, spatial)
    rows, cols = _rows_cols(list(zip(measured.first, measured.last, strict=True)))
    return _box(rows, cols)


def gradient(session, layer: str, unit: tuple[int, ...]) -> np.ndarray:
    """``d unit / d input`` for the current input, of the input's shape (cached per input)."""
    return session.cached(("gradient", layer, unit), lambda: _gradient(session, layer, unit))


def _gradient(session, layer: str, unit: tuple[int, ...]) -> np.ndarray:
    target = session.modules[layer]
    seed: dict[str, np.ndarray] = {}

    def add_seed(_, module, grad_out):
        if module is target and "unit" in seed:
            return grad_out + seed.pop("unit")  # once: the call whose output the page shows
        return None

    with session.lock:
        with evaluating(session.model, keep_grads=True):
            with Tracer(session.model, on_backward=add_seed) as tracer:
                y = session.model(session.x)
                output = tracer.output_of(target, layer)
                seed["unit"] = np.zeros_like(output)
                seed["unit"][(0, *unit)] = 1.0
                grad = session.model.backward(np.zeros_like(y))
    return np.asarray(grad[0])


def gradient_png(session, layer: str, channel: int, row: int, col: int) -> bytes:
    """``|d unit / d input|``, largest over the input's channels, black 0 and white the largest."""
    unit = check_unit(session, layer, channel, row, col)
    grad = gradient(session, layer, unit).reshape(planes(session.input_shape))
    size = np.abs(grad).max(axis=0)
    return grey_png(size, 0.0, float(size.max()) or 1.0)


def pooling(session, layer: str | None, channel: int, example: str | None) -> dict:
    """One pooling map, its windows and their choices, cropped to the top-left corner."""
    if example is not None:
        if example != "pool6x6":
            raise ValueError(f"`example` must be 'pool6x6'. {received(example=example)}")
        from .loading import POOL6X6

        module, plane = MaxPool2d(2), POOL6X6
        output = module(plane[None, None])[0, 0]
    else:
        module = session.row(layer).module
        if not hasattr(module, "window") or len(module.window.kernel_size) != 2:
            raise ValueError(
                f"Layer '{layer}' is a {type(module).__name__}; pooling is shown for "
                f"MaxPool2d and AvgPool2d layers. {received(layer=layer)}"
            )
        maps = session.inputs[layer][0]
        if not 0 <= channel < maps.shape[0]:
            raise ValueError(
                f"`channel` must be in 0..{maps.shape[0] - 1} for layer '{layer}'. "
                f"{received(channel=channel)}"
            )
        plane, output = maps[channel], session.output_of(layer)[0, channel]
    return _windows(module, np.asarray(plane), np.asarray(output))


def _windows(module, plane: np.ndarray, output: np.ndarray) -> dict:
    window = module.window
    (kh, kw), (sh, sw) = window.kernel_size, window.stride
    (ph, pw), (dh, dw) = window.padding, window.dilation
    height, width = plane.shape
    shown_h, shown_w = min(height, POOLING_SHOWN), min(width, POOLING_SHOWN)

    def fits(i: int, stride: int, pad: int, k: int, d: int, n: int, shown: int) -> bool:
        return n <= shown or i * stride - pad + (k - 1) * d <= shown - 1

    out_rows = [i for i in range(output.shape[0]) if fits(i, sh, ph, kh, dh, height, shown_h)]
    out_cols = [j for j in range(output.shape[1]) if fits(j, sw, pw, kw, dw, width, shown_w)]
    is_max = isinstance(module, MaxPool2d)
    windows = []
    for i in out_rows:
        for j in out_cols:
            top, left = i * sh - ph, j * sw - pw
            bottom, right = top + (kh - 1) * dh, left + (kw - 1) * dw
            argmax = None
            if is_max:
                rows = [r for r in range(top, bottom + 1, dh) if 0 <= r < height]
                cols = [c for c in range(left, right + 1, dw) if 0 <= c < width]
                values = plane[np.ix_(rows, cols)]
                r, c = np.unravel_index(int(np.argmax(values)), values.shape)
                argmax = [rows[r], cols[c]]
            windows.append({"out": [i, j], "top": top, "left": left, "bottom": bottom,
                            "right": right, "argmax": argmax})  # fmt: skip
    return {
        "kind": "max" if is_max else "avg",
        "kernel": [kh, kw], "stride": [sh, sw], "padding": [ph, pw], "dilation": [dh, dw],
        "input": plane[:shown_h, :shown_w].tolist(),
        "output": output[np.ix_(out_rows, out_cols)].tolist(),
        "windows": windows,
    }  # fmt: skip
