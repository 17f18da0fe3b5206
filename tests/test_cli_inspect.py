"""`cnnlab summary`, `show` and `draw` through a subprocess."""

import json

import pytest

from checks.cli import cnnlab
from cnnlab.data import shapes
from cnnlab.imageio import write_image
from cnnlab.jobs import train_classifier


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    data = shapes(120, size=28, rng=0)
    out = tmp_path_factory.mktemp("trained")
    train_classifier((data[:100], data[100:]), epochs=1, out=out, quiet=True)
    return out / "model.safetensors"


def test_summary_of_a_zoo_model_prints_the_receptive_fields():
    result = cnnlab("summary", "lenet5", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    after_second_pool = next(row for row in rows if row["name"] == "5")
    assert after_second_pool["output_shape"] == [1, 16, 5, 5]
    assert "16" in json.dumps(after_second_pool["receptive_field"])


def test_summary_of_trained_weights_uses_their_input_shape(weights):
    result = cnnlab("summary", weights, "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "| (1, 5) |" in result.stdout  # five shape classes


def test_summary_reports_a_misfit_input_and_fails():
    result = cnnlab("summary", "small_vgg", "--input", "3x32x30")
    assert result.returncode == 1
    assert "expected 3136 input features" in result.stdout + result.stderr


def test_draw_writes_an_svg_with_the_layer_sizes(tmp_path):
    out = tmp_path / "net.svg"
    result = cnnlab("draw", "small_vgg", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "32@32x32" in out.read_text()


def test_show_writes_maps_for_every_layer_and_kernels(weights, tmp_path):
    image = tmp_path / "shape.png"
    write_image(image, shapes(1, rng=5).images[0, 0])
    result = cnnlab("show", weights, image, "-o", tmp_path / "show")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "show" / "activations").glob("*.png"))) == 12
    assert len(list((tmp_path / "show" / "kernels").glob("*.png"))) == 2
    assert "%" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["summary", "lenet"], "did you mean 'lenet5'"),
        (["summary", "lenet5", "--input", "1xAx2"], "input shape is written like 1x28x28"),
        (["draw", "missing.safetensors"], "No such weights file"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(arguments, message, tmp_path):
    result = cnnlab(*arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
