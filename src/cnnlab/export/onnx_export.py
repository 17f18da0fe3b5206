"""A cnnlab network as an ONNX graph, written with the ``onnx`` package's helper API.

The network runs once (:func:`~cnnlab.export.graph.trace_graph`); each leaf layer and
each op call of that run becomes one ONNX node (or a few), its parameters initializers
named by the state-dict keys (``layer1.0.conv1.weight``), and the nodes by the layer's
path and the operator (``/layer1.0.conv1/Conv``, close to torch's exporter's names), so
that ``load_onnx`` names the layers again ``layer1_0_conv1``. The batch axis of the input
and the output is left open (``batch``); the other axes are those of the traced input.
Models are written in float32.

What changes on the way, from torch's conventions to ONNX's:

- padding: torch pads both sides of an axis alike; ONNX lists ``pads`` as all the
  begins, then all the ends: ``[top, left, bottom, right]`` (``padding='same'`` with an
  even kernel pads more at the end, so the two halves differ);
- ``AveragePool`` counts the padding only with ``count_include_pad=1``; torch's layers
  count it by default, so the attribute is always written from the layer;
- ``BatchNormalization``'s ``momentum`` weighs the old running mean: ``1 - momentum``;
- an adaptive average pooling has no ONNX node: to 1 it is ``GlobalAveragePool``, to an
  output that divides the input an ``AveragePool``, otherwise a product with the
  averaging matrices (``MatMul``), as cnnlab computes it.
"""

from __future__ import annotations

import numpy as np

from .._validation import received
from ..functional.adaptive_pooling import adaptive_weights
from ..functional.padding import conv_padding
from .graph import Graph, Node

INPUT, OUTPUT, BATCH = "input", "output", "batch"


class _Writer:
    """Collects ONNX nodes and initializers; knows each cnnlab value's ONNX name."""

    def __init__(self, graph: Graph, opset: int):
        self.graph, self.opset = graph, opset
        self.nodes: list = []
        self.initializers: dict[str, np.ndarray] = {}
        self.names = {graph.inputs[0]: INPUT}

    def constant(self, name: str, value) -> str:
        """An initializer called ``name`` (made unique), holding ``value``."""
        array = np.asarray(value)
        if np.issubdtype(array.dtype, np.floating):
            array = array.astype(np.float32)
        unique, count = name, 1
        while unique in self.initializers and not np.array_equal(self.initializers[unique], array):
            count += 1
            unique = f"{name}_{count}"
        self.initializers[unique] = array
        return unique

    def add(self, node: Node, op_type: str, inputs: list[str], last: bool = True, **attributes):
        """One ONNX node for ``node``; the last one's output is ``node``'s value."""
        from onnx import helper

        scope = node.name if node.kind == "layer" else f"{node.owner}/{node.name}".strip("/")
        count = sum(n.name.startswith(f"/{scope}/{op_type}") for n in self.nodes)
        name = f"/{scope}/{op_type}" + (f"_{count}" if count else "")
        output = OUTPUT if last and node.output == self.graph.output else f"{name}_output_0"
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=name, **attributes))
        if last:
            self.names[node.output] = output
        return output

    def inputs(self, node: Node) -> list[str]:
        return [self.names[v] for v in node.inputs if v is not None]


# -- layers ----------------------------------------------------------------------------
def _pads(pairs) -> list[int]:
    return [before for before, _ in pairs] + [after for _, after in pairs]


def _conv(w: _Writer, node: Node, layer) -> None:
    pairs = conv_padding(layer.padding, layer.kernel_size, layer.stride, layer.dilation)
    inputs = [w.inputs(node)[0], w.constant(f"{node.name}.weight", layer.weight.data)]
    if layer.bias is not None:
        inputs.append(w.constant(f"{node.name}.bias", layer.bias.data))
    w.add(
        node, "Conv", inputs, kernel_shape=list(layer.kernel_size), strides=list(layer.stride),
        pads=_pads(pairs), dilations=list(layer.dilation), group=layer.groups,
    )  # fmt: skip


def _batch_norm(w: _Writer, node: Node, layer) -> None:
    ones = np.ones(layer.num_features, np.float32)
    weight = ones if layer.weight is None else layer.weight.data
    bias = 0 * ones if layer.bias is None else layer.bias.data
    names = [
        w.constant(f"{node.name}.{key}", value)
        for key, value in (
            ("weight", weight), ("bias", bias),
            ("running_mean", layer.running_mean), ("running_var", layer.running_var),
        )
    ]  # fmt: skip
    momentum = 1 - (layer.momentum if layer.momentum is not None else 0.1)
    w.add(node, "BatchNormalization", w.inputs(node) + names, epsilon=layer.eps, momentum=momentum)


def _linear(w: _Writer, node: Node, layer) -> None:
    weight = w.constant(f"{node.name}.weight", layer.weight.data)
    bias = [] if layer.bias is None else [w.constant(f"{node.name}.bias", layer.bias.data)]
    if len(w.graph.shapes[node.inputs[0]]) == 2:
        w.add(node, "Gemm", w.inputs(node) + [weight] + bias, transB=1)
        return
    transposed = w.constant(f"{node.name}.weight_t", layer.weight.data.T)
    product = w.add(node, "MatMul", w.inputs(node) + [transposed], last=not bias)
    if bias:
        w.add(node, "Add", [product, bias[0]])


def _pool(w: _Writer, node: Node, layer, op_type: str, **attributes) -> None:
    window = layer.window
    w.add(
        node, op_type, w.inputs(node), kernel_shape=list(window.kernel_size),
        strides=list(window.stride), pads=_pads([(p, p) for p in window.padding]),
        ceil_mode=int(layer.ceil_mode), **attributes,
    )  # fmt: skip


def _max_pool(w: _Writer, node: Node, layer) -> None:
    _pool(w, node, layer, "MaxPool", dilations=list(layer.window.dilation))


def _avg_pool(w: _Writer, node: Node, layer) -> None:
    _pool(w, node, layer, "AveragePool", count_include_pad=int(layer.count_include_pad))


def _adaptive_pool(w: _Writer, node: Node, layer) -> None:
    sizes = w.graph.shapes[node.inputs[0]][2:]
    out = [n if s is None else s for n, s in zip(sizes, layer.sizes, strict=True)]
    if all(s == 1 for s in out):
        w.add(node, "GlobalAveragePool", w.inputs(node))
    elif all(n % s == 0 for n, s in zip(sizes, out, strict=True)):
        kernel = [n // s for n, s in zip(sizes, out, strict=True)]
        w.add(node, "AveragePool", w.inputs(node), kernel_shape=kernel, strides=kernel)
    else:  # y = P_h @ x @ P_w.T, with cnnlab's averaging matrices
        x = w.inputs(node)[0]
        matrices = [adaptive_weights(n, s, np.float32) for n, s in zip(sizes, out, strict=True)]
        if len(matrices) == 2:
            rows = w.constant(f"{node.name}.rows", matrices[0])
            x = w.add(node, "MatMul", [rows, x], last=False)
        columns = w.constant(f"{node.name}.columns", matrices[-1].T)
        w.add(node, "MatMul", [x, columns])


def _clip(w: _Writer, node: Node, low: float, high: float) -> None:
    bounds = [w.constant("clip.min", np.float32(low)), w.constant("clip.max", np.float32(high))]
    w.add(node, "Clip", w.inputs(node) + bounds)


def _leaky_relu(w: _Writer, node: Node, slope: float) -> None:
    w.add(node, "LeakyRelu", w.inputs(node), alpha=slope)


def _dropout(w: _Writer, node: Node, layer) -> None:
    w.add(node, "Dropout", w.inputs(node) + [w.constant(f"{node.name}.ratio", np.float32(layer.p))])


def _constant_pad(w: _Writer, node: Node, layer) -> None:
    value = w.constant(f"{node.name}.value", np.float32(layer.value))
    pads_at_batch = _pads([(0, 0), (0, 0), *layer.pairs])
    pads = w.constant(f"{node.name}.pads", np.array(pads_at_batch, np.int64))
    w.add(node, "Pad", w.inputs(node) + [pads, value], mode="constant")


LAYERS = {
    "Conv1d": _conv,
    "Conv2d": _conv,
    "BatchNorm1d": _batch_norm,
    "BatchNorm2d": _batch_norm,
    "Linear": _linear,
    "MaxPool1d": _max_pool,
    "MaxPool2d": _max_pool,
    "AvgPool1d": _avg_pool,
    "AvgPool2d": _avg_pool,
    "AdaptiveAvgPool1d": _adaptive_pool,
    "AdaptiveAvgPool2d": _adaptive_pool,
    "ReLU": lambda w, node, layer: w.add(node, "Relu", w.inputs(node)),
    "ReLU6": lambda w, node, layer: _clip(w, node, 0.0, 6.0),
    "Hardtanh": lambda w, node, layer: _clip(w, node, layer.min_val, layer.max_val),
    "LeakyReLU": lambda w, node, layer: _leaky_relu(w, node, layer.negative_slope),
    "Sigmoid": lambda w, node, layer: w.add(node, "Sigmoid", w.inputs(node)),
    "Tanh": lambda w, node, layer: w.add(node, "Tanh", w.inputs(node)),
    "Softmax": lambda w, node, layer: w.add(node, "Softmax", w.inputs(node), axis=layer.dim),
    "LogSoftmax": lambda w, node, layer: w.add(node, "LogSoftmax", w.inputs(node), axis=layer.dim),
    "Flatten": lambda w, node, layer: _flatten(w, node, layer.start_dim, layer.end_dim),
    "Identity": lambda w, node, layer: w.add(node, "Identity", w.inputs(node)),
    "Dropout": _dropout,
    "ConstantPad1d": _constant_pad,
    "ConstantPad2d": _constant_pad,
}


# -- ops ----------------------------------------------------------------------------------
def _binary(op_type: str):
    def write(w: _Writer, node: Node) -> None:
        names = [
            w.names[v] if v is not None else w.constant(f"{node.name}.{key}", node.arguments[key])
            for v, key in zip(node.inputs[:2], ("a", "b"), strict=True)
        ]
        w.add(node, op_type, names)

    return write


def _flatten(w: _Writer, node: Node, start_dim: int, end_dim: int = -1) -> None:
    rank = len(w.graph.shapes[node.inputs[0]])
    start, end = start_dim % rank, end_dim % rank
    if (start, end) == (1, rank - 1):
        w.add(node, "Flatten", w.inputs(node), axis=1)
        return
    shape = [0] * start + [-1] + [0] * (rank - 1 - end)  # 0 keeps an axis, -1 merges
    w.add(node, "Reshape", w.inputs(node) + [w.constant(f"{node.name}.shape", np.int64(shape))])


def _reshape(w: _Writer, node: Node) -> None:
    shape = list(node.arguments["shape"])
    if shape and shape[0] == w.graph.shapes[node.inputs[0]][0] == 1:
        shape[0] = 0  # the traced batch of 1: keep the batch axis open
    w.add(node, "Reshape", w.inputs(node) + [w.constant("shape", np.array(shape, np.int64))])


def _reduce(op_type: str):
    def write(w: _Writer, node: Node) -> None:
        axis = node.arguments["axis"]
        axes = [int(a) for a in (axis if isinstance(axis, (tuple, list)) else (axis,))]
        keepdims = int(node.arguments.get("keepdims", False))
        if op_type == "ReduceMean" and w.opset < 18:
            w.add(node, op_type, w.inputs(node), axes=axes, keepdims=keepdims)
            return
        axes_name = w.constant("axes", np.array(axes, np.int64))
        w.add(node, op_type, w.inputs(node) + [axes_name], keepdims=keepdims)

    return write


OPS = {
    "add": _binary("Add"),
    "subtract": _binary("Sub"),
    "multiply": _binary("Mul"),
    "matmul": _binary("MatMul"),
    "concatenate": lambda w, node: w.add(
        node, "Concat", w.inputs(node), axis=node.arguments.get("axis", 1)
    ),
    "flatten": lambda w, node: _flatten(w, node, node.arguments.get("start_dim", 1)),
    "reshape": _reshape,
    "mean": _reduce("ReduceMean"),
    "sum": _reduce("ReduceSum"),
}


def unsupported(node: Node) -> str | None:
    """How ``node`` is described in the refusal, or None when it can be written."""
    layer = node.module
    if node.kind == "op":
        return None if node.name in OPS else f"ops.{node.name}"
    name = type(layer).__name__
    if name not in LAYERS:
        return name
    if getattr(layer, "padding_mode", "zeros") != "zeros":
        return f"{name}(padding_mode={layer.padding_mode!r})"
    if name.startswith("BatchNorm") and not layer.track_running_stats:
        return f"{name}(track_running_stats=False)"
    return None


def write_nodes(graph: Graph, opset: int) -> _Writer:
    """The ONNX nodes and initializers of ``graph`` (every node checked first)."""
    missing = sorted({text for node in graph.nodes if (text := unsupported(node))})
    if missing:
        raise ValueError(
            f"These layers or ops have no ONNX export in cnnlab: {', '.join(missing)}. "
            f"cnnlab writes {', '.join(sorted(LAYERS))} and the ops "
            f"{', '.join(sorted(OPS))}. {received(model=type(graph.model).__name__)}"
        )
    writer = _Writer(graph, opset)
    for node in graph.nodes:
        if node.kind == "op":
            OPS[node.name](writer, node)
        else:
            LAYERS[type(node.module).__name__](writer, node, node.module)
    if graph.output not in writer.names or writer.names[graph.output] != OUTPUT:
        writer.nodes.append(_identity_output(writer.names[graph.output]))
    return writer


def _identity_output(name: str):
    from onnx import helper

    return helper.make_node("Identity", [name], [OUTPUT], name="/output/Identity")
