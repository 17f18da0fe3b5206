"""Conv backward against float64 central differences, on several geometries."""

import functools

import numpy as np
import pytest

from checks.gradcheck import check_gradients
from cnnlab import nn

Conv1d = functools.partial(nn.Conv1d, rng=0)
Conv2d = functools.partial(nn.Conv2d, rng=0)
LAYERS = {
    "2d-plain": (lambda: Conv2d(3, 4, 3), (2, 3, 6, 7)),
    "2d-stride-padding": (lambda: Conv2d(2, 3, (3, 2), stride=2, padding=1), (2, 2, 7, 9)),
    "2d-dilation-same": (lambda: Conv2d(2, 2, 3, padding="same", dilation=2), (1, 2, 7, 8)),
    "2d-groups": (lambda: Conv2d(4, 6, 3, groups=2, padding=1, bias=False), (2, 4, 5, 5)),
    "2d-depthwise": (lambda: Conv2d(3, 3, 3, groups=3, stride=(1, 2)), (2, 3, 6, 7)),
    "2d-reflect": (lambda: Conv2d(2, 3, 3, padding=2, padding_mode="reflect"), (1, 2, 5, 6)),
    "2d-replicate": (
        lambda: Conv2d(2, 3, 2, padding=(1, 2), padding_mode="replicate"),
        (1, 2, 5, 6),
    ),
    "2d-circular": (lambda: Conv2d(2, 3, 3, padding="same", padding_mode="circular"), (1, 2, 5, 6)),
    "1d-plain": (lambda: Conv1d(3, 4, 3, stride=2, padding=1), (2, 3, 11)),
    "1d-circular-dilated": (
        lambda: Conv1d(2, 2, 3, dilation=2, padding=2, padding_mode="circular"),
        (2, 2, 9),
    ),
    "1d-depthwise": (lambda: Conv1d(4, 8, 2, groups=4, bias=False), (1, 4, 7)),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_conv_gradients_match_finite_differences(on_backend, name):
    make_layer, shape = LAYERS[name]
    check_gradients(make_layer(), np.random.default_rng(0).standard_normal(shape))
