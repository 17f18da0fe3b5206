"""A model as a graph: the calls one forward pass makes, flattened, with their hierarchy.

:func:`trace_graph` runs the model once on an example input (in evaluation mode, its
modes given back afterwards) under :class:`~cnnlab.inspect.tracing.Tracer`, and reads
the record of every composed module (:mod:`cnnlab.nn.recording`). Exports to other
engines are written from what it returns.

The shape of a :class:`Graph` (public: the exporters read it)::

    Graph
      model           the Module traced
      inputs          value numbers of the forward's inputs: (0,) for one input
      output          value number of what the forward returned
      shapes          {value number: shape} of every value, batch axis first (batch 1)
      nodes           [Node], every leaf-layer and op call, in the order they ran
      root            Block: the model's own call, the hierarchy below it

    Node              one call that makes one value
      kind            "layer" (a leaf module: it defines backward) or "op" (nn.ops)
      name            a layer's dotted name as in model.named_modules() ("layer1.0.conv1"),
                      an op's name ("add", "concatenate", "flatten", "mean", "getitem", ...)
      module          the layer object (None for an op); type_name: its class or the op
      arguments       an op's other arguments by parameter name, defaults included:
                      {"axis": 1}, {"start_dim": 1}, {"shape": (-1, 8)}, {"index": ...},
                      {"b": 1.0} for a number added; {} for a layer
      inputs          the value numbers it reads, in argument order (None: a constant,
                      whose value is in arguments)
      output, shape   the value number it makes, and that value's shape
      owner           dotted name of the composed module whose forward made the call
      attribute       the layer's name inside its owner ("conv1", "0"); "" for an op

    Block             one call of a composed module (Sequential, a ResNet block, a user's)
      name, module    dotted name ("" for the model) and the module object
      attribute       its name inside its owner ("layer1", "0"; "" for the model)
      inputs, output  value numbers of its forward's inputs and of what it returned
      steps           [Node | Block]: the calls its forward made, in order, a Block
                      for each composed child (so a torch class can be written per block)

Every value is made once: a leaf layer or op call makes a new value number; a Block's
output is the value of the step that made it (or one of its inputs, if it returned one).
Leaf layers with no effect at inference (``Identity``, ``Dropout`` in eval mode) are
nodes all the same, so that every module of the model has its place. A module shared by
two parents keeps the first of its dotted names (as ``named_modules`` walks it).

Examples
--------
>>> from cnnlab.nn import Conv2d, Flatten, Linear, ReLU, Sequential
>>> model = Sequential(Conv2d(1, 2, 3, rng=0), ReLU(), Flatten(), Linear(8, 3, rng=0))
>>> graph = trace_graph(model, (1, 4, 4))
>>> [(node.name, node.type_name, node.inputs, node.output) for node in graph.nodes[:2]]
[('0', 'Conv2d', (0,), 1), ('1', 'ReLU', (1,), 2)]
>>> graph.shapes[graph.output]
(1, 3)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._validation import check_shape, received
from ..inspect.tracing import Call, Tracer, check_model, evaluating
from ..nn import Module
from ..nn.recording import is_composed


@dataclass(eq=False)
class Node:
    """One leaf-layer or op call: it reads values and makes one (see the module doc)."""

    kind: str  # "layer" or "op"
    name: str
    module: Module | None
    arguments: dict
    inputs: tuple[int | None, ...]
    output: int
    shape: tuple[int, ...]
    owner: str
    attribute: str

    @property
    def type_name(self) -> str:
        """The layer's class name ("Conv2d"), or the op's name ("add")."""
        return type(self.module).__name__ if self.module is not None else self.name


@dataclass(eq=False)
class Block:
    """One call of a composed module: the calls its forward made (see the module doc)."""

    name: str
    module: Module
    attribute: str
    inputs: tuple[int, ...]
    output: int = -1
    steps: list[Node | Block] = field(default_factory=list)

    def blocks(self) -> Iterator[Block]:
        """This block and every block inside it, depth first, in call order."""
        yield self
        for step in self.steps:
            if isinstance(step, Block):
                yield from step.blocks()


@dataclass(eq=False)
class Graph:
    """The flattened forward pass of ``model`` (see the module doc for every field)."""

    model: Module
    inputs: tuple[int, ...]
    output: int
    shapes: dict[int, tuple[int, ...]]
    nodes: list[Node]
    root: Block

    def blocks(self) -> Iterator[Block]:
        """Every composed call, the model's first, depth first."""
        return self.root.blocks()

    def layers(self) -> list[Node]:
        """The leaf-layer nodes, in the order they ran."""
        return [node for node in self.nodes if node.kind == "layer"]


def trace_graph(model: Module, input_shape: Sequence[int], dtype: type = np.float32) -> Graph:
    """Run ``model`` once on zeros of ``(1, *input_shape)`` and return its :class:`Graph`.

    Parameters
    ----------
    model : Module
    input_shape : tuple of int
        One example's shape, without the batch axis: ``(1, 28, 28)`` for LeNet-5.
    dtype : NumPy dtype
        Of the example input (float32, as the parameters).

    Returns
    -------
    Graph

    Examples
    --------
    >>> from cnnlab.models import resnet18
    >>> graph = trace_graph(resnet18(num_classes=10, rng=0), (3, 32, 32))
    >>> [node.name for node in graph.nodes if node.kind == "op"][:2]
    ['add', 'add']
    >>> block = next(b for b in graph.blocks() if b.name == "layer2.0")
    >>> [step.attribute or step.name for step in block.steps]
    ['conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'downsample', 'add', 'relu']
    """
    check_model(model)
    input_shape = check_shape("input_shape", input_shape)
    x = np.zeros((1, *input_shape), dtype=dtype)
    with evaluating(model), Tracer(model) as tracer:  # no backward: grads stay as they are
        try:
            model(x)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"The model cannot run on an input of shape {x.shape}: {error} "
                f"{received(input_shape=tuple(input_shape))}"
            ) from error
    builder = _Builder()
    root_call = tracer.calls[0]
    builder.shapes[0] = x.shape
    root = builder.call(root_call, "", (0,))
    return Graph(model, (0,), root.output, builder.shapes, builder.nodes, root)


class _Builder:
    """Numbers the values and collects the nodes while walking the tree of calls."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.shapes: dict[int, tuple[int, ...]] = {}

    def new_value(self, shape: tuple[int, ...]) -> int:
        value = len(self.shapes)
        self.shapes[value] = tuple(shape)
        return value

    def call(self, call: Call, attribute: str, inputs: tuple[int, ...]) -> Block:
        """The block of a composed call (a leaf model becomes a block of one node)."""
        block = Block(call.name, call.module, attribute, inputs)
        if call.record is None:  # the model itself is one layer
            node = self.leaf(call, "", "", inputs)
            block.steps.append(node)
            block.output = node.output
            return block
        record = call.record
        local = dict(zip(record.inputs, inputs, strict=True))  # record's node -> value
        children = iter(call.children)
        for entry in record.entries:
            known = tuple(None if n is None else local[n] for n in entry.inputs)
            if entry.module is None:
                output = self.new_value(entry.shape)
                arguments = dict(entry.arguments)
                node = Node("op", entry.name, None, arguments, known, output,
                            self.shapes[output], call.name, "")  # fmt: skip
                self.nodes.append(node)
                block.steps.append(node)
                local[entry.output] = output
                continue
            child = next(children, None)
            if child is None or child.module is not entry.module:
                raise ValueError(_unmatched(call, entry.name))
            if any(v is None for v in known):
                raise ValueError(_constant_input(call, entry.name))
            if is_composed(child.module) and child.record is not None:
                step = self.call(child, entry.name, known)
            else:
                step = self.leaf(child, call.name, entry.name, known)
            block.steps.append(step)
            local[entry.output] = step.output
        if record.output is None:
            raise ValueError(
                f"{type(call.module).__name__}.forward() returned a value that no recorded "
                "call made (NumPy arithmetic, or a tuple), so the graph cannot say where it "
                "comes from. Compute it with child modules and cnnlab.nn.ops. "
                f"Received: a {record.output_type} from the forward of '{call.name}'."
            )
        block.output = local[record.output]
        return block

    def leaf(self, call: Call, owner: str, attribute: str, inputs: tuple) -> Node:
        output = self.new_value(np.shape(call.output))
        node = Node("layer", call.name, call.module, {}, tuple(inputs), output,
                    self.shapes[output], owner, attribute)  # fmt: skip
        self.nodes.append(node)
        return node


def _unmatched(call: Call, name: str) -> str:
    return (
        f"The forward of '{call.name}' ({type(call.module).__name__}) called its child "
        f"'{name}' in a way the tracer did not see (its forward method directly?): call "
        f"child modules as self.{name}(x). Received: a call of '{name}' without its record."
    )


def _constant_input(call: Call, name: str) -> str:
    return (
        f"The forward of '{call.name}' ({type(call.module).__name__}) gave its child "
        f"'{name}' an array that no recorded call made; the graph cannot say where it "
        f"comes from. Received: an unrecorded input to '{name}'."
    )
