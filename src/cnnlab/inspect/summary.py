"""summary(): one row per layer with shapes, parameters, MACs and receptive field.

MACs (multiply-accumulates) are counted for the layers that multiply by weights, over
the whole batch: a convolution does ``C_in / groups * KH * KW`` per output element, a
dense layer ``in_features``; bias additions are not counted. Pooling, activations,
batch norm and dropout count 0. One MAC is two FLOPs.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import check_positive_int, check_shape, received
from ..nn import Conv1d, Conv2d, Linear, Module
from .receptive_field import ReceptiveField, layer_field, op_field
from .report import Summary
from .tracing import Call, OpCall, Tracer, check_model, evaluating


@dataclass(frozen=True)
class LayerRow:
    """One module of a summary; shapes include the batch axis."""

    name: str  # dotted path as in named_modules(): "3", "1.main.0"
    kind: str  # class name: "Conv2d"
    module: Module
    depth: int  # 0 for direct children of the model, +1 per nesting
    is_leaf: bool
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int  # parameters of this module and its children
    trainable_params: int
    macs: int  # multiply-accumulates of a leaf for the whole batch; 0 for containers
    receptive_field: ReceptiveField | None
    args: str = ""  # the module's short arguments: "1 -> 6, kernel_size=5, padding=2"


def summary(
    model: Module,
    input_shape: tuple[int, ...],
    batch_size: int = 1,
    spacing=None,
    dtype=np.float32,
    *,
    strict: bool = False,
) -> Summary:
    """Run ``model`` once on zeros and describe every layer, like Keras's ``summary()``.

    Parameters
    ----------
    model : Module
    input_shape : tuple of int
        One example's shape, without the batch axis: ``(C, H, W)`` or ``(C, L)``.
    batch_size : int
        Batch of the trial forward pass; shapes, MACs and memory are for this batch.
    spacing : float, tuple of float, or (spacing, unit), optional
        Distance between input samples, e.g. ``0.5``, ``(0.5, 0.25)`` per axis, or
        ``(0.1, "nm")``; receptive-field size and jump are then also given in that unit.
    dtype : numpy dtype
        Of the trial input; sets the activation memory.
    strict : bool, keyword-only
        Raise when a layer fails. By default the summary keeps the rows up to the
        failing layer and says in ``Summary.error`` what did not fit.

    Returns
    -------
    Summary
        ``print(s)`` gives the table, ``s.print()`` a coloured one; ``s.rows`` the data.

    Examples
    --------
    >>> from cnnlab.models import lenet5
    >>> s = summary(lenet5(rng=0), (1, 28, 28))
    >>> s.total_params, s.total_macs
    (61706, 416520)
    >>> row = s.rows[5]
    >>> row.kind, row.output_shape, row.receptive_field.size, row.receptive_field.jump
    ('MaxPool2d', (1, 16, 5, 5), (16, 16), (4, 4))
    """
    check_model(model)
    input_shape = check_shape("input_shape", input_shape)
    batch_size = check_positive_int("batch_size", batch_size)
    dtype = _check_float_dtype(dtype)
    spacing, unit = _parse_spacing(spacing, len(input_shape) - 1)
    x = np.zeros((batch_size, *input_shape), dtype=dtype)
    error = None
    with evaluating(model), Tracer(model) as tracer:
        try:
            model(x)
        except Exception:
            if strict or tracer.failure is None:
                raise
            failed = tracer.failure
            error = f"layer {failed.name or 'model'} {failed.module.short_repr()}: {failed.error}"
    fields, notes = _call_fields(tracer, x)
    single_layer = not any(True for _ in model.children())  # then the model is the row
    calls = [c for c in tracer.calls if c.output is not None and (c.name or single_layer)]
    rows = [_row(call, fields[id(call)]) for call in calls]
    for note in notes:
        warnings.warn(note, stacklevel=2)
    outputs = {id(call.output): call.output for call in calls}
    return Summary(
        rows=rows,
        input_shape=x.shape,
        total_params=sum(p.size for p in model.parameters()),
        trainable_params=sum(p.size for p in model.parameters() if _trainable(p)),
        total_macs=sum(row.macs for row in rows),
        activation_bytes=sum(a.nbytes for a in outputs.values()),
        error=error,
        warnings=notes,
        spacing=spacing,
        unit=unit,
        model_name=type(model).__name__,
        dtype=dtype.name,
    )


def _check_float_dtype(dtype) -> np.dtype:
    try:
        checked = np.dtype(dtype)
    except TypeError:
        checked = None
    if checked is None or not np.issubdtype(checked, np.floating):
        raise TypeError(f"`dtype` must be a floating-point type. {received(dtype=dtype)}")
    return checked


def _trainable(parameter) -> bool:
    return getattr(parameter, "requires_grad", True)


def _row(call: Call, field: ReceptiveField | None) -> LayerRow:
    module = call.module
    leaf = not any(True for _ in module.children())
    params = list(module.parameters())
    return LayerRow(
        name=call.name,
        kind=type(module).__name__,
        module=module,
        depth=max(call.depth, 0),
        is_leaf=leaf,
        input_shape=tuple(np.shape(call.input)),
        output_shape=tuple(np.shape(call.output)),
        params=sum(p.size for p in params),
        trainable_params=sum(p.size for p in params if _trainable(p)),
        macs=_macs(module, np.shape(call.output)) if leaf else 0,
        receptive_field=field,
        args=module.extra_repr() if leaf else "",
    )


def _macs(module: Module, output_shape: tuple[int, ...]) -> int:
    outputs = int(np.prod(output_shape))
    if isinstance(module, (Conv1d, Conv2d)):
        return outputs * module.in_channels // module.groups * int(np.prod(module.kernel_size))
    if isinstance(module, Linear):
        return outputs * module.in_features
    return 0


def _call_fields(tracer: Tracer, x: np.ndarray) -> tuple[dict[int, ReceptiveField | None], list]:
    """The receptive field of every finished call's output, following the arrays.

    Arrays are matched by identity (``Tracer`` keeps each alive). Module calls and op
    calls come in the order they finished, so a branch joined by ``ops.add`` or
    ``ops.concatenate`` gets the union of its paths' fields (:func:`op_field`), and a
    composed module's output is the array its last call made.
    """
    by_array = {id(x): ReceptiveField.of_input(x.ndim - 2) if x.ndim > 2 else None}
    by_call: dict[int, ReceptiveField | None] = {}
    notes = []
    names = {id(call.module): call.name for call in tracer.calls}
    for event in tracer.events:
        if isinstance(event, OpCall):
            known = [(by_array[id(a)], np.shape(a)) for a in event.inputs if id(a) in by_array]
            field, problem = op_field(event.name, known, np.shape(event.output))
            if problem:
                owner = f"{type(event.owner).__name__} '{names.get(id(event.owner), '')}'"
                notes.append(f"{owner}: {problem}.")
            by_array[id(event.output)] = field
            continue
        call = event
        field_in = by_array.get(id(call.input))
        if not any(True for _ in call.module.children()) and call.record is None:
            field = layer_field(call.module, field_in, np.shape(call.input), np.shape(call.output))
        else:
            field = by_array.get(id(call.output))
        by_array[id(call.output)] = field
        by_call[id(call)] = field
    return by_call, notes


def _parse_spacing(spacing, ndim: int) -> tuple[tuple[float, ...] | None, str]:
    """``spacing`` as one float per spatial axis, and its unit ('' when not given)."""
    if spacing is None or ndim < 1:
        return None, ""
    value, unit = spacing, ""
    if isinstance(spacing, (tuple, list)) and len(spacing) == 2 and isinstance(spacing[1], str):
        value, unit = spacing
    values = value if isinstance(value, (tuple, list)) else (value,) * ndim
    if len(values) != ndim or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v) and v > 0
        for v in values
    ):
        raise ValueError(
            f"`spacing` must be a positive number, or one per spatial axis ({ndim} here), "
            f"optionally with a unit: 0.5, {(0.5,) * ndim} or (0.1, 'nm'). "
            f"{received(spacing=spacing)}"
        )
    return tuple(float(v) for v in values), unit
