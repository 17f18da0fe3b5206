"""OnnxModel: the cnnlab network that :func:`~cnnlab.export.load_onnx` builds.

Its layers are real cnnlab layers (``Conv2d``, ``BatchNorm2d``, ``Linear``, ...), kept as
attributes in the order the ONNX graph runs them, so ``print(model)``, ``summary``,
``state_dict`` and training see an ordinary network. Its ``forward`` walks the graph's
steps: a step calls one of the layers or one of :mod:`cnnlab.nn.ops` (``add``,
``concatenate``, ``flatten``, ...) and names its output as the ONNX graph does, so that a
later step finds it by that name. Being composed, the model gets its backward from the
record of that walk (:mod:`cnnlab.nn.recording`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..nn import Module, ops
from .onnx_ops import matmul


@dataclass
class Step:
    """One node of the graph: a layer call (``layer``) or an op call (``op``)."""

    output: str  # the ONNX name of the value it makes
    inputs: tuple[str, ...]  # ONNX names of the values it reads (graph values or constants)
    layer: str = ""  # the model's attribute name of the layer it calls
    op: str = ""  # or the op: "add", "concatenate", "flatten", "reshape", "mean", ...
    options: dict = field(default_factory=dict)  # the op's other arguments ({"axis": 1})


def _flatten(x: np.ndarray, axis: int) -> np.ndarray:
    """ONNX's Flatten: ``(d0, ..., d_axis-1) x (d_axis, ...)`` as a 2-D array."""
    axis = axis + x.ndim if axis < 0 else axis
    if axis == 1:
        return ops.flatten(x, 1)
    return ops.reshape(x, (math.prod(x.shape[:axis]), -1))


def _reshape(x: np.ndarray, shape: tuple[int, ...], allowzero: bool) -> np.ndarray:
    """ONNX's Reshape: a 0 in ``shape`` copies that axis of ``x`` (unless ``allowzero``)."""
    if not allowzero:
        shape = tuple(x.shape[i] if n == 0 else n for i, n in enumerate(shape))
    return ops.reshape(x, shape)


OPS = {
    "add": lambda args: ops.add(*args),
    "subtract": lambda args: ops.subtract(*args),
    "multiply": lambda args: ops.multiply(*args),
    "concatenate": lambda args, axis: ops.concatenate(list(args), axis=axis),
    "flatten": lambda args, axis: _flatten(args[0], axis),
    "reshape": lambda args, shape, allowzero: _reshape(args[0], shape, allowzero),
    "matmul": lambda args: matmul(*args),
    "mean": lambda args, axis, keepdims: ops.mean(args[0], axis, keepdims=keepdims),
    "sum": lambda args, axis, keepdims: ops.sum(args[0], axis, keepdims=keepdims),
}


class OnnxModel(Module):
    """A network read from an ONNX file: cnnlab layers called in the graph's order.

    Parameters
    ----------
    layers : dict of str to Module
        The layers by attribute name, in the order the steps first call them.
    steps : list of Step
    input_name, output_name : str
        The ONNX names of the graph's input and output.
    constants : dict of str to ndarray
        Values the steps read that are not computed (an added constant, for instance).
    input_shape : tuple of int or None
        One example's shape from the graph's input, without the batch axis (None when
        the file leaves a spatial axis open).
    source : str
        Where the graph came from (the file's path).
    """

    OWN_ATTRIBUTES = (
        "training", "steps", "input_name", "output_name", "constants", "input_shape", "source",
    )  # fmt: skip

    def __init__(
        self,
        layers: dict[str, Module],
        steps: list[Step],
        input_name: str,
        output_name: str,
        constants: dict[str, np.ndarray],
        input_shape: tuple[int, ...] | None,
        source: str = "",
    ):
        super().__init__()
        for name, layer in layers.items():
            setattr(self, name, layer)
        self.steps = list(steps)
        self.input_name, self.output_name = input_name, output_name
        self.constants = dict(constants)
        self.input_shape = input_shape
        self.source = source

    def forward(self, x: np.ndarray) -> np.ndarray:
        values = {self.input_name: x}
        for step in self.steps:
            args = [values[n] if n in values else self.constants[n] for n in step.inputs]
            if step.layer:
                values[step.output] = getattr(self, step.layer)(args[0])
            else:
                values[step.output] = OPS[step.op](args, **step.options)
        return values[self.output_name]
