"""Padding in PyTorch's four modes, its adjoint, and how it refuses impossible amounts."""

import itertools

import numpy as np
import pytest
import torch

from cnnlab.functional import PADDING_MODES, pad, pad_backward

TORCH_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}
# (shape, padding): 1-D, 2-D with odd sizes, asymmetric and one-sided, and padding as
# large as each mode allows (reflect: size - 1, circular: size).
CASES = [
    ((2, 3, 5), [(2, 1)]),
    ((2, 3, 5), [(0, 4)]),
    ((1, 2, 7, 9), [(1, 1), (2, 0)]),
    ((1, 2, 4, 5), [(3, 3), (4, 4)]),
    ((2, 1, 3, 4, 5), [(1, 2), (0, 1), (2, 2)]),
]


def allowed(mode, shape, padding):
    limit = {"reflect": -1, "circular": 0}.get(mode)
    sizes = shape[len(shape) - len(padding) :]
    return limit is None or all(max(p) <= n + limit for p, n in zip(padding, sizes))


PARAMS = [
    (mode, shape, padding)
    for mode, (shape, padding) in itertools.product(PADDING_MODES, CASES)
    if allowed(mode, shape, padding)
]


def torch_pad(x, padding, mode):
    flat = [amount for pair in reversed(padding) for amount in pair]  # torch: last axis first
    return torch.nn.functional.pad(x, flat, mode=TORCH_MODES[mode])


@pytest.mark.parametrize(("mode", "shape", "padding"), PARAMS)
def test_pad_and_its_gradient_match_torch(mode, shape, padding):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    x_torch = torch.tensor(x, requires_grad=True)
    y_torch = torch_pad(x_torch, padding, mode)
    y = pad(x, padding, mode)
    np.testing.assert_array_equal(y, y_torch.detach().numpy())
    grad = rng.standard_normal(y.shape)
    y_torch.backward(torch.tensor(grad))
    np.testing.assert_allclose(
        pad_backward(grad, padding, mode), x_torch.grad.numpy(), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize(("mode", "shape", "padding"), PARAMS)
def test_pad_backward_is_the_adjoint_of_pad(mode, shape, padding):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    padded = pad(x, padding, mode)
    g = rng.standard_normal(padded.shape)
    assert np.vdot(padded, g) == pytest.approx(
        np.vdot(x, pad_backward(g, padding, mode)), rel=1e-12
    )


def test_the_four_modes_on_one_row():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    expected = {
        "zeros": [0, 0, 1, 2, 3, 4, 0, 0],
        "reflect": [3, 2, 1, 2, 3, 4, 3, 2],
        "replicate": [1, 1, 1, 2, 3, 4, 4, 4],
        "circular": [3, 4, 1, 2, 3, 4, 1, 2],
    }
    for mode, values in expected.items():
        np.testing.assert_array_equal(pad(x, [(2, 2)], mode), values, err_msg=mode)


def test_circular_padding_is_a_window_onto_the_periodic_lattice():
    x = np.arange(12.0).reshape(3, 4)
    padded = pad(x, [(1, 2), (3, 1)], "circular")
    rows, cols = np.meshgrid(np.arange(-1, 5), np.arange(-3, 5), indexing="ij")
    np.testing.assert_array_equal(padded, x[rows % 3, cols % 4])


def test_pad_writes_into_a_given_buffer_and_keeps_the_dtype():
    x = np.ones((2, 3, 3), dtype=np.float32)
    out = np.full((2, 5, 5), np.nan, dtype=np.float32)
    result = pad(x, [1, 1], "zeros", out=out)
    assert result is out and out.dtype == np.float32
    assert out.sum() == 18 and not np.isnan(out).any()


@pytest.mark.parametrize(
    ("mode", "amount", "message"),
    [
        ("reflect", 3, "'reflect' padding must be smaller than the size of the axis it pads"),
        ("circular", 4, "'circular' padding can wrap around at most once"),
    ],
)
def test_padding_beyond_what_the_mode_allows_is_refused(mode, amount, message):
    with pytest.raises(ValueError, match=message):
        pad(np.zeros((1, 3)), [(amount, 0)], mode)


def test_an_unknown_mode_suggests_the_closest_names():
    with pytest.raises(ValueError, match="did you mean 'circular'"):
        pad(np.zeros(3), [(1, 1)], "circulr")


def test_negative_padding_is_refused():
    with pytest.raises(ValueError, match="`padding` must be a non-negative int"):
        pad(np.zeros(3), [(-1, 1)])
