"""``load_onnx`` on graphs written with ``onnx.helper``: each supported operator in its
ONNX form (uneven pads, transposed Gemm, MatMul + Add, Constant, ...) gives ONNX
Runtime's output; anything else is refused with the list of what is missing."""

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import cnnlab
from checks.gradcheck import check_gradients
from checks.onnx_runtime import relative_error, run_onnxruntime
from cnnlab.export import load_onnx
from cnnlab.export.onnx_pad import ConstantPad2d
from cnnlab.inspect import capture_activations, summary
from cnnlab.nn import Conv2d, Linear, MaxPool2d, ReLU6
from cnnlab.optim import SGD
from cnnlab.viz import draw

RNG = np.random.default_rng(0)


def weights(name: str, *shape: int) -> onnx.TensorProto:
    return numpy_helper.from_array(RNG.standard_normal(shape).astype(np.float32) * 0.3, name)


def save(path, nodes, initializers, in_shape, out_shape, opset=17):
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", *in_shape])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", *out_shape])],
        initializers,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    return path


def uneven_pads(path):
    """Conv with pads [top 0, left 1, bottom 2, right 1], then MaxPool with uneven pads."""
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[0, 1, 2, 1], strides=[2, 1]),
        helper.make_node("MaxPool", ["c"], ["y"], kernel_shape=[3, 2], pads=[1, 0, 0, 1]),
    ]
    return save(path, nodes, [weights("w", 4, 2, 3, 3), weights("b", 4)], (2, 9, 8), (4, 4, 8))


def every_operator(path):
    """One graph that uses each operator of the list in one of its ONNX forms."""
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], auto_pad="SAME_UPPER", strides=[2, 2]),
        helper.make_node(
            "BatchNormalization", ["c1", "gamma", "beta", "mean", "var"], ["b1"], epsilon=1e-3
        ),
        helper.make_node("LeakyRelu", ["b1"], ["r1"], alpha=0.2),
        helper.make_node("Constant", [], ["low"], value=numpy_helper.from_array(np.float32(0))),
        helper.make_node("Constant", [], ["high"], value=numpy_helper.from_array(np.float32(6))),
        helper.make_node("Clip", ["r1", "low", "high"], ["r2"]),
        helper.make_node(
            "AveragePool",
            ["r2"],
            ["p1"],
            kernel_shape=[2, 2],
            strides=[1, 1],
            pads=[1, 1, 1, 1],
            count_include_pad=1,
        ),  # fmt: skip
        helper.make_node("Sigmoid", ["p1"], ["s1"]),
        helper.make_node("Tanh", ["p1"], ["t1"]),
        helper.make_node("Concat", ["s1", "t1"], ["cat"], axis=1),
        helper.make_node("Identity", ["cat"], ["id"]),
        helper.make_node("Dropout", ["id"], ["d"]),
        helper.make_node("Add", ["d", "cat"], ["sum"]),
        helper.make_node("GlobalAveragePool", ["sum"], ["g"]),
        helper.make_node("ReduceMean", ["sum"], ["m"], axes=[2, 3], keepdims=1),
        helper.make_node("Add", ["g", "m"], ["gm"]),
        helper.make_node("Flatten", ["gm"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "w2", "b2"], ["h"], transB=0, alpha=0.5, beta=2.0),
        helper.make_node("Relu", ["h"], ["hr"]),
        helper.make_node("MatMul", ["hr", "w3"], ["mm"]),
        helper.make_node("Add", ["mm", "b3"], ["z"]),
        helper.make_node("Reshape", ["z", "shape"], ["zr"]),
        helper.make_node("Flatten", ["zr"], ["zf"]),
        helper.make_node("Softmax", ["zf"], ["y"], axis=-1),
    ]
    initializers = [
        weights("w1", 4, 3, 3, 3), weights("gamma", 4), weights("beta", 4), weights("mean", 4),
        numpy_helper.from_array(RNG.uniform(0.5, 1.5, 4).astype(np.float32), "var"),
        weights("w2", 8, 6), weights("b2", 6), weights("w3", 6, 5), weights("b3", 5),
        numpy_helper.from_array(np.array([0, 5, 1], np.int64), "shape"),
    ]  # fmt: skip
    return save(path, nodes, initializers, (3, 9, 12), (5,))


def test_uneven_pads_become_a_padding_layer_before_the_layer(tmp_path):
    path = uneven_pads(tmp_path / "pads.onnx")
    x = RNG.standard_normal((2, 2, 9, 8)).astype(np.float32)

    model = load_onnx(path)

    assert relative_error(model(x), run_onnxruntime(path, x)) < 1e-6
    kinds = [type(m) for _, m in model.named_children()]
    assert kinds == [ConstantPad2d, Conv2d, ConstantPad2d, MaxPool2d]
    assert model.conv2d_pad.padding == (1, 1, 0, 2)  # torch's order: left, right, top, bottom
    assert model.maxpool2d_pad.value == -np.inf


def test_every_listed_operator_gives_onnxruntimes_output(tmp_path):
    path = every_operator(tmp_path / "every.onnx")
    x = RNG.standard_normal((3, 3, 9, 12)).astype(np.float32)

    model = load_onnx(path)

    assert relative_error(model(x), run_onnxruntime(path, x)) < 1e-5
    assert model.input_shape == (3, 9, 12)
    linears = [m for m in model.modules() if isinstance(m, Linear)]
    assert [m.bias is not None for m in linears] == [True, True]  # MatMul + Add: one Linear
    assert any(isinstance(m, ReLU6) for m in model.modules())  # Clip(0, 6)


def test_imported_model_trains_gradients_match_finite_differences(tmp_path):
    model = load_onnx(every_operator(tmp_path / "every.onnx"))
    x = RNG.standard_normal((2, 3, 9, 12))
    check_gradients(model, x, rtol=1e-4, atol=1e-6)


def test_imported_model_takes_an_optimizer_step(tmp_path):
    model = load_onnx(every_operator(tmp_path / "every.onnx")).train()
    before = {name: value.copy() for name, value in model.state_dict().items()}
    optimizer = SGD(model.parameters(), lr=0.1)

    model(RNG.standard_normal((4, 3, 9, 12)).astype(np.float32))
    model.backward(RNG.standard_normal((4, 5)).astype(np.float32))  # not ones: a softmax
    optimizer.step()

    for name, parameter in model.named_parameters():
        assert not np.array_equal(parameter.data, before[name]), name
    assert not np.array_equal(model.batchnorm2d.running_mean, before["batchnorm2d.running_mean"])


def test_summary_activations_and_drawing_work_on_an_imported_model(tmp_path):
    model = cnnlab.load_onnx(every_operator(tmp_path / "every.onnx"))

    table = summary(model, model.input_shape)
    maps = capture_activations(model, RNG.standard_normal((1, 3, 9, 12)).astype(np.float32))
    drawing = draw(model, model.input_shape, tmp_path / "net.svg")

    assert table.error is None and table.total_params == model.num_parameters()
    assert list(maps) == [name for name, _ in model.named_children()]
    assert drawing.stat().st_size > 1000


@pytest.mark.parametrize(
    "bounds, layer",
    [({"low": 0.0, "high": 6.0}, "ReLU6()"), ({"low": 0.0}, "ReLU()"),
     ({"low": -1.0}, "Hardtanh(min_val=-1.0, max_val=3.4028")],
)  # fmt: skip
def test_clip_becomes_the_layer_of_its_bounds(bounds, layer, tmp_path):
    initializers = [numpy_helper.from_array(np.float32(v), name) for name, v in bounds.items()]
    nodes = [helper.make_node("Clip", ["x", *bounds], ["y"])]  # min, then max if given
    path = save(tmp_path / "clip.onnx", nodes, initializers, (2, 3), (2, 3))
    x = RNG.uniform(-8, 8, (4, 2, 3)).astype(np.float32)

    model = load_onnx(path)

    assert repr(next(model.children())).startswith(layer)
    np.testing.assert_array_equal(model(x), run_onnxruntime(path, x))


def test_unsupported_operators_are_all_listed(tmp_path):
    nodes = [
        helper.make_node("Relu", ["x"], ["r"]),
        helper.make_node("LSTM", ["r", "w", "rw"], ["l"], hidden_size=2),
        helper.make_node("Squeeze", ["l"], ["s"]),
        helper.make_node("LSTM", ["s", "w", "rw"], ["y"], hidden_size=2),
    ]
    initializers = [weights("w", 1, 8, 3), weights("rw", 1, 8, 2)]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 1, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializers,
    )  # fmt: skip
    path = tmp_path / "lstm.onnx"
    onnx.save(helper.make_model(graph), str(path))

    with pytest.raises(ValueError, match=r"cannot build: LSTM, Squeeze\. cnnlab reads CNNs"):
        load_onnx(path)


def test_a_file_that_is_not_onnx_is_refused_by_name(tmp_path):
    path = tmp_path / "model.onnx"
    path.write_bytes(b"not a protobuf \xff\xff")
    with pytest.raises(ValueError, match="could not be read as ONNX"):
        load_onnx(path)
    with pytest.raises(ValueError, match="There is no ONNX file at this path"):
        load_onnx(tmp_path / "missing.onnx")
