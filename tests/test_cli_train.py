"""`cnnlab train` and `cnnlab predict` end to end, through a subprocess."""

import json
import shutil

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


def test_training_again_into_a_trained_folder_is_refused_unless_asked(trained, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(trained[0], out)
    before = (out / "model.safetensors").read_bytes()
    result = cnnlab("train", "shapes", "--epochs", "1", "--out", out)
    assert result.returncode == 2
    assert result.stderr == (
        f"cnnlab train: error: {out} already holds a trained model (checkpoint.safetensors, "
        "model.safetensors): pass --resume to continue its training, or --overwrite to "
        "replace it (resume=True or overwrite=True from Python).\n"
    )
    assert (out / "model.safetensors").read_bytes() == before
    both = cnnlab("train", "shapes", "--out", out, "--resume", "--overwrite")
    assert both.returncode == 2 and "not allowed with argument --resume" in both.stderr
    again = cnnlab("train", "shapes", "--epochs", "1", "--size", "16", "--out", out, "--overwrite")
    assert again.returncode == 0, again.stderr
    assert json.loads((out / "model.json").read_text())["input_shape"] == [1, 16, 16]


@pytest.mark.parametrize("lr", ["1e6", "1e30"])
def test_a_full_batch_run_diverging_in_epoch_1_names_it_and_saves_nothing(lr, tmp_path):
    out = tmp_path / "out"
    result = cnnlab("train", "shapes", "--batch-size", "5400", "--epochs", "3", "--lr", lr,
                    "--out", out)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(
        "cnnlab train: error: Training diverged in epoch 1, batch 1 of 1: the validation loss"
    )
    assert len(result.stderr.splitlines()) == 1  # no RuntimeWarning before it, no traceback
    assert list(out.iterdir()) == []  # no checkpoint of the broken weights


def one_class_folder(root, classes=("circle",), empty=()):
    data = shapes(8, size=16, classes=classes, rng=0)
    for index, (image, label) in enumerate(zip(data.images, data.labels, strict=True)):
        write_image(root / data.classes[label] / f"{index}.png", image[0])
    for name in empty:
        (root / name).mkdir()
    return root


@pytest.mark.parametrize("empty", [(), ("square",)])
def test_a_folder_with_images_of_one_class_is_refused(empty, tmp_path):
    folder = one_class_folder(tmp_path / "pictures", empty=empty)
    result = cnnlab("train", folder, "--size", "16", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr == (
        "cnnlab train: error: A classifier needs images of at least 2 classes to tell apart, "
        f"but the training images of {folder} are all of one class: add a sub-folder of images "
        "for each other class. Received: classes=['circle'].\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["shapes", "--size", "0"], "`--size` must be a positive int. Received: size=0."),
        (["shapes", "--size", "-3"], "`--size` must be a positive int. Received: size=-3."),
        (["ising", "--size", "0"], "`--size` must be a positive int. Received: size=0."),
        (["shapes", "--size", "100000"], "7000 images of 100000x100000 pixels would need about "
         "851 TiB (935,360,000,000,000 bytes), more than this machine's "),
        (["mnist", "--size", "16"], "`size` sets the images of shapes and of image folders; "
         "mnist has its own size. Received: size=16."),
    ],
)  # fmt: skip
def test_bad_sizes_are_refused_before_any_work(arguments, message, tmp_path):
    result = cnnlab("train", *arguments, "--out", tmp_path / "out",
                    env={"CNNLAB_DATA": str(tmp_path / "cache")})  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(f"cnnlab train: error: {message}")
    assert len(result.stderr.splitlines()) == 1 and not result.stdout


def test_mnist_without_its_files_names_all_four_in_one_line(tmp_path):
    (tmp_path / "mirror" / "mnist").mkdir(parents=True)  # a local mirror without the files
    env = {"CNNLAB_DATA": str(tmp_path / "cache"), "CNNLAB_DATA_URL": str(tmp_path / "mirror")}
    result = cnnlab("train", "mnist", "--out", tmp_path / "out", env=env)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    files = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
    assert f"put {files}t10k-labels-idx1-ubyte.gz into {tmp_path / 'cache' / 'mnist'}" in (
        result.stderr
    )


def test_the_demo_network_reaches_95_percent_on_shapes(tmp_path):
    """The demo's training part, with its own settings, clears the accuracy it promises."""
    from rich.console import Console

    from cnnlab.tour import training_tour

    result = training_tour(tmp_path, console=Console(quiet=True), quiet=True)
    assert result.test_accuracy >= 0.95
    assert np.isfinite(result.history.train_loss).all()


def test_the_tour_may_train_again_into_its_own_folder(tmp_path):
    """The demo rewrites its folder on every run: the trained-folder guard lets it."""
    from rich.console import Console

    from cnnlab.tour import training_tour

    for _ in range(2):
        result = training_tour(tmp_path, count=300, epochs=1, console=Console(quiet=True))
    assert result.files["weights"].exists()


def test_train_ising_estimates_the_critical_temperature(tmp_path):
    """The physics experiment at a small lattice: the estimate lands near Tc = 2.269."""
    result = cnnlab("train", "ising", "--size", "16", "--out", tmp_path / "ising",
                    env={"CNNLAB_DATA": str(tmp_path / "cache")})  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "ising" / "result.json").read_text())
    assert 2.1 < summary["tc_estimate"] < 2.5
    assert (tmp_path / "ising" / "phases.png").exists()
    assert "2.269" in result.stdout
