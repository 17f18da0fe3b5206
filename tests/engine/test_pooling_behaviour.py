"""What pooling does, shown on small cases, and how it refuses bad input."""

import numpy as np
import pytest
import torch

from cnnlab import nn
from cnnlab.functional import avg_pool2d, max_pool2d, max_pool_backward


def max_pool2d_oracle(x, kernel_size, stride, padding):
    """The definition, one window at a time (a test oracle, never library code)."""
    padded = np.pad(x, ((0, 0), (0, 0), (padding,) * 2, (padding,) * 2), constant_values=-np.inf)
    H_out = (x.shape[2] + 2 * padding - kernel_size) // stride + 1
    W_out = (x.shape[3] + 2 * padding - kernel_size) // stride + 1
    out = np.empty(x.shape[:2] + (H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = padded[
                :, :, i * stride : i * stride + kernel_size, j * stride : j * stride + kernel_size
            ]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


@pytest.mark.parametrize(("kernel_size", "stride", "padding"), [(2, 2, 0), (3, 2, 1), (3, 1, 0)])
def test_max_pool_picks_the_largest_value_in_each_window(kernel_size, stride, padding):
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 9))
    y = nn.MaxPool2d(kernel_size, stride, padding)(x)
    np.testing.assert_array_equal(y, max_pool2d_oracle(x, kernel_size, stride, padding))


def test_a_tie_in_max_pool_sends_the_whole_gradient_to_the_first_maximum():
    pool = nn.MaxPool2d(2)
    pool(np.ones((1, 1, 2, 2)))
    grad = pool.backward(np.full((1, 1, 1, 1), 5.0))
    np.testing.assert_array_equal(grad, [[[[5.0, 0.0], [0.0, 0.0]]]])


@pytest.mark.parametrize(("kernel_size", "stride", "padding"), [(2, 2, 0), (3, 1, 1), (3, 2, 1)])
def test_ties_in_max_pool_route_the_gradient_like_torch(kernel_size, stride, padding):
    x = np.random.default_rng(1).integers(0, 3, size=(2, 2, 7, 9)).astype(np.float64)
    ours = nn.MaxPool2d(kernel_size, stride, padding)
    y = ours(x)
    grad_out = np.random.default_rng(2).standard_normal(y.shape)
    x_torch = torch.tensor(x, requires_grad=True)
    torch.nn.MaxPool2d(kernel_size, stride, padding)(x_torch).backward(torch.tensor(grad_out))
    np.testing.assert_allclose(ours.backward(grad_out), x_torch.grad.numpy(), atol=1e-12)


def test_max_pool_gradient_lands_only_on_the_maxima():
    x = np.array([[[[1.0, 9.0, 2.0, 3.0], [4.0, 0.0, 8.0, 5.0]]]])
    y, ctx = max_pool2d(x, 2)
    np.testing.assert_array_equal(y, [[[[9.0, 8.0]]]])
    grad = max_pool_backward(np.array([[[[1.0, 2.0]]]]), ctx)
    np.testing.assert_array_equal(grad, [[[[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0]]]])


@pytest.mark.parametrize(
    ("size", "kernel_size", "stride", "padding"),
    [(8, 2, 2, 0), (6, 3, 3, 1), (7, 2, 2, 0), (8, 3, 2, 1)],
    ids=["tiles", "tiles-padded", "leaves-an-edge", "overlaps"],
)
def test_max_pool_gradient_is_zero_off_the_maxima_even_in_unzeroed_memory(
    monkeypatch, size, kernel_size, stride, padding
):
    # Where the windows tile the input, backward skips zeroing its gradient: every
    # element is written. Make fresh memory NaN to show that none is left unwritten.
    x = np.random.default_rng(5).standard_normal((2, 3, size, size)).astype(np.float32)
    y, ctx = max_pool2d(x, kernel_size, stride, padding)
    grad_out = np.random.default_rng(6).standard_normal(y.shape).astype(np.float32)
    fresh = np.empty
    monkeypatch.setattr(np, "empty", lambda *a, **k: np.full_like(fresh(*a, **k), np.nan))
    grad = max_pool_backward(grad_out, ctx)
    monkeypatch.undo()
    xt = torch.from_numpy(x).requires_grad_(True)
    torch.nn.functional.max_pool2d(xt, kernel_size, stride, padding).backward(
        torch.from_numpy(grad_out)
    )
    np.testing.assert_allclose(grad, xt.grad.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(("padding", "count_include_pad"), [(0, True), (1, False)])
def test_average_pool_of_a_constant_image_is_constant(padding, count_include_pad):
    y, _ = avg_pool2d(np.full((1, 2, 7, 9), 3.5), 3, 2, padding, count_include_pad)
    np.testing.assert_allclose(y, 3.5)


def test_average_pool_counting_the_padding_darkens_the_border():
    y, _ = avg_pool2d(np.ones((1, 1, 4, 4)), 3, 1, 1)
    assert y[0, 0, 0, 0] == pytest.approx(4 / 9)
    assert y[0, 0, 1, 1] == 1.0


def test_global_average_pool_is_the_mean_of_each_channel():
    x = np.random.default_rng(3).standard_normal((2, 3, 5, 4)).astype(np.float32)
    y = nn.AdaptiveAvgPool2d(1)(x)
    assert y.shape == (2, 3, 1, 1)
    np.testing.assert_allclose(y[:, :, 0, 0], x.mean(axis=(2, 3)), rtol=1e-6)


@pytest.mark.parametrize("layer", [nn.MaxPool2d(2), nn.AvgPool2d(3, 1, 1), nn.AdaptiveAvgPool2d(1)])
def test_pooling_keeps_float32_in_forward_and_backward(layer):
    x = np.random.default_rng(4).standard_normal((2, 3, 6, 6)).astype(np.float32)
    y = layer(x)
    assert y.dtype == np.float32
    assert layer.backward(np.ones_like(y)).dtype == np.float32


def test_integer_images_are_pooled_in_float32():
    y = nn.AvgPool2d(2)(np.arange(16, dtype=np.uint8).reshape(1, 1, 4, 4))
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, [[[[2.5, 4.5], [10.5, 12.5]]]])


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        (nn.MaxPool2d(2), "MaxPool2d(kernel_size=2, stride=2)"),
        (nn.MaxPool2d(3, 1, 1, 2), "MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=2)"),
        (nn.MaxPool1d(3, 2), "MaxPool1d(kernel_size=3, stride=2)"),
        (nn.AvgPool2d((2, 3)), "AvgPool2d(kernel_size=(2, 3), stride=(2, 3))"),
        (
            nn.AvgPool1d(2, count_include_pad=False),
            "AvgPool1d(kernel_size=2, stride=2, count_include_pad=False)",
        ),
        (nn.AdaptiveAvgPool2d((1, 1)), "AdaptiveAvgPool2d(output_size=(1, 1))"),
    ],
)
def test_repr_shows_the_window_briefly(layer, expected):
    assert repr(layer) == expected


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (nn.MaxPool2d(2), (3, 8, 8), r"`input` must have 4 dimensions \(N, C, H, W\)"),
        (nn.AvgPool2d(2), (1, 3, 8), r"`input` must have 4 dimensions \(N, C, H, W\)"),
        (nn.MaxPool1d(2), (1, 3, 8, 8), r"`input` must have 3 dimensions \(N, C, L\)"),
        (nn.AdaptiveAvgPool2d(1), (3, 8), r"`input` must have 4 dimensions \(N, C, H, W\)"),
        (nn.MaxPool2d(3), (1, 1, 2, 5), "The input is smaller than the kernel"),
        (nn.AvgPool1d(4, padding=1), (1, 1, 1), "The input is smaller than the kernel"),
    ],
)
def test_pooling_refuses_inputs_of_the_wrong_shape(layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer(np.zeros(shape, dtype=np.float32))


def test_pooling_refuses_a_gradient_of_the_wrong_shape():
    pool = nn.MaxPool2d(2)
    pool(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="`grad_out` and `output` must have the same shape"):
        pool.backward(np.zeros((1, 1, 4, 4)))


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: nn.MaxPool2d(3, padding=2),
            ValueError,
            r"`padding` must be at most half of `kernel_size` \(as in PyTorch\). "
            r"Received: padding=\(2, 2\), kernel_size=\(3, 3\).",
        ),
        (lambda: nn.MaxPool2d(0), ValueError, "`kernel_size` must be a positive int"),
        (lambda: nn.AvgPool1d(2, stride=(1, 1)), ValueError, "`stride` must be a positive int"),
        (
            lambda: nn.AdaptiveAvgPool2d(0),
            ValueError,
            r"`output_size` of AdaptiveAvgPool2d must be a positive int or 2 of them \(None "
            r"keeps that axis's size\). Received: output_size=0.",
        ),
        (lambda: nn.AdaptiveAvgPool2d((1, 2, 3)), ValueError, "must be a positive int or 2"),
        (lambda: nn.AdaptiveAvgPool1d(1.5), ValueError, "must be a positive int or 1"),
    ],
)
def test_pooling_refuses_bad_arguments(build, error, message):
    with pytest.raises(error, match=message):
        build()
