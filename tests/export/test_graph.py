"""The graph of a forward pass: values, nodes, constant arguments and the hierarchy."""

import numpy as np
import pytest

from cnnlab.export import Block, trace_graph
from cnnlab.inspect import capture_activations
from cnnlab.models import lenet5, resnet18
from cnnlab.nn import (
    BatchNorm2d,
    Conv2d,
    Dropout,
    Identity,
    Linear,
    Module,
    ReLU,
    Sequential,
    ops,
)


class TwoBranches(Module):
    """A user's composed model: two branches concatenated, a shortcut added, a slice."""

    def __init__(self):
        super().__init__()
        self.left = Conv2d(2, 3, 3, padding=1, rng=0)
        self.right = Sequential(Conv2d(2, 3, 1, rng=1), ReLU())
        self.mix = Conv2d(6, 2, 1, rng=2)
        self.drop = Dropout(0.5)
        self.skip = Identity()

    def forward(self, x):
        both = ops.concatenate([self.left(x), self.right(x)], axis=1)
        y = ops.add(self.mix(both), self.skip(x))
        y = ops.multiply(y, 0.5)
        return self.drop(ops.getitem(y, (slice(None), slice(0, 1))))


def test_a_chain_is_one_node_per_layer_each_reading_the_one_before():
    model = lenet5(rng=0)
    graph = trace_graph(model, (1, 28, 28))
    leaves = [name for name, m in model.named_modules() if name and not list(m.children())]
    assert [node.name for node in graph.nodes] == leaves
    assert graph.inputs == (0,)
    for before, node in zip([None, *graph.nodes], graph.nodes):
        assert node.inputs == ((0,) if before is None else (before.output,))
        assert node.owner == "" and node.attribute == node.name
    assert graph.output == graph.nodes[-1].output


def test_the_shapes_are_those_of_the_layers_outputs():
    model = lenet5(rng=0)
    graph = trace_graph(model, (1, 28, 28))
    maps = capture_activations(model, np.zeros((1, 1, 28, 28), np.float32))
    assert graph.shapes[0] == (1, 1, 28, 28)
    for node in graph.nodes:
        assert node.shape == maps[node.name].shape == graph.shapes[node.output]


def test_a_residual_block_keeps_its_calls_and_the_add_reads_both_paths():
    graph = trace_graph(resnet18(num_classes=10, rng=0), (3, 32, 32))
    blocks = {block.name: block for block in graph.blocks()}
    plain, down = blocks["layer1.0"], blocks["layer2.0"]
    assert [s.attribute or s.name for s in plain.steps] == [
        "conv1", "bn1", "relu1", "conv2", "bn2", "add", "relu"
    ]  # fmt: skip
    add = plain.steps[5]
    assert add.kind == "op" and add.inputs == (plain.steps[4].output, plain.inputs[0])
    shortcut = down.steps[5]
    assert isinstance(shortcut, Block) and shortcut.attribute == "downsample"
    assert [s.name for s in shortcut.steps] == ["layer2.0.downsample.0", "layer2.0.downsample.1"]
    assert down.steps[6].inputs == (down.steps[4].output, shortcut.output)
    assert isinstance(blocks["layer1"].module, Sequential)
    assert [s.attribute for s in blocks["layer1"].steps] == ["0", "1"]


def test_ops_keep_their_constant_arguments_and_identity_and_dropout_are_nodes():
    graph = trace_graph(TwoBranches(), (2, 5, 5))
    steps = graph.root.steps
    kinds = [(s.type_name if not isinstance(s, Block) else "Block") for s in steps]
    assert kinds == [
        "Conv2d", "Block", "concatenate", "Conv2d", "Identity", "add", "multiply",
        "getitem", "Dropout",
    ]  # fmt: skip
    cat, add, times, item = steps[2], steps[5], steps[6], steps[7]
    assert cat.inputs == (steps[0].output, steps[1].output) and cat.arguments == {"axis": 1}
    assert cat.shape == (1, 6, 5, 5)
    assert add.inputs == (steps[3].output, steps[4].output)
    assert times.inputs == (add.output, None) and times.arguments == {"b": 0.5}
    assert item.arguments == {"index": (slice(None), slice(0, 1))}
    assert item.shape == (1, 1, 5, 5)
    assert steps[4].owner == "" and steps[1].steps[0].owner == "right"
    assert steps[1].steps[0].attribute == "0" and steps[1].steps[0].name == "right.0"


def test_a_layer_alone_is_a_graph_of_one_node():
    graph = trace_graph(Linear(4, 2, rng=0), (4,))
    assert [(n.name, n.inputs, n.output, n.shape) for n in graph.nodes] == [("", (0,), 1, (1, 2))]


def test_tracing_changes_neither_modes_nor_running_statistics():
    model = Sequential(Conv2d(1, 2, 3, rng=0), BatchNorm2d(2), Dropout(0.5)).train()
    before = model.state_dict()
    trace_graph(model, (1, 6, 6))
    assert all(module.training for module in model.modules())
    after = model.state_dict()
    assert all(np.array_equal(before[key], after[key]) for key in before)


def test_a_forward_that_returns_numpy_arithmetic_is_refused():
    class Doubled(Module):
        def __init__(self):
            super().__init__()
            self.relu = ReLU()

        def forward(self, x):
            return self.relu(x) * 2

    with pytest.raises(ValueError, match=r"returned a value that no recorded call made"):
        trace_graph(Doubled(), (3,))


def test_an_input_the_model_cannot_take_is_refused_with_the_shape():
    with pytest.raises(ValueError, match=r"cannot run on an input of shape \(1, 3, 28, 28\)"):
        trace_graph(lenet5(rng=0), (3, 28, 28))
