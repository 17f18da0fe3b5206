"""Shared pieces of the picture tests: reading what was drawn, and a deep test network."""

import re
from itertools import combinations

import numpy as np
import pytest
from matplotlib import rc_context

from cnnlab.imageio import read_image
from cnnlab.nn import (
    AdaptiveAvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    Residual,
    Sequential,
)
from cnnlab.viz import schematic_figure


def bottleneck(c_in: int, width: int, c_out: int, stride: int, rng) -> Sequential:
    """A ResNeXt block: 1x1 -> grouped 3x3 (cardinality 32) -> 1x1, BN after each; ReLU."""
    main = Sequential(
        Conv2d(c_in, width, 1, bias=False, rng=rng),
        BatchNorm2d(width),
        ReLU(),
        Conv2d(width, width, 3, stride=stride, padding=1, groups=32, bias=False, rng=rng),
        BatchNorm2d(width),
        ReLU(),
        Conv2d(width, c_out, 1, bias=False, rng=rng),
        BatchNorm2d(c_out),
    )
    shortcut = None
    if stride != 1 or c_in != c_out:
        shortcut = Sequential(
            Conv2d(c_in, c_out, 1, stride=stride, bias=False, rng=rng), BatchNorm2d(c_out)
        )
    return Sequential(Residual(main, shortcut), ReLU())


def resnext_like(blocks=(3, 4, 6, 3), seed: int = 0) -> Sequential:
    """A 53-convolution ResNeXt-shaped network (stem, 4 stages, global pool, dense)."""
    rng = np.random.default_rng(seed)
    layers = [
        Conv2d(3, 64, 7, stride=2, padding=3, bias=False, rng=rng),
        BatchNorm2d(64),
        ReLU(),
        MaxPool2d(3, stride=2, padding=1),
    ]
    channels = 64
    for stage, count in enumerate(blocks):
        width = 64 * 2**stage
        for index in range(count):
            stride = 2 if index == 0 and stage > 0 else 1
            layers.append(bottleneck(channels, width, 2 * width, stride, rng))
            channels = 2 * width
    layers += [AdaptiveAvgPool2d(1), Flatten(), Linear(channels, 10, rng=rng)]
    return Sequential(*layers)


@pytest.fixture(scope="session")
def deep_net():
    return resnext_like()


@pytest.fixture(scope="session")
def deep_figure(deep_net):
    """The schematic of ``deep_net`` for 3x32x32 inputs (drawing it takes a while)."""
    return schematic_figure(deep_net, (3, 32, 32), title="ResNeXt-like")


@pytest.fixture
def picture():
    """The pixels of a saved PNG, ``(H, W)`` or ``(H, W, 3)`` in [0, 1]."""
    return lambda path: read_image(path)


@pytest.fixture
def svg_texts():
    """Call ``save(path)`` with SVG text kept as text; return the strings it wrote."""

    def texts(save, path):
        with rc_context({"svg.fonttype": "none"}):
            save(path)
        return [
            re.sub(r"<[^>]+>", "", body).strip()
            for body in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(), re.S)
        ]

    return texts


@pytest.fixture
def overlapping_labels():
    """Pairs of labels (text artists) of a figure whose boxes overlap (Agg renderer)."""

    def pairs(figure, tolerance: float = 0.5):
        renderer = figure.canvas.get_renderer()
        texts = [t for axes in figure.axes for t in axes.texts] + list(figure.texts)
        texts = [t for t in texts if t.get_visible() and t.get_text().strip()]
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        return [
            (a, b)
            for (a, box_a), (b, box_b) in combinations(boxes, 2)
            if box_a.x0 + tolerance < box_b.x1
            and box_b.x0 + tolerance < box_a.x1
            and box_a.y0 + tolerance < box_b.y1
            and box_b.y0 + tolerance < box_a.y1
        ]

    return pairs
