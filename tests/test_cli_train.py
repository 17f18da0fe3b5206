"""`cnnlab train` and `cnnlab predict` end to end, through a subprocess."""

import json

import numpy as np
import pytest

from checks.cli import cnnlab
from cnnlab.data import shapes
from cnnlab.imageio import write_image


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One epoch of LeNet-5 on the built-in shapes, written by `cnnlab train`."""
    folder = tmp_path_factory.mktemp("run")
    result = cnnlab("train", "shapes", "--epochs", "1", "--out", folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out", result


def test_train_writes_weights_description_history_and_curves(trained):
    out, result = trained
    for name in ("model.safetensors", "model.json", "history.csv", "curves.png"):
        assert (out / name).exists(), name
    description = json.loads((out / "model.json").read_text())
    assert description["architecture"] == "lenet5"
    assert description["classes"] == ["circle", "square", "triangle", "cross", "ring"]
    assert len(description["normalize"]["mean"]) == 1
    assert "Test accuracy" in result.stdout


def test_predict_names_the_class_of_each_image(trained, tmp_path):
    out, _ = trained
    data = shapes(4, rng=123)
    paths = []
    for index, image in enumerate(data.images):
        paths.append(tmp_path / f"{index}.png")
        write_image(paths[-1], image[0])
    result = cnnlab("predict", out / "model.safetensors", *paths, "--top", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4
    assert all("%" in line and "; then" in line for line in lines)


def test_train_on_an_image_folder(tmp_path):
    data = shapes(40, size=16, classes=("circle", "cross"), rng=0)
    for index, (image, label) in enumerate(zip(data.images, data.labels, strict=True)):
        write_image(tmp_path / "pictures" / data.classes[label] / f"{index}.png", image[0])
    result = cnnlab("train", tmp_path / "pictures", "--epochs", "1", "--size", "16",
                    "--out", tmp_path / "out")  # fmt: skip
    assert result.returncode == 0, result.stderr
    description = json.loads((tmp_path / "out" / "model.json").read_text())
    assert description["classes"] == ["circle", "cross"]
    assert description["input_shape"] == [1, 16, 16]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["train", "shapez"], "did you mean 'shapes'"),
        (["train", "shapes", "--epochs", "0"], "`epochs` must be a positive int"),
        (["predict", "missing.safetensors", "x.png"], "No such weights file"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(arguments, message, tmp_path):
    result = cnnlab(*arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_demo_network_reaches_95_percent_on_shapes(tmp_path):
    """The demo's training part, with its own settings, clears the accuracy it promises."""
    from rich.console import Console

    from cnnlab.tour import training_tour

    result = training_tour(tmp_path, console=Console(quiet=True), quiet=True)
    assert result.test_accuracy >= 0.95
    assert np.isfinite(result.history.train_loss).all()


def test_train_ising_estimates_the_critical_temperature(tmp_path):
    """The physics experiment at a small lattice: the estimate lands near Tc = 2.269."""
    result = cnnlab("train", "ising", "--size", "16", "--out", tmp_path / "ising",
                    env={"CNNLAB_DATA": str(tmp_path / "cache")})  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "ising" / "result.json").read_text())
    assert 2.1 < summary["tc_estimate"] < 2.5
    assert (tmp_path / "ising" / "phases.png").exists()
    assert "2.269" in result.stdout
