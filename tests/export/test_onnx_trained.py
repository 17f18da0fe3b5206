"""The demo's LeNet-5, trained briefly on the built-in shapes, exported to ONNX: ONNX
Runtime gives its outputs, and the command line reads the file as a MODEL (through
``resolve_model``, as ``summary``, ``draw`` and ``explore`` do)."""

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from checks.cli import cnnlab
from checks.onnx_runtime import relative_error, run_onnxruntime
from cnnlab.export import load_onnx, to_onnx
from cnnlab.inspect import summary
from cnnlab.jobs import resolve_model, train_classifier
from cnnlab.tour.training import split


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """LeNet-5 after one epoch on 300 shapes (as ``cnnlab demo``, smaller), and its file."""
    folder = tmp_path_factory.mktemp("demo")
    train, test = split(300, seed=0)
    result = train_classifier((train, test), epochs=1, seed=0, out=folder / "run", quiet=True)
    path = to_onnx(result.trained.model, folder / "lenet5.onnx", (1, 28, 28))
    images = result.trained.normalize(test.images[:32].astype(np.float32))
    return result.trained.model, path, images


def test_trained_lenet5_gives_the_same_outputs_in_onnxruntime(trained):
    model, path, images = trained
    expected = model(images)

    assert relative_error(run_onnxruntime(path, images), expected) < 1e-4
    assert np.array_equal(load_onnx(path)(images), expected)


def test_summary_reads_an_onnx_file(trained):
    model, path, _ = trained
    run = cnnlab("summary", path)

    assert run.returncode == 0, run.stderr
    assert f"Total params: {model.num_parameters():,}" in run.stdout
    assert "conv2d_0" in run.stdout


def test_draw_reads_an_onnx_file(trained, tmp_path):
    _, path, _ = trained
    run = cnnlab("draw", path, "-o", tmp_path / "net.svg")

    assert run.returncode == 0, run.stderr
    assert (tmp_path / "net.svg").stat().st_size > 1000


def test_show_draws_the_maps_of_an_onnx_file(trained, tmp_path):
    _, path, _ = trained
    image = tmp_path / "digit.png"
    Image.fromarray(np.tri(28, dtype=np.uint8) * 255).save(image)
    run = cnnlab("show", path, image, "-o", tmp_path / "inside")

    assert run.returncode == 0, run.stderr
    assert "digit.png: output " in run.stdout  # an ONNX file has no class names
    assert len(list((tmp_path / "inside" / "activations").glob("*.png"))) >= 5
    assert len(list((tmp_path / "inside" / "kernels").glob("*.png"))) == 2


def test_onnx_model_with_open_image_size_needs_an_input_shape(tmp_path):
    weight = numpy_helper.from_array(np.ones((2, 1, 3, 3), np.float32), "w")
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 1, "h", "w"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [weight],
    )  # fmt: skip
    path = tmp_path / "open.onnx"
    onnx.save(helper.make_model(graph), str(path))

    with pytest.raises(ValueError, match="size is open: give --input"):
        resolve_model(path)
    named = resolve_model(path, (1, 9, 7))

    assert summary(named.model, named.input_shape).rows[-1].output_shape == (1, 2, 7, 5)
