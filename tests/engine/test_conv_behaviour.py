"""What convolution does, shown on small cases, and how it refuses bad input."""

import numpy as np
import pytest

from cnnlab import nn
from cnnlab.backend.fast import conv as fast_conv
from cnnlab.functional import conv1d, conv2d, conv_backward

# The globals conv2d runs with (pytest's doctests may import its module a second time).
CONV_GLOBALS = fast_conv.conv2d.__globals__


def conv2d_oracle(x, weight, stride=1):
    """Cross-correlation by its definition, one output pixel at a time (a test oracle)."""
    c_out, _, kh, kw = weight.shape
    out_h = (x.shape[2] - kh) // stride + 1
    out_w = (x.shape[3] - kw) // stride + 1
    y = np.zeros((x.shape[0], c_out, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            y[:, :, i, j] = np.einsum("nchw,ochw->no", window, weight)
    return y


@pytest.mark.parametrize("stride", [1, 2])
def test_conv2d_is_the_sum_over_each_window_of_input_times_kernel(stride):
    rng = np.random.default_rng(0)
    x, weight = rng.standard_normal((2, 3, 7, 9)), rng.standard_normal((4, 3, 3, 2))
    y, _ = conv2d(x, weight, stride=stride)
    np.testing.assert_allclose(y, conv2d_oracle(x, weight, stride), rtol=1e-12, atol=1e-12)


def test_a_1x1_convolution_is_the_same_linear_map_at_every_pixel():
    rng = np.random.default_rng(1)
    x, weight, bias = (
        rng.standard_normal((2, 3, 5, 4)),
        rng.standard_normal((6, 3, 1, 1)),
        rng.standard_normal(6),
    )
    y, _ = conv2d(x, weight, bias)
    per_pixel = np.einsum("oc,nchw->nohw", weight[:, :, 0, 0], x) + bias[:, None, None]
    np.testing.assert_allclose(y, per_pixel, rtol=1e-12)


def test_a_delta_kernel_shifts_the_image():
    x = np.random.default_rng(2).standard_normal((1, 1, 6, 7))
    kernel = np.zeros((1, 1, 3, 3))
    kernel[0, 0, 2, 0] = 1.0  # picks the pixel one row down and one column left
    y, _ = conv2d(x, kernel, padding=1)
    np.testing.assert_array_equal(y[0, 0, :-1, 1:], x[0, 0, 1:, :-1])
    np.testing.assert_array_equal(y[0, 0, -1, :], 0.0)  # shifted in from the zero padding
    np.testing.assert_array_equal(y[0, 0, :, 0], 0.0)


@pytest.mark.parametrize("shift", [(1, 0), (2, 3), (-1, 5)])
def test_circular_padding_makes_conv_commute_with_a_lattice_translation(shift):
    rng = np.random.default_rng(3)
    spins = rng.choice([-1.0, 1.0], size=(2, 1, 8, 8))  # Ising configurations
    layer = nn.Conv2d(1, 4, 3, padding="same", padding_mode="circular", rng=0).to(np.float64)
    rolled_then_conv = layer(np.roll(spins, shift, axis=(2, 3)))
    conv_then_rolled = np.roll(layer(spins), shift, axis=(2, 3))
    np.testing.assert_allclose(rolled_then_conv, conv_then_rolled, rtol=1e-12, atol=1e-12)


def test_circular_conv1d_commutes_with_a_periodic_roll():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 2, 12))
    layer = nn.Conv1d(2, 3, 5, padding=2, padding_mode="circular", rng=0).to(np.float64)
    np.testing.assert_allclose(
        layer(np.roll(x, 4, axis=2)), np.roll(layer(x), 4, axis=2), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize(("kernel_size", "dilation"), [(3, 1), (4, 1), (3, 2), ((2, 5), 1)])
def test_same_padding_keeps_the_size(kernel_size, dilation):
    layer = nn.Conv2d(2, 3, kernel_size, padding="same", dilation=dilation, rng=0)
    assert layer(np.zeros((1, 2, 7, 9), dtype=np.float32)).shape == (1, 3, 7, 9)


def test_conv1d_is_conv2d_on_a_single_row():
    rng = np.random.default_rng(5)
    x, weight = rng.standard_normal((2, 3, 10)), rng.standard_normal((4, 3, 3))
    y1, ctx1 = conv1d(x, weight, stride=2, padding=1)
    y2, ctx2 = conv2d(x[:, :, None], weight[:, :, None], stride=(1, 2), padding=(0, 1))
    np.testing.assert_allclose(y1, y2[:, :, 0], rtol=1e-12)
    grad = rng.standard_normal(y1.shape)
    grad_x, grad_w, no_bias = conv_backward(grad, ctx1)
    grad_x_2d, grad_w_2d, _ = conv_backward(grad[:, :, None], ctx2)
    np.testing.assert_allclose(grad_x, grad_x_2d[:, :, 0], rtol=1e-12)
    np.testing.assert_allclose(grad_w, grad_w_2d[:, :, 0], rtol=1e-12)
    assert no_bias is None


def test_the_gradient_accumulates_over_two_backward_passes():
    layer = nn.Conv2d(2, 3, 3, rng=0)
    x = np.random.default_rng(6).standard_normal((1, 2, 5, 5)).astype(np.float32)
    grad_out = np.ones_like(layer(x))
    layer.backward(grad_out)
    once = layer.weight.grad.copy()
    layer(x)
    layer.backward(grad_out)
    np.testing.assert_allclose(layer.weight.grad, 2 * once, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_output_and_gradients_keep_the_parameter_dtype(dtype):
    layer = nn.Conv2d(1, 2, 3, rng=0, dtype=dtype)
    y = layer(np.zeros((2, 1, 5, 5), dtype=dtype))
    assert y.dtype == dtype
    assert layer.backward(np.ones_like(y)).dtype == dtype and layer.weight.grad.dtype == dtype


def test_integer_pixels_are_computed_in_float32():
    layer = nn.Conv2d(1, 2, 3, rng=0)
    assert layer(np.zeros((1, 1, 5, 5), dtype=np.uint8)).dtype == np.float32


def test_the_weights_start_like_pytorchs_default():
    layer = nn.Conv2d(6, 16, 5, rng=0)
    bound = 1 / np.sqrt(6 * 5 * 5)
    assert layer.weight.shape == (16, 6, 5, 5) and layer.bias.shape == (16,)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.9 * bound
    assert list(layer.state_dict()) == ["weight", "bias"]
    np.testing.assert_array_equal(nn.Conv2d(6, 16, 5, rng=0).weight.data, layer.weight.data)


@pytest.mark.parametrize(
    ("layer", "text"),
    [
        (nn.Conv2d(6, 16, 5), "Conv2d(6 -> 16, kernel_size=5)"),
        (nn.Conv2d(3, 32, 3, padding=1), "Conv2d(3 -> 32, kernel_size=3, padding=1)"),
        (nn.Conv2d(3, 8, (3, 1), stride=2), "Conv2d(3 -> 8, kernel_size=(3, 1), stride=2)"),
        (
            nn.Conv2d(8, 8, 3, groups=4, bias=False),
            "Conv2d(8 -> 8, kernel_size=3, groups=4, bias=False)",
        ),
        (
            nn.Conv2d(1, 1, 3, padding="same", dilation=2, padding_mode="circular"),
            "Conv2d(1 -> 1, kernel_size=3, padding='same', dilation=2, padding_mode='circular')",
        ),
        (nn.Conv1d(2, 4, 7, padding=(3,)), "Conv1d(2 -> 4, kernel_size=7, padding=3)"),
    ],
)
def test_the_repr_names_the_channels_kernel_and_non_default_arguments(layer, text):
    assert repr(layer) == text


def test_a_channel_mismatch_names_expected_and_received_channels_and_the_layer():
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, rng=0), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5, rng=0)
    )
    layer = nn.Conv2d(6, 16, 5, rng=0)
    with pytest.raises(ValueError) as error:
        layer(np.zeros((64, 3, 14, 14), dtype=np.float32))
    assert str(error.value) == (
        "expected 6 input channels. Received: input with shape (64, 3, 14, 14)."
    )
    with pytest.raises(ValueError) as error:
        model(np.zeros((64, 3, 28, 28), dtype=np.float32))
    assert str(error.value) == (
        "layer 0 (Conv2d(1 -> 6, kernel_size=5)) in Sequential: expected 1 input channels. "
        "Received: input with shape (64, 3, 28, 28)."
    )


def test_an_input_smaller_than_the_kernel_is_refused_with_both_sizes():
    layer = nn.Conv2d(1, 1, 5, rng=0)
    with pytest.raises(
        ValueError,
        match="The input is smaller than the kernel: a size of 3 "
        "padded by 0 on each side gives 3, but the kernel "
        "spans 5",
    ):
        layer(np.zeros((1, 1, 3, 8), dtype=np.float32))


def test_an_unbatched_image_is_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"add the batch axis with x\[None\]"):
        nn.Conv2d(3, 4, 3)(np.zeros((3, 8, 8), dtype=np.float32))
    with pytest.raises(ValueError, match=r"`input` must have 3 dimensions \(N, C, L\)"):
        nn.Conv1d(3, 4, 3)(np.zeros((2, 3, 8, 8), dtype=np.float32))


def test_backward_before_forward_is_refused():
    with pytest.raises(RuntimeError, match=r"Conv2d.backward\(\) was called without a forward"):
        nn.Conv2d(1, 1, 3).backward(np.zeros((1, 1, 3, 3)))


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (
            dict(in_channels=6, out_channels=4, kernel_size=3, groups=4),
            ValueError,
            "`in_channels` must be divisible by `groups`. Received: in_channels=6, groups=4.",
        ),
        (
            dict(in_channels=4, out_channels=6, kernel_size=3, groups=4),
            ValueError,
            "`out_channels` must be divisible by `groups`",
        ),
        (
            dict(in_channels=0, out_channels=6, kernel_size=3),
            ValueError,
            "`in_channels` must be a positive int",
        ),
        (
            dict(in_channels=1, out_channels=1, kernel_size=(3, 0)),
            ValueError,
            "`kernel_size` must be a positive int or a tuple of 2 of them",
        ),
        (
            dict(in_channels=1, out_channels=1, kernel_size=3, stride=2, padding="same"),
            ValueError,
            "padding='same' needs stride 1",
        ),
        (
            dict(in_channels=1, out_channels=1, kernel_size=3, padding="full"),
            ValueError,
            "`padding` must be one of 'same', 'valid'",
        ),
        (
            dict(in_channels=1, out_channels=1, kernel_size=3, padding=-1),
            ValueError,
            "`padding` must be a non-negative int",
        ),
        (
            dict(in_channels=1, out_channels=1, kernel_size=3, padding_mode="periodic"),
            ValueError,
            "`padding_mode` must be one of 'zeros', 'reflect', 'replicate', 'circular'",
        ),
    ],
)
def test_bad_arguments_are_refused_by_the_constructor(arguments, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        nn.Conv2d(**arguments)


def test_reflect_padding_as_large_as_the_input_is_refused():
    layer = nn.Conv2d(1, 1, 3, padding=4, padding_mode="reflect", rng=0)
    with pytest.raises(ValueError, match="'reflect' padding must be smaller than the size"):
        layer(np.zeros((1, 1, 4, 6), dtype=np.float32))


def test_a_grad_out_of_the_wrong_shape_is_refused():
    layer = nn.Conv2d(1, 2, 3, rng=0)
    layer(np.zeros((1, 1, 5, 5), dtype=np.float32))
    with pytest.raises(ValueError, match="`grad_out` and `output` must have the same shape"):
        layer.backward(np.zeros((1, 2, 4, 4), dtype=np.float32))


@pytest.mark.parametrize(
    ("stride", "keep_columns"),
    [(1, True), (1, False), (2, True), (2, False)],
    ids=["shifted-col2im-kept", "shifted-col2im-rebuilt", "col2im-kept", "col2im-rebuilt"],
)
def test_backward_twice_from_one_forward_gives_the_same_gradients(
    stride, keep_columns, monkeypatch
):
    if not keep_columns:
        monkeypatch.setitem(CONV_GLOBALS, "KEEP_COLS_BYTES", 0)
    rng = np.random.default_rng(7)
    x, weight = rng.standard_normal((2, 3, 8, 8)), rng.standard_normal((4, 3, 3, 3))
    y, ctx = fast_conv.conv2d(x, weight, stride=stride, padding=1)
    assert (ctx.cols is not None) == keep_columns
    grad = rng.standard_normal(y.shape)
    first, second = fast_conv.conv_backward(grad, ctx), fast_conv.conv_backward(grad, ctx)
    for a, b, name in zip(first[:2], second[:2], ["input", "weight"]):
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize(
    ("image", "kernel", "padding"),
    [(28, 5, 2), (14, 5, 0), (9, 1, 0)],
    ids=["full-rows", "compact-rows", "pointwise"],
)
def test_the_bias_adds_the_same_bits_as_adding_it_to_the_output(image, kernel, padding):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 3, image, image)).astype(np.float32)
    w = rng.standard_normal((4, 3, kernel, kernel)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    with_bias, _ = fast_conv.conv2d(x, w, b, padding=padding)
    without, _ = fast_conv.conv2d(x, w, padding=padding)
    np.testing.assert_array_equal(with_bias, without + b[:, None, None])


def test_a_channel_grid_too_big_to_build_is_a_broadcast_view():
    from cnnlab.backend.fast.channel_grid import GRID_MAX_ELEMENTS, channel_grid

    small = channel_grid(np.arange(3.0), (4, 5))
    assert small.flags.c_contiguous and small.shape == (3, 4, 5)
    np.testing.assert_array_equal(small[:, 2, 3], [0.0, 1.0, 2.0])
    big = channel_grid(np.arange(2.0), (GRID_MAX_ELEMENTS, 1))
    assert big.strides[1:] == (0, 0)  # no memory for the repeats
    np.testing.assert_array_equal(big[:, -1, 0], [0.0, 1.0])
