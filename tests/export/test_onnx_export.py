"""``to_onnx``: what the file holds (opset, pads, attributes, open batch axis) and that
ONNX Runtime computes what cnnlab computes, on a model that uses every exported form."""

import numpy as np
import onnx
import pytest

from checks.onnx_runtime import relative_error, run_onnxruntime
from cnnlab.export import load_onnx, to_onnx
from cnnlab.nn import (
    ELU,
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Module,
    ReLU,
    ReLU6,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    ops,
)


class EveryForm(Module):
    """Uneven 'same' padding, groups, dilation, ceil-mode pools, branches, an adaptive
    pooling to a size that does not divide the input, ops with constants."""

    def __init__(self):
        super().__init__()
        self.stem = Sequential(
            Conv2d(3, 8, (4, 2), padding="same", rng=0), BatchNorm2d(8), LeakyReLU(0.1)
        )
        self.left = Conv2d(8, 8, 3, padding=2, dilation=2, groups=4, rng=1)
        self.right = Sequential(Conv2d(8, 4, 1, stride=2, rng=2), ReLU6())
        self.pool = MaxPool2d(3, 2, padding=1, ceil_mode=True)
        self.average = AvgPool2d(3, 1, padding=1, ceil_mode=True, count_include_pad=False)
        self.squash = Sequential(Sigmoid(), Tanh())
        self.grid = AdaptiveAvgPool2d((3, 2))
        self.head = Sequential(Flatten(), Dropout(0.3), Linear(12 * 3 * 2, 6, rng=3), ReLU())
        self.classes = Sequential(Linear(6, 4, rng=4), Softmax(dim=1))

    def forward(self, x):
        x = self.stem(x)
        branch = self.pool(ops.add(self.left(x), x))  # a residual add
        side = self.average(self.right(x))
        x = ops.concatenate([ops.multiply(branch, 0.5), side], axis=1)  # (12, 6, 7)
        return self.classes(self.head(self.grid(self.squash(x))))


def every_form() -> Module:
    model = EveryForm()
    norm = model.stem[1]
    norm.running_mean[:] = np.linspace(-0.2, 0.2, 8)
    norm.running_var[:] = np.linspace(0.5, 1.5, 8)
    return model.eval()


def nodes(path) -> dict[str, onnx.NodeProto]:
    return {node.name: node for node in onnx.load(str(path)).graph.node}


def attribute(node, name):
    return onnx.helper.get_attribute_value(next(a for a in node.attribute if a.name == name))


def test_file_passes_the_full_check_at_opset_17_with_an_open_batch_axis(tmp_path):
    path = to_onnx(Sequential(Conv2d(1, 2, 3, rng=0), ReLU()), tmp_path / "m.onnx", (1, 5, 7))
    proto = onnx.load(str(path))

    onnx.checker.check_model(proto, full_check=True)
    assert [(o.domain, o.version) for o in proto.opset_import] == [("", 17)]
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", 1, 5, 7]


def test_uneven_same_padding_is_written_as_all_begins_then_all_ends(tmp_path):
    # kernel (4, 2) with padding='same': H gets 1 before and 2 after, W 0 before, 1 after
    model = Sequential(Conv2d(2, 3, (4, 2), padding="same", rng=0))
    path = to_onnx(model, tmp_path / "m.onnx", (2, 6, 9))
    x = np.random.default_rng(0).standard_normal((2, 2, 6, 9)).astype(np.float32)

    assert attribute(nodes(path)["/0/Conv"], "pads") == [1, 0, 2, 1]
    assert relative_error(run_onnxruntime(path, x), model(x)) < 1e-6


@pytest.mark.parametrize("count_include_pad", [True, False])
def test_average_pool_writes_count_include_pad_as_the_layer_has_it(count_include_pad, tmp_path):
    model = Sequential(AvgPool2d(3, 2, padding=1, count_include_pad=count_include_pad))
    path = to_onnx(model, tmp_path / "m.onnx", (1, 7, 8))
    x = np.random.default_rng(1).standard_normal((1, 1, 7, 8)).astype(np.float32)

    assert attribute(nodes(path)["/0/AveragePool"], "count_include_pad") == count_include_pad
    assert relative_error(run_onnxruntime(path, x), model(x)) < 1e-6


@pytest.mark.parametrize("size", [(9, 12), (10, 7), (8, 8)])
@pytest.mark.parametrize(
    "pool",
    [MaxPool2d(3, 2, ceil_mode=True), MaxPool2d(3, 2, padding=1, ceil_mode=True),
     AvgPool2d(3, 2, ceil_mode=True), AvgPool2d(3, 2, padding=1, ceil_mode=True),
     AvgPool2d(3, 2, padding=1, ceil_mode=True, count_include_pad=False)],
    ids=repr,
)  # fmt: skip
def test_ceil_mode_pools_give_the_same_last_windows_in_onnxruntime(pool, size, tmp_path):
    path = to_onnx(Sequential(pool), tmp_path / "m.onnx", (2, *size))
    x = np.random.default_rng(2).standard_normal((1, 2, *size)).astype(np.float32)

    expected = pool(x)
    assert relative_error(run_onnxruntime(path, x), expected) < 1e-6
    assert np.array_equal(load_onnx(path)(x), expected)


def test_one_file_runs_batches_of_1_and_3(tmp_path):
    model = every_form()
    path = to_onnx(model, tmp_path / "m.onnx", (3, 11, 13))
    x = np.random.default_rng(3).standard_normal((3, 3, 11, 13)).astype(np.float32)

    for batch in (x[:1], x):
        assert relative_error(run_onnxruntime(path, batch), model(batch)) < 1e-4


def test_round_trip_is_bit_equal_forward_and_backward(tmp_path):
    model = every_form()
    path = to_onnx(model, tmp_path / "m.onnx", (3, 11, 13))
    x = np.random.default_rng(4).standard_normal((2, 3, 11, 13)).astype(np.float32)
    grad_out = np.random.default_rng(5).standard_normal((2, 4)).astype(np.float32)
    again = load_onnx(path)

    assert np.array_equal(again(x), model(x))
    assert np.array_equal(again.backward(grad_out), model.backward(grad_out))
    assert np.array_equal(again.stem_0.weight.grad, model.stem[0].weight.grad)


@pytest.mark.parametrize("opset", [13, 18, 21])
def test_other_opsets_write_reduce_mean_in_their_form(opset, tmp_path):
    class GlobalMean(Module):
        def forward(self, x):
            return ops.mean(x, (2, 3), keepdims=True)

    path = to_onnx(GlobalMean(), tmp_path / "m.onnx", (2, 3, 5), opset=opset)
    x = np.random.default_rng(6).standard_normal((2, 2, 3, 5)).astype(np.float32)

    assert relative_error(run_onnxruntime(path, x), x.mean((2, 3), keepdims=True)) < 1e-6
    assert np.array_equal(load_onnx(path)(x), GlobalMean()(x))


def test_opset_outside_13_to_21_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"`opset` must be between 13 and 21.*opset=11"):
        to_onnx(Sequential(ReLU()), tmp_path / "m.onnx", (1, 4, 4), opset=11)


def test_layers_without_onnx_form_are_all_named(tmp_path):
    model = Sequential(
        Conv2d(1, 2, 3, padding=1, padding_mode="circular", rng=0), GELU(), ELU(), ReLU()
    )
    with pytest.raises(ValueError) as error:
        to_onnx(model, tmp_path / "m.onnx", (1, 6, 6))
    message = str(error.value)
    assert "Conv2d(padding_mode='circular'), ELU, GELU." in message
    assert not (tmp_path / "m.onnx").exists()
