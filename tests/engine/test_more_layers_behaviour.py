"""What the newer torch.nn layers show: RReLU's random slopes, shapes, errors, reprs."""

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from cnnlab import nn


# -- RReLU in training --------------------------------------------------------------------
def test_rrelu_in_training_matches_torch_for_the_same_slopes():
    x = 3 * np.random.default_rng(0).standard_normal((2, 3, 4))
    layer = nn.RReLU(0.1, 0.3, rng=1)
    y = layer(x)
    grad_out = np.random.default_rng(2).standard_normal(x.shape)
    noise = torch.tensor(layer.slopes)
    expected_y = torch.where(torch.tensor(x) <= 0, torch.tensor(x) * noise, torch.tensor(x))
    expected_grad = torch.ops.aten.rrelu_with_noise_backward(
        torch.tensor(grad_out), torch.tensor(x), noise, 0.1, 0.3, True, False
    )
    np.testing.assert_allclose(y, expected_y.numpy(), rtol=1e-15)
    np.testing.assert_allclose(layer.backward(grad_out), expected_grad.numpy(), rtol=1e-15)


def test_rrelu_draws_one_slope_in_its_range_per_negative_value_and_keeps_positives():
    x = np.concatenate([-np.ones(2000), np.ones(10)])
    layer = nn.RReLU(0.1, 0.3, rng=0)
    y = layer(x)
    slopes = -y[:2000]
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3
    assert abs(slopes.mean() - 0.2) < 0.01
    assert len(np.unique(slopes)) == 2000
    np.testing.assert_array_equal(y[2000:], 1.0)


def test_rrelu_with_the_same_seed_draws_the_same_slopes_and_eval_uses_their_mean():
    x = np.random.default_rng(3).standard_normal(50)
    np.testing.assert_array_equal(nn.RReLU(rng=7)(x), nn.RReLU(rng=7)(x))
    assert not np.array_equal(nn.RReLU(rng=7)(x), nn.RReLU(rng=8)(x))
    np.testing.assert_allclose(nn.RReLU(0.2, 0.4).eval()(np.array([-1.0])), [-0.3])


def test_rrelu_in_training_gradient_matches_finite_differences():
    layer = nn.RReLU(rng=0)

    def reseed():  # every pass draws the same slopes
        layer.rng = np.random.default_rng(5)

    check_gradients(layer, np.random.default_rng(4).standard_normal((2, 5)), before_forward=reseed)


# -- shapes -----------------------------------------------------------------------------
def test_pixel_unshuffle_undoes_pixel_shuffle():
    x = np.random.default_rng(0).standard_normal((2, 12, 3, 4))
    np.testing.assert_array_equal(nn.PixelUnshuffle(2)(nn.PixelShuffle(2)(x)), x)


def test_pixel_shuffle_puts_each_group_of_channels_in_one_block_of_pixels():
    x = np.arange(8.0).reshape(1, 8, 1, 1)  # two output channels of 2x2 blocks
    y = nn.PixelShuffle(2)(x)
    np.testing.assert_array_equal(y[0, 1], [[4.0, 5.0], [6.0, 7.0]])


def test_unflatten_undoes_flatten():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    flat = nn.Flatten()(x)
    np.testing.assert_array_equal(nn.Unflatten(1, (3, 4, 5))(flat), x)


def test_glu_halves_its_dimension():
    assert nn.GLU(dim=1)(np.zeros((2, 6, 5))).shape == (2, 3, 5)


def test_local_response_norm_damps_a_channel_with_loud_neighbours():
    x = np.ones((1, 5, 1, 1))
    quiet = nn.LocalResponseNorm(3, alpha=1.0)(x)[0, 2, 0, 0]
    x[0, 1] = x[0, 3] = 10.0
    loud = nn.LocalResponseNorm(3, alpha=1.0)(x)[0, 2, 0, 0]
    assert loud < quiet / 4


def test_alexnets_lrn_layer_matches_its_paper():
    # b_c = a_c / (k + alpha_paper * sum of squares of 5 neighbours) ** beta, alpha_paper = 1e-4
    x = np.random.default_rng(0).standard_normal((1, 8, 2, 2)) * 30
    squares = np.pad(x**2, ((0, 0), (2, 2), (0, 0), (0, 0)))
    paper = x / (2 + 1e-4 * sum(squares[:, i : i + 8] for i in range(5))) ** 0.75
    np.testing.assert_allclose(nn.LocalResponseNorm(5, alpha=5e-4, k=2.0)(x), paper, rtol=1e-12)


def test_torchs_cross_map_lrn2d_is_wrong_beyond_its_first_channels():
    # Why cnnlab's CrossMapLRN2d follows torch's LocalResponseNorm: torch's adds
    # channel 0 into the window of channel 3 and on (size 5), and fails its own gradcheck.
    x = torch.randn(1, 6, 2, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    theirs = torch.nn.CrossMapLRN2d(5, alpha=1.0)(x)
    reference = torch.nn.LocalResponseNorm(5, alpha=1.0)(x)
    assert torch.allclose(theirs[:, :3], reference[:, :3])
    assert not torch.allclose(theirs[:, 3:], reference[:, 3:])
    np.testing.assert_allclose(nn.CrossMapLRN2d(5, alpha=1.0)(x.numpy()), reference.numpy())


# -- float32 stays float32 -----------------------------------------------------------------
@pytest.mark.parametrize(
    "layer",
    [nn.CELU(), nn.SELU(), nn.GLU(), nn.Hardshrink(), nn.Hardtanh(), nn.LogSigmoid(),
     nn.Mish(), nn.RReLU(rng=0), nn.Softshrink(), nn.Softsign(), nn.Tanhshrink(),
     nn.Threshold(0.0, -1.0), nn.LocalResponseNorm(2)],
    ids=lambda layer: type(layer).__name__,
)  # fmt: skip
def test_new_layers_keep_float32_in_forward_and_backward(layer):
    x = np.random.default_rng(3).standard_normal((2, 3, 4)).astype(np.float32)
    y = layer(x)
    assert y.dtype == np.float32
    assert layer.backward(np.ones_like(y)).dtype == np.float32


# -- errors and reprs ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.CELU(alpha=0.0), ValueError, r"`alpha` must not be 0"),
        (lambda: nn.Hardtanh(1.0, -1.0), ValueError, r"`max_val` must be greater than `min_val`"),
        (lambda: nn.Softshrink(-1.0), ValueError, r"`lambd` must be"),
        (lambda: nn.RReLU(0.5, 0.1), ValueError, r"`lower` must not exceed `upper`"),
        (lambda: nn.PixelShuffle(0), ValueError, r"`upscale_factor` must be a positive int"),
        (lambda: nn.Unflatten(1, (2, 0)), ValueError, r"`unflattened_size` must be a tuple"),
        (lambda: nn.Unflatten(1, (-1, -1)), ValueError, r"one of them may be -1"),
        (lambda: nn.LocalResponseNorm(0), ValueError, r"`size` must be a positive int"),
    ],
)
def test_bad_settings_are_refused_when_the_layer_is_made(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize(
    ("layer", "x", "message"),
    [
        (nn.GLU(), np.zeros((2, 5)), r"GLU halves `dim`, so the input's size along it must be"),
        (nn.PixelShuffle(2), np.zeros((1, 6, 2, 2)), r"divisible by upscale_factor\*\*2 = 4"),
        (nn.PixelUnshuffle(2), np.zeros((1, 1, 3, 4)), r"divisible by downscale_factor = 2"),
        (nn.PixelShuffle(2), np.zeros((4, 2)), r"at least 3 dimensions \(\*, C, H, W\)"),
        (nn.Unflatten(1, (2, 4)), np.zeros((2, 6)), r"cannot split dimension 1 of size 6"),
        (nn.LocalResponseNorm(3), np.zeros((2, 3)), r"at least 3 dimensions \(N, C, \*\)"),
        (nn.CrossMapLRN2d(3), np.zeros((2, 3, 4)), r"needs a 4-D input \(N, C, H, W\)"),
    ],
    ids=["glu", "shuffle", "unshuffle", "shuffle-2d", "unflatten", "lrn", "cross-map"],
)  # fmt: skip
def test_inputs_that_do_not_fit_are_refused_with_their_shape(layer, x, message):
    with pytest.raises(ValueError, match=message):
        layer(x)


@pytest.mark.parametrize(
    "layer",
    [nn.Mish(), nn.Threshold(0.1, 20.0), nn.LocalResponseNorm(3), nn.RReLU(), nn.GLU()],
    ids=lambda layer: type(layer).__name__,
)
def test_backward_before_forward_is_a_clear_error(layer):
    with pytest.raises(RuntimeError, match=r"backward\(\) was called without a forward\(\)"):
        layer.backward(np.ones(3))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (nn.CELU(), torch.nn.CELU()),
        (nn.Hardtanh(), torch.nn.Hardtanh()),
        (nn.Hardshrink(), torch.nn.Hardshrink()),
        (nn.Threshold(0.1, 20.0), torch.nn.Threshold(0.1, 20.0)),
        (nn.GLU(), torch.nn.GLU()),
        (nn.SELU(), torch.nn.SELU()),
        (nn.PixelShuffle(2), torch.nn.PixelShuffle(2)),
        (nn.PixelUnshuffle(2), torch.nn.PixelUnshuffle(2)),
        (nn.Unflatten(1, (2, 2)), torch.nn.Unflatten(1, (2, 2))),
        (nn.LocalResponseNorm(5), torch.nn.LocalResponseNorm(5)),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_repr_is_torchs(ours, theirs):
    assert repr(ours) == repr(theirs)


def test_new_layers_have_no_state_like_torch():
    for layer in [nn.RReLU(), nn.GLU(), nn.LocalResponseNorm(3), nn.PixelShuffle(2)]:
        assert layer.state_dict() == {}


def test_rrelu_in_training_on_an_empty_batch_gives_empty_output_and_gradient():
    layer = nn.RReLU(rng=0)
    assert layer(np.zeros((0, 3))).shape == (0, 3)
    assert layer.backward(np.zeros((0, 3))).shape == (0, 3)
