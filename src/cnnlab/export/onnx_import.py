"""``load_onnx(path)``: a cnnlab network built from an ONNX file of a CNN.

The graph's nodes become cnnlab layers (Conv -> ``Conv2d``, BatchNormalization ->
``BatchNorm2d``, Gemm -> ``Linear``, ...; :mod:`cnnlab.export.onnx_nodes` has one
converter per operator) and op calls (Add -> ``ops.add``, Concat -> ``ops.concatenate``),
gathered in an :class:`~cnnlab.export.onnx_model.OnnxModel`. The initializers become
the layers' parameters and buffers, in their own dtype (float32 stays float32).

A file that uses any other operator is refused before anything is built, with the list
of every operator it uses that cnnlab lacks. Layers are named after the scope the
exporter wrote: torch's ``/layer1/layer1.0/conv1/Conv`` (or the weight
``layer1.0.conv1.weight``) becomes the attribute ``layer1_0_conv1``; a bare number, as a
``Sequential``'s ``/0/Conv``, is prefixed with the layer's kind: ``conv2d_0``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from .._validation import received
from ..nn import Linear, Module
from .onnx_model import OnnxModel, Step
from .onnx_nodes import CONVERTERS

CONSTANT_OPS = ("Constant",)


def load_onnx(path: str | Path) -> OnnxModel:
    """Build a cnnlab network from the ONNX file at ``path``.

    The model comes back in evaluation mode, as the file describes inference: batch
    norms use their running statistics and dropout passes its input through. Call
    ``model.train()`` to train it further.

    Parameters
    ----------
    path : str or Path
        An ``.onnx`` file whose graph is made of Conv, BatchNormalization, Relu,
        LeakyRelu, Sigmoid, Tanh, Clip, Softmax, MaxPool, AveragePool,
        GlobalAveragePool, ReduceMean, Flatten, Reshape, Gemm, MatMul, Add, Concat,
        Identity and Dropout nodes, with one input and one output.

    Returns
    -------
    OnnxModel
        ``model.input_shape`` is one example's shape from the graph's input.

    Raises
    ------
    ValueError
        For a file that is not ONNX, or that uses an operator (or a form of one) that
        cnnlab cannot build; the message lists every unsupported operator.

    Examples
    --------
    >>> import tempfile, cnnlab
    >>> from cnnlab.models import lenet5
    >>> path = Path(tempfile.mkdtemp()) / "lenet5.onnx"
    >>> _ = cnnlab.export.to_onnx(lenet5(rng=0), path, (1, 28, 28))
    >>> model = load_onnx(path)
    >>> model.input_shape, model(np.zeros((2, 1, 28, 28), np.float32)).shape
    ((1, 28, 28), (2, 10))
    """
    import onnx

    path = Path(path)
    try:
        proto = onnx.load(str(path))
    except FileNotFoundError:
        message = f"There is no ONNX file at this path. {received(path=str(path))}"
        raise ValueError(message) from None
    except Exception as error:  # protobuf's DecodeError, or an error of the external data
        raise ValueError(
            f"The file could not be read as ONNX ({error}). {received(path=str(path))}"
        ) from None
    return build_model(proto, str(path))


def build_model(proto, source: str = "the model") -> OnnxModel:
    """The :class:`OnnxModel` of an ``onnx.ModelProto`` (``load_onnx`` without the file)."""
    import onnx

    graph = proto.graph
    check_operators(graph, source)
    opset = next(
        (entry.version for entry in proto.opset_import if entry.domain in ("", "ai.onnx")), 1
    )
    try:
        inferred = onnx.shape_inference.infer_shapes(_without_data(proto)).graph
    except Exception:  # shapes only help (ranks, auto_pad): go on without them
        inferred = graph
    builder = _Builder(graph, inferred, opset)
    for node in graph.node:
        builder.convert(node)
    return builder.finish(source)


def _without_data(proto):
    """A copy of ``proto`` whose large initializers keep their shapes but not their numbers.

    Shape inference needs only the shapes of weights (and the values of small constants,
    such as a Reshape's shape): on VGG-16 with its 528 MB of weights it took 9 s, on
    this copy milliseconds.
    """
    from onnx import TensorProto, helper

    def light(tensor):
        if math.prod(tensor.dims) <= 1024:
            return tensor
        return TensorProto(name=tensor.name, data_type=tensor.data_type, dims=tensor.dims)

    graph = proto.graph
    copy = helper.make_graph(
        graph.node, graph.name, graph.input, graph.output,
        [light(t) for t in graph.initializer], value_info=graph.value_info,
    )  # fmt: skip
    return helper.make_model(copy, opset_imports=proto.opset_import, ir_version=proto.ir_version)


def check_operators(graph, source: str) -> None:
    """Refuse a graph with operators cnnlab lacks, naming every one of them."""
    missing = sorted(
        {
            node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
            for node in graph.node
            if node.domain not in ("", "ai.onnx")
            or (node.op_type not in CONVERTERS and node.op_type not in CONSTANT_OPS)
        }
    )
    if missing:
        raise ValueError(
            f"The ONNX graph uses operators that cnnlab cannot build: {', '.join(missing)}. "
            f"cnnlab reads CNNs made of {', '.join(sorted(CONVERTERS))}. "
            f"{received(model=source)}"
        )


def _shape(value_info) -> tuple[int | None, ...]:
    dims = value_info.type.tensor_type.shape.dim
    return tuple(d.dim_value if d.HasField("dim_value") else None for d in dims)


class _Builder:
    """Collects the layers, steps and constants while the nodes are converted in order."""

    def __init__(self, graph, inferred, opset: int):
        from onnx import numpy_helper

        self.opset = opset
        # copies: to_array gives read-only views of the file's bytes, and weights train
        self.constants = {t.name: np.array(numpy_helper.to_array(t)) for t in graph.initializer}
        inputs = [v for v in graph.input if v.name not in self.constants]
        if len(inputs) != 1 or len(graph.output) != 1:
            raise ValueError(
                "cnnlab builds networks with one input and one output. Received: a graph "
                f"with inputs {[v.name for v in inputs]} and outputs "
                f"{[v.name for v in graph.output]}."
            )
        self.input, self.output = inputs[0], graph.output[0].name
        known = [*inferred.value_info, *inferred.input, *inferred.output]
        self.shapes = {v.name: _shape(v) for v in known}
        self.uses = Counter(name for node in graph.node for name in node.input)
        self.uses.update([self.output])
        self.aliases: dict[str, str] = {}
        self.layers: dict[str, Module] = {}
        self.steps: list[Step] = []
        self.linear_of: dict[str, Linear] = {}  # MatMul outputs, for a bias added next

    # -- what converters ask ------------------------------------------------------------
    def shape(self, name: str) -> tuple[int | None, ...]:
        return self.shapes.get(self.resolve(name), ())

    def rank(self, name: str) -> int:
        return len(self.shape(name)) or 4

    def resolve(self, name: str) -> str:
        while name in self.aliases:
            name = self.aliases[name]
        return name

    def is_value(self, name: str) -> bool:
        """Whether ``name`` is computed from the input (not a constant)."""
        return self.resolve(name) not in self.constants

    def constant(self, node, index: int, optional: bool = False) -> np.ndarray | None:
        """Input ``index`` of ``node``, which must be an initializer or a Constant."""
        name = node.input[index] if index < len(node.input) else ""
        if not name:
            if optional:
                return None
            raise self.unsupported(node, f"no input {index}")
        value = self.constants.get(self.resolve(name))
        if value is None:
            raise self.unsupported(node, f"a computed (not constant) input {index} ({name!r})")
        return value

    def unsupported(self, node, what: str) -> ValueError:
        which = f"Node {node.name!r} ({node.op_type})" if node.name else f"A {node.op_type} node"
        return ValueError(
            f"{which} has {what}, which cnnlab cannot build. "
            f"{received(inputs=list(node.input), outputs=list(node.output))}"
        )

    def alias(self, name: str, same_as: str) -> None:
        if self.resolve(same_as) in self.constants:
            self.constants[name] = self.constants[self.resolve(same_as)]
        else:
            self.aliases[name] = same_as

    def add_layer(self, node, layer: Module, reads: str = "", before: Module | None = None) -> str:
        """Call ``layer`` on the node's first input (or on ``reads``); return the output's
        name: the node's, or, for the padding ``before`` a layer, a name of its own."""
        suffix = "pad" if before is not None else ""
        name = self._layer_name(node, type(before or layer).__name__.lower(), suffix)
        self.layers[name] = layer
        output = f"{node.output[0]}:{suffix}" if suffix else node.output[0]
        self.steps.append(Step(output, (reads or self.resolve(node.input[0]),), layer=name))
        if isinstance(layer, Linear) and node.op_type == "MatMul":
            self.linear_of[output] = layer
        return output

    def add_op(self, node, op: str, **options) -> None:
        self.steps.append(Step(node.output[0], self._inputs(node), op=op, options=options))

    def bias_for(self, node) -> tuple[Linear | None, np.ndarray | None]:
        """The Linear of a MatMul that this Add only adds a vector to, and the vector."""
        for mine, other in ((0, 1), (1, 0)):
            linear = self.linear_of.get(self.resolve(node.input[mine]))
            constant = self.constants.get(self.resolve(node.input[other]))
            if (
                linear is not None
                and linear.bias is None
                and constant is not None
                and constant.size == linear.out_features
                and self.uses[node.input[mine]] == 1
            ):
                return linear, constant
        return None, None

    # -- the walk -----------------------------------------------------------------------
    def convert(self, node) -> None:
        import onnx
        from onnx import helper, numpy_helper

        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        for a in node.attribute:
            if a.type == onnx.AttributeProto.FLOAT:  # float32: 1e-5 reads as 9.99999974e-06
                attributes[a.name] = float(str(np.float32(a.f)))
            elif a.type == onnx.AttributeProto.STRING:
                attributes[a.name] = a.s.decode()
        if node.op_type == "Constant":
            ((name, value),) = attributes.items()
            value = numpy_helper.to_array(value) if name == "value" else np.asarray(value)
            self.constants[node.output[0]] = value
            return
        CONVERTERS[node.op_type](self, node, attributes)

    def _inputs(self, node) -> tuple[str, ...]:
        return tuple(self.resolve(n) for n in node.input if n)

    def _layer_name(self, node, kind: str, suffix: str) -> str:
        weights = [n for n in node.input[1:2] if n in self.constants and "::" not in n]
        if weights and weights[0].endswith(".weight"):
            base = weights[0][: -len(".weight")]
        else:
            scope = [part for part in node.name.split("/") if part]
            base = scope[-2] if len(scope) >= 2 else (scope[0] if scope else "")
        base = re.sub(r"\W", "_", base).strip("_")
        if not base or base[0].isdigit() or self._taken(base):
            base = f"{kind}_{base}".rstrip("_")
        name, count = "_".join(filter(None, (base, suffix))), 1
        while self._taken(name):
            count += 1
            name = "_".join(filter(None, (base, suffix, str(count))))
        return name

    def _taken(self, name: str) -> bool:
        """Whether ``name`` is a layer's already, or an attribute of every OnnxModel."""
        return name in self.layers or name in OnnxModel.OWN_ATTRIBUTES or hasattr(OnnxModel, name)

    def finish(self, source: str) -> OnnxModel:
        shape = _shape(self.input)[1:]
        input_shape = shape if shape and None not in shape else None
        output = self.resolve(self.output)
        read = {name for step in self.steps for name in step.inputs}
        constants = {name: v for name, v in self.constants.items() if name in read}
        model = OnnxModel(
            self.layers, self.steps, self.input.name, output, constants, input_shape, source
        )
        return model.eval()
