"""model.json is checked whole before any network is built, each problem one line."""

import json

import numpy as np
import pytest
from PIL import Image

from checks.cli import cnnlab
from cnnlab.data import Normalize
from cnnlab.jobs import TrainedModel, load_trained, save_trained
from cnnlab.models import build_model
from cnnlab.weights import WeightsFileError


@pytest.fixture
def bundle(tmp_path):
    """A LeNet-5 with 5 classes as ``cnnlab train`` writes it, and a function to edit its JSON."""
    arguments = {"num_classes": 5, "in_channels": 1, "input_size": 28}
    model = build_model("lenet5", rng=0, **arguments)
    trained = TrainedModel(
        model, "lenet5", arguments, tuple("abcde"), (1, 28, 28), Normalize(0.5, 0.25)
    )
    weights, described = save_trained(trained, tmp_path / "model.safetensors")

    def edit(change):
        info = json.loads(described.read_text())
        change(info)
        described.write_text(json.dumps(info))
        return weights

    return edit


WRONG_FIELDS = {
    "no-architecture": (lambda d: d.pop("architecture"), "lacks the field architecture"),
    "no-arguments-normalize": (
        lambda d: d.pop("arguments") and d.pop("normalize"),
        "lacks the fields arguments, normalize",
    ),
    "3-names-5-outputs": (
        lambda d: d.update(classes=["a", "b", "c"]),
        r"`num_classes` must equal the number of class names \(3\)",
    ),
    "1e9-classes": (
        lambda d: d["arguments"].update(num_classes=1e9),
        r"an int from 1 to 100,000.*num_classes=1000000000\.0",
    ),
    "version-99": (lambda d: d.update(version=99), "written for version 99 of the description"),
    "unknown-argument": (
        lambda d: d["arguments"].update(depth=50),
        "keys among num_classes, in_channels, input_size",
    ),
    "zero-std": (lambda d: d.update(normalize={"mean": [0.5], "std": [0]}), "std positive"),
}


@pytest.mark.parametrize("change, message", WRONG_FIELDS.values(), ids=WRONG_FIELDS)
def test_a_wrong_field_is_named_in_one_line(bundle, change, message):
    with pytest.raises(WeightsFileError, match=message) as refused:
        load_trained(bundle(change))
    assert "\n" not in str(refused.value) and "model.json" in str(refused.value)


def test_sizes_that_the_weights_do_not_hold_are_refused_before_building(bundle):
    def seven_classes(info):
        info.update(classes=list("abcdefg"))
        info["arguments"].update(num_classes=7)

    with pytest.raises(WeightsFileError, match="7 outputs, but no tensor in model.safetensors"):
        load_trained(bundle(seven_classes))


def test_show_writes_nothing_when_the_description_is_wrong(bundle, tmp_path):
    weights = bundle(lambda d: d.update(classes=["a", "b", "c"]))
    image = tmp_path / "digit.png"
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(image)
    finished = cnnlab("show", weights, image, "-o", tmp_path / "shown")
    assert finished.returncode == 2
    assert finished.stderr.count("\n") == 1 and "num_classes" in finished.stderr
    assert not (tmp_path / "shown").exists() or not any((tmp_path / "shown").rglob("*.png"))
