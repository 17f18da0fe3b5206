"""The rest of torch.nn's one-input layers, from one table, against torch and finite differences.

Activations, pixel shuffles, Unflatten and local response normalisation: each row names
the layer, its torch twin and an input shape ``(N, ...)``; the tests run every row on
seeded inputs in float32 and float64, on a batch of 0, and without a batch axis where
torch takes one.
"""

from typing import NamedTuple

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab import nn


class Row(NamedTuple):
    ours: object  # () -> cnnlab layer
    theirs: object  # () -> torch layer
    shape: tuple  # batched input shape (N, ...)
    unbatched: bool = True  # torch also takes the shape without N


LAYERS = {
    "CELU": Row(lambda: nn.CELU(), lambda: torch.nn.CELU(), (2, 3, 4)),
    "CELU-alpha": Row(lambda: nn.CELU(0.5), lambda: torch.nn.CELU(0.5), (2, 3, 4)),
    "SELU": Row(lambda: nn.SELU(), lambda: torch.nn.SELU(), (2, 3, 4)),
    "GLU": Row(lambda: nn.GLU(), lambda: torch.nn.GLU(), (2, 3, 6)),
    "GLU-dim1": Row(lambda: nn.GLU(dim=1), lambda: torch.nn.GLU(dim=1), (2, 4, 3), False),
    "Hardshrink": Row(lambda: nn.Hardshrink(), lambda: torch.nn.Hardshrink(), (2, 3, 4)),
    "Hardshrink-1": Row(lambda: nn.Hardshrink(1.0), lambda: torch.nn.Hardshrink(1.0), (2, 5)),
    "Hardtanh": Row(lambda: nn.Hardtanh(), lambda: torch.nn.Hardtanh(), (2, 3, 4)),
    "Hardtanh-bounds": Row(
        lambda: nn.Hardtanh(-2.0, 0.5), lambda: torch.nn.Hardtanh(-2.0, 0.5), (2, 5)
    ),
    "LogSigmoid": Row(lambda: nn.LogSigmoid(), lambda: torch.nn.LogSigmoid(), (2, 3, 4)),
    "Mish": Row(lambda: nn.Mish(), lambda: torch.nn.Mish(), (2, 3, 4)),
    "RReLU-eval": Row(
        lambda: nn.RReLU(0.1, 0.3).eval(), lambda: torch.nn.RReLU(0.1, 0.3).eval(), (2, 3, 4)
    ),
    "Softshrink": Row(lambda: nn.Softshrink(), lambda: torch.nn.Softshrink(), (2, 3, 4)),
    "Softshrink-1": Row(lambda: nn.Softshrink(1.0), lambda: torch.nn.Softshrink(1.0), (2, 5)),
    "Softsign": Row(lambda: nn.Softsign(), lambda: torch.nn.Softsign(), (2, 3, 4)),
    "Tanhshrink": Row(lambda: nn.Tanhshrink(), lambda: torch.nn.Tanhshrink(), (2, 3, 4)),
    "Threshold": Row(
        lambda: nn.Threshold(0.1, 20.0), lambda: torch.nn.Threshold(0.1, 20.0), (2, 3, 4)
    ),
    "PixelShuffle": Row(lambda: nn.PixelShuffle(2), lambda: torch.nn.PixelShuffle(2), (2, 8, 3, 5)),
    "PixelShuffle-3": Row(
        lambda: nn.PixelShuffle(3), lambda: torch.nn.PixelShuffle(3), (1, 9, 2, 2)
    ),
    "PixelUnshuffle": Row(
        lambda: nn.PixelUnshuffle(2), lambda: torch.nn.PixelUnshuffle(2), (2, 3, 4, 6)
    ),
    "Unflatten": Row(
        lambda: nn.Unflatten(1, (2, 3)), lambda: torch.nn.Unflatten(1, (2, 3)), (2, 6, 4), False
    ),
    "Unflatten-last": Row(
        lambda: nn.Unflatten(-1, (2, -1)), lambda: torch.nn.Unflatten(-1, (2, -1)), (2, 3, 4)
    ),
    "LocalResponseNorm": Row(
        lambda: nn.LocalResponseNorm(3, alpha=0.5),
        lambda: torch.nn.LocalResponseNorm(3, alpha=0.5),
        (2, 6, 3, 4),
        False,
    ),
    "LocalResponseNorm-even-1d": Row(
        lambda: nn.LocalResponseNorm(4, alpha=1.0, beta=0.5, k=2.0),
        lambda: torch.nn.LocalResponseNorm(4, alpha=1.0, beta=0.5, k=2.0),
        (2, 7, 5),
        False,
    ),
    "LocalResponseNorm-3d": Row(
        lambda: nn.LocalResponseNorm(5, alpha=0.3),
        lambda: torch.nn.LocalResponseNorm(5, alpha=0.3),
        (2, 6, 2, 3, 2),
        False,
    ),
    # torch's own CrossMapLRN2d is wrong from channel (size + 1) // 2 on (see its docstring):
    # the twin is torch's LocalResponseNorm, the same maths, and below, torch's CrossMapLRN2d
    # where it is right.
    "CrossMapLRN2d": Row(
        lambda: nn.CrossMapLRN2d(5, alpha=0.3, k=2.0),
        lambda: torch.nn.LocalResponseNorm(5, alpha=0.3, k=2.0),
        (2, 8, 3, 3),
        False,
    ),
}
DTYPES = [np.float32, np.float64]
# On a batch of 0, torch 2.13's PixelShuffle backward raises and PixelUnshuffle returns
# its input's shape: these are checked against the shapes the formula gives instead.
TORCH_FAILS_ON_AN_EMPTY_BATCH = {"PixelShuffle", "PixelShuffle-3", "PixelUnshuffle"}


def _input(shape, seed=0):
    return 3 * np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", LAYERS)
def test_layer_matches_torch(name, dtype):
    row = LAYERS[name]
    assert_matches_torch(row.ours(), row.theirs(), _input(row.shape), dtype)


@pytest.mark.parametrize("name", LAYERS)
def test_layer_gradient_matches_finite_differences(name):
    row = LAYERS[name]
    check_gradients(row.ours(), _input(row.shape, seed=1))


@pytest.mark.parametrize("name", sorted(set(LAYERS) - TORCH_FAILS_ON_AN_EMPTY_BATCH))
def test_layer_on_an_empty_batch_gives_empty_output_and_gradient_like_torch(name):
    row = LAYERS[name]
    y = assert_matches_torch(row.ours(), row.theirs(), np.zeros((0,) + row.shape[1:]), np.float64)
    assert y.shape[0] == 0


@pytest.mark.parametrize("name", sorted(TORCH_FAILS_ON_AN_EMPTY_BATCH))
def test_pixel_shuffles_on_an_empty_batch_give_the_shapes_of_the_formula(name):
    row = LAYERS[name]
    x = np.zeros((0,) + row.shape[1:])
    expected = (0,) + row.ours()(np.zeros((1,) + row.shape[1:])).shape[1:]
    layer = row.ours()
    assert layer(x).shape == expected
    assert layer.backward(np.zeros(expected)).shape == x.shape


@pytest.mark.parametrize("name", [name for name, row in LAYERS.items() if row.unbatched])
def test_layer_without_a_batch_axis_matches_torch(name):
    row = LAYERS[name]
    assert_matches_torch(row.ours(), row.theirs(), _input(row.shape[1:], seed=2), np.float64)


@pytest.mark.parametrize(("size", "channels"), [(5, 3), (5, 2), (3, 2), (7, 4), (1, 1)])
def test_cross_map_lrn2d_equals_torch_on_the_channels_where_torch_is_right(size, channels):
    # torch's CrossMapLRN2d forward is right for channels <= (size + 1) // 2
    x = _input((2, channels, 3, 3))
    theirs = torch.nn.CrossMapLRN2d(size, alpha=0.4, beta=0.75, k=1.5)(torch.tensor(x)).numpy()
    ours = nn.CrossMapLRN2d(size, alpha=0.4, beta=0.75, k=1.5)(x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
