"""Shared pieces of the training tests: a small drawn dataset and small models."""

from types import SimpleNamespace

import numpy as np
import pytest

from cnnlab.data import Dataset
from cnnlab.nn import Conv2d, Dropout, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential


def draw_bars(count: int, seed: int, size: int = 8) -> Dataset:
    """Noisy ``size``x``size`` images: a horizontal bar (class 0) or a vertical bar (class 1)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=count)
    images = rng.normal(0.0, 0.3, size=(count, 1, size, size))
    where = rng.integers(1, size - 1, size=count)
    for i, (label, at) in enumerate(zip(labels, where, strict=True)):
        if label == 0:
            images[i, 0, at, 1:-1] += 1.0
        else:
            images[i, 0, 1:-1, at] += 1.0
    return Dataset(images, labels, ("horizontal", "vertical"))


def small_cnn(seed: int, dropout: float = 0.0) -> Sequential:
    """conv 4@3x3 -> relu -> maxpool 2 -> flatten -> (dropout) -> linear 64 -> 2, for 8x8."""
    rng = np.random.default_rng(seed)
    layers = [Conv2d(1, 4, 3, padding=1, rng=rng), ReLU(), MaxPool2d(2), Flatten()]
    if dropout:
        layers.append(Dropout(dropout, rng=rng.integers(2**32)))
    return Sequential(*layers, Linear(4 * 4 * 4, 2, rng=rng))


def tripwire(model: Module, at: int, action) -> Module:
    """Make forward call number ``at`` (from 1) of ``model`` return ``action(output)``.

    The model keeps its state-dict names, so its checkpoints fit an unwired twin.
    """
    forward, calls = model.forward, [0]

    def wired(x):
        calls[0] += 1
        output = forward(x)
        return action(output) if calls[0] == at else output

    model.forward = wired
    return model


def press_ctrl_c(output):
    raise KeyboardInterrupt


@pytest.fixture(scope="session")
def bars():
    """``(train, val)``: 256 and 128 images of bars."""
    return draw_bars(256, seed=1), draw_bars(128, seed=2)


@pytest.fixture(scope="session")
def kit():
    """The helpers above, for the test modules (a conftest is not imported by name)."""
    return SimpleNamespace(
        draw_bars=draw_bars, small_cnn=small_cnn, tripwire=tripwire, press_ctrl_c=press_ctrl_c
    )
