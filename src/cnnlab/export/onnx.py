"""``to_onnx``: a cnnlab network as an ONNX file, at opset 17, with an open batch axis.

Why opset 17: it came with ONNX 1.12 (2022), so it asks little of a runtime, and no
later opset changes what a float32 CNN computes. For the operators written here the
later versions only add element types (bfloat16, float8: Conv, MaxPool, Dropout at 22),
options cnnlab does not use (AveragePool's dilations at 19, Pad's wrap mode at 19), or
move an attribute into an input (ReduceMean's ``axes`` at 18). Opsets 13 to 21 can be
asked for (``opset=``), and the forms that differ are written in each one's way.

>>> import tempfile
>>> from cnnlab.models import lenet5
>>> path = to_onnx(lenet5(rng=0), Path(tempfile.mkdtemp()) / "lenet5.onnx", (1, 28, 28))
>>> path.name
'lenet5.onnx'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .._validation import check_shape, received
from ..nn import Module
from .graph import trace_graph
from .onnx_export import BATCH, INPUT, OUTPUT, write_nodes
from .onnx_import import load_onnx

__all__ = ["load_onnx", "onnx_model", "to_onnx"]

OPSET = 17
OPSETS = range(13, 22)  # the forms of the ops written here are known in these


def onnx_model(model: Module, input_shape: Sequence[int], opset: int = OPSET):
    """The ``onnx.ModelProto`` of ``model`` traced at ``(batch, *input_shape)``."""
    from onnx import TensorProto, helper, numpy_helper

    if opset not in OPSETS:
        raise ValueError(
            f"`opset` must be between {OPSETS.start} and {OPSETS.stop - 1}. {received(opset=opset)}"
        )
    input_shape = check_shape("input_shape", input_shape)
    graph = trace_graph(model, input_shape)
    writer = write_nodes(graph, opset)
    out_shape = graph.shapes[graph.output]
    proto_graph = helper.make_graph(
        writer.nodes,
        type(model).__name__,
        [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, [BATCH, *input_shape])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [BATCH, *out_shape[1:]])],
        [numpy_helper.from_array(value, name) for name, value in writer.initializers.items()],
    )
    proto = helper.make_model(
        proto_graph,
        opset_imports=[helper.make_opsetid("", opset)],
        producer_name="cnnlab",
        ir_version=8,  # ONNX 1.10 (2021) on: read by every runtime that knows opset 17
    )
    return proto


def to_onnx(
    model: Module, path: str | Path, input_shape: Sequence[int], opset: int = OPSET
) -> Path:
    """Write ``model`` as an ONNX file that ONNX Runtime (and ``load_onnx``) can run.

    Parameters
    ----------
    model : Module
        A cnnlab network; it runs once, in evaluation mode, to find its graph.
    path : str or Path
        The file to write (``model.onnx``).
    input_shape : tuple of int
        One example's shape without the batch axis, e.g. ``(1, 28, 28)``; the file
        takes any batch size at that shape.
    opset : int
        The ONNX opset (17; 13 to 21 allowed).

    Returns
    -------
    Path
        ``path``, checked by ``onnx.checker.check_model(full_check=True)``.

    Raises
    ------
    ValueError
        When the model uses layers or ops that have no ONNX form here (all are named).
    """
    import onnx

    proto = onnx_model(model, input_shape, opset)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(proto, str(path))
    onnx.checker.check_model(str(path), full_check=True)  # from the file: no second copy
    return path
