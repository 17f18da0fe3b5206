"""Every MODEL form opens in the explorer, and the command line serves until Ctrl-C."""

import os
import re
import signal
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import torch

from checks.cli import cnnlab
from checks.explore_client import Client
from cnnlab import save
from cnnlab.cli.main import main
from cnnlab.data import Normalize
from cnnlab.explore import explore
from cnnlab.jobs import TrainedModel, save_trained
from cnnlab.models import lenet5

FACTORY = """
from cnnlab.nn import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential

input_shape = (1, 12, 12)


def tiny():
    return Sequential(Conv2d(1, 4, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(144, 3))


def residual():  # ImageNet's 1000 classes, on RGB
    from cnnlab.models.resnet import BasicBlock

    return Sequential(Conv2d(3, 8, 3, padding=1), ReLU(), BasicBlock(8, 8, rng=0),
                      MaxPool2d(2), Flatten(), Linear(8 * 6 * 6, 1000))


def not_a_model():
    return "a string"
"""


@pytest.fixture
def factory_file(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(textwrap.dedent(FACTORY))
    return path


def test_a_users_own_model_from_a_python_file(factory_file):
    with explore(f"{factory_file}:tiny", open_browser=False) as explorer:
        model = Client(explorer).get("/api/model").json()
    assert model["name"] == f"{factory_file}:tiny" and model["input_shape"] == [1, 12, 12]
    assert [layer["kind"] for layer in model["layers"]][:3] == ["Conv2d", "ReLU", "MaxPool2d"]
    assert model["classes"] == ["0", "1", "2"] and model["drawable"] is True


def test_a_python_file_says_what_it_must_provide(factory_file, tmp_path):
    with pytest.raises(TypeError, match="must return a cnnlab Module"):
        explore(f"{factory_file}:not_a_model", open_browser=False)
    with pytest.raises(ValueError, match="has no function 'missing'"):
        explore(f"{factory_file}:missing", open_browser=False)
    bare = tmp_path / "bare.py"
    bare.write_text(FACTORY.replace("input_shape = (1, 12, 12)", ""))
    with pytest.raises(ValueError, match=r"needs its input shape .* pass --input 1x28x28"):
        explore(f"{bare}:tiny", open_browser=False)
    with explore(f"{bare}:tiny", open_browser=False, input_shape=(1, 12, 12)) as explorer:
        assert explorer.session.input_shape == (1, 12, 12)


def test_a_model_of_signals_shows_each_map_as_one_row():
    from cnnlab.inspect import summary
    from cnnlab.models import spectra_cnn

    model = spectra_cnn(rng=0)
    with explore(model, open_browser=False, input_shape=(1, 256)) as explorer:
        client = Client(explorer)
        layer = client.get("/api/layer?layer=3").json()
        field = client.get("/api/field?layer=4&channel=2&col=20").json()
        refused = client.get("/api/field?layer=4&channel=2&row=1&col=20")
    assert (layer["channels"], layer["height"], layer["width"]) == (8, 1, 128)
    ((left, right),) = summary(model, (1, 256)).rows[4].receptive_field.interval((20,))
    assert field["analytic"] == {"top": 0, "left": left, "bottom": 0, "right": right}
    assert refused.status == 400 and "row in 0..0" in refused.json()["error"]


def test_a_model_from_cnnlab_train_brings_its_classes_and_examples(tmp_path):
    classes = ("circle", "square", "triangle", "cross", "ring")
    trained = TrainedModel(lenet5(num_classes=5, rng=0), "lenet5", {"num_classes": 5}, classes,
                           (1, 28, 28), Normalize([0.2], [0.3]))  # fmt: skip
    weights, _ = save_trained(trained, tmp_path / "model.safetensors")
    with explore(weights, open_browser=False) as explorer:
        client = Client(explorer)
        model = client.get("/api/model").json()
        answer = client.post_json("/api/input", {"example": "test-3"}).json()
    assert model["classes"] == list(classes)
    assert [e["id"] for e in model["examples"]][:2] == ["test-0", "test-1"]
    assert {p["class"] for p in answer["prediction"]} == set(classes)
    np.testing.assert_allclose(explorer.session.x, (explorer.session.image[None] - 0.2) / 0.3,
                               rtol=1e-5)  # fmt: skip


def test_a_weights_file_with_its_architecture(tmp_path):
    model = lenet5(rng=3)
    path = tmp_path / "lenet.pth"
    torch.save({k: torch.from_numpy(v.copy()) for k, v in model.state_dict().items()}, path)
    with explore(path, open_browser=False, architecture="lenet5") as explorer:
        weight = explorer.session.modules["0"].weight.data
        np.testing.assert_array_equal(weight, model[0].weight.data)
    with pytest.raises(ValueError, match="name its architecture with --model"):
        explore(path, open_browser=False)
    bare = tmp_path / "lenet.safetensors"  # weights only, no model.json beside them
    save(model, bare)
    with explore(bare, open_browser=False, architecture="lenet5") as explorer:
        np.testing.assert_array_equal(
            explorer.session.modules["3"].weight.data, model[3].weight.data
        )


def test_the_command_line_prints_the_url_serves_and_ends_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "cnnlab", "explore", "lenet5", "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"cnnlab explore: (http://127\.0\.0\.1:\d+/\?token=[\w-]+)\n", line)
        assert match, line
        base, token = match[1].split("/?token=")
        with urllib.request.urlopen(f"{base}/api/model?token={token}", timeout=30) as reply:
            assert b'"Conv2d"' in reply.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert out == "" and err.count("\n") == 1 and "interrupted" in err


def test_the_command_line_takes_a_python_file_and_explains_a_missing_shape(factory_file):
    bare = factory_file.with_name("bare.py")
    bare.write_text(FACTORY.replace("input_shape = (1, 12, 12)", ""))
    result = cnnlab("explore", f"{bare}:tiny", "--no-browser", timeout=60)
    assert result.returncode == 2 and "pass --input 1x28x28" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("port", ["-1", "65536"])
def test_the_command_line_refuses_a_port_outside_0_to_65535(port, capsys):
    assert main(["explore", "lenet5", "--no-browser", "--port", port]) == 2
    assert "`--port` must be" in capsys.readouterr().err


def test_an_image_to_start_with_is_the_first_input(tmp_path):
    from cnnlab.imageio import write_image

    picture = np.zeros((56, 56))
    picture[:, 28:] = 1.0
    write_image(tmp_path / "half.png", picture)
    with explore("lenet5", image=tmp_path / "half.png", open_browser=False) as explorer:
        image = explorer.session.image[0]
        assert image[:, :12].max() < 0.05 and image[:, -12:].min() > 0.95
        assert explorer._repr_html_().startswith(f'<iframe src="{explorer.url}"')
    with pytest.raises(FileNotFoundError, match="No such image file"):
        explore("lenet5", image=tmp_path / "none.png", open_browser=False)


def test_without_a_model_it_opens_the_demos_lenet5_training_it_if_missing(tmp_path, monkeypatch):
    from cnnlab.tour import training

    monkeypatch.chdir(tmp_path)
    made = []

    def quick_training(out, console=None, **options):  # the demo's training, made small
        made.append(out)
        out.mkdir(parents=True)
        classes = ("circle", "square", "triangle", "cross", "ring")
        trained = TrainedModel(lenet5(num_classes=5, rng=0), "lenet5", {"num_classes": 5},
                               classes, (1, 28, 28), Normalize([0.1], [0.3]))  # fmt: skip
        save_trained(trained, out / "model.safetensors")

    monkeypatch.setattr(training, "training_tour", quick_training)
    with explore(open_browser=False) as explorer:
        assert explorer.session.loaded.name == "lenet5 from cnnlab-demo/model.safetensors"
    with explore(open_browser=False):  # trained once, then read
        pass
    assert made == [Path("cnnlab-demo")]


def test_cnnlab_explore_is_both_the_package_and_the_function():
    import cnnlab

    with cnnlab.explore("lenet5", open_browser=False) as explorer:
        assert isinstance(explorer, cnnlab.explore.Explorer)
        assert isinstance(explorer.session, cnnlab.explore.Session)


def test_a_residual_net_shows_its_blocks_and_their_layers(factory_file):
    from cnnlab.inspect import summary

    with explore(f"{factory_file}:residual", open_browser=False, input_shape=(3, 12, 12)) as ex:
        client = Client(ex)
        model = client.get("/api/model").json()
        block = client.get("/api/layer?layer=2").json()
        field = client.get("/api/field?layer=2&channel=5&row=2&col=1").json()
        regions = client.get("/api/schematic").json()["regions"]
        rows = {row.name: row for row in summary(ex.session.model, (3, 12, 12)).rows}
    names = [layer["name"] for layer in model["layers"]]
    assert "2.conv1" in names and "2" not in names  # the leaves are listed
    assert model["classes"][0] == "tench" and len(model["classes"]) == 1000  # ImageNet's
    assert (block["channels"], block["height"], block["width"]) == (8, 12, 12)
    (top, bottom), (left, right) = rows["2"].receptive_field.interval((2, 1))
    assert field["analytic"] == {"top": top, "left": left, "bottom": bottom, "right": right}
    residual = next(r for r in regions if "2.conv1" in r["layers"])
    assert residual["layers"][-1] == residual["layer"] == "2.relu"
