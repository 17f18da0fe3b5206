"""Guessing with a model trained by cnnlab, and with ImageNet-shaped weights from torch."""

import numpy as np
import pytest
import torch

from cnnlab.data import shapes
from cnnlab.guessing import Guess, Guesser, guess, imagenet_classes
from cnnlab.imageio import read_image, write_image
from cnnlab.jobs import load_trained, train_classifier
from cnnlab.models import resnet18


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    data = shapes(300, size=28, rng=0)
    out = tmp_path_factory.mktemp("trained")
    train_classifier((data[:250], data[250:]), epochs=2, out=out, quiet=True)
    test = shapes(10, size=28, rng=7)
    files = []
    for i, (image, label) in enumerate(zip(test.images, test.labels, strict=True)):
        write_image(out / f"{i}.png", image[0])
        files.append((out / f"{i}.png", int(label)))
    return out / "model.safetensors", files, test.classes


@pytest.fixture(scope="module")
def imagenet_pth(tmp_path_factory):
    """Random resnet18 weights saved by torch, under torchvision's key names."""
    state = resnet18(rng=0).state_dict()
    path = tmp_path_factory.mktemp("zoo") / "resnet18-random.pth"
    torch.save({name: torch.from_numpy(np.array(value)) for name, value in state.items()}, path)
    return path


def test_a_model_from_cnnlab_train_guesses_shapes_from_image_files(trained):
    weights, files, classes = trained
    guesser = Guesser.load(weights=weights)
    assert guesser.classes == tuple(classes)
    model = load_trained(weights)
    pixels = np.stack([read_image(path)[None] for path, _ in files])
    expected = model.predict_proba(pixels)
    for (path, _), row in zip(files, expected, strict=True):
        result = guesser.guess(path, top=2)
        order = np.argsort(row)[::-1][:2]
        assert result.labels == tuple(classes[i] for i in order)
        np.testing.assert_allclose(result.probabilities, row[order], rtol=1e-5)


def test_the_guess_reads_like_the_bot(trained):
    weights, files, _ = trained
    result = guess(files[0][0], weights=weights, top=1)
    lines = str(result).splitlines()
    assert lines[0] == f"Image prediction: {result.label}"
    assert lines[1] == f"Confidence: {round(result.confidence * 100, 2)}%"
    assert len(lines) == 2


def test_confidence_is_rounded_as_the_bot_rounds():
    assert str(Guess("a", ("ping-pong ball",), (0.999999,))).splitlines()[1] == "Confidence: 100.0%"
    assert str(Guess("a", ("torch",), (0.876543,))).splitlines()[1] == "Confidence: 87.65%"
    top = str(Guess("a", ("torch", "tench"), (0.75, 0.25))).splitlines()
    assert top[2:] == ["top 2 guesses:", "torch [ 0.750 ]", "tench [ 0.250 ]"]


def test_tta_averages_over_views_and_says_so(trained):
    weights, files, _ = trained
    result = guess(files[1][0], weights=weights, top=3, tta=True)
    assert result.views == 10
    assert "averaged over 10 views" in str(result)
    assert len(result.probabilities) == 3 and sum(result.probabilities) <= 1 + 1e-6


def test_random_imagenet_weights_from_a_pth_give_an_imagenet_label(imagenet_pth, tmp_path):
    picture = np.random.default_rng(0).random((300, 400, 3))
    write_image(tmp_path / "photo.jpg", picture)
    guesser = Guesser.load("resnet18", imagenet_pth)
    result = guesser.guess(tmp_path / "photo.jpg", top=5)
    assert result.label in imagenet_classes() and len(result.labels) == 5
    assert str(result).startswith(f"Image prediction: {result.label}\nConfidence: ")
    again = guesser.guess(np.asarray(picture, np.float32), top=5)
    assert again.label == result.label


def test_weights_that_do_not_fit_the_model_name_the_problem(imagenet_pth):
    with pytest.raises(ValueError, match="do not match ResNet"):
        Guesser.load("resnet34", imagenet_pth)


def test_a_model_without_known_weights_asks_for_a_file():
    with pytest.raises(ValueError, match="no known ImageNet weights for lenet5"):
        Guesser.load("lenet5")
