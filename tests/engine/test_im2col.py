"""im2col against a loop over output pixels, col2im as its adjoint, and the full-row layout."""

import numpy as np
import pytest

from cnnlab.backend.fast.im2col import (
    ColumnLayout,
    col2im,
    im2col,
    image_columns,
    shifted_col2im,
)

# (padded H, W), kernel, stride, dilation
GEOMETRIES = [
    ((7, 9), (3, 2), (1, 1), (1, 1)),
    ((7, 9), (3, 3), (2, 1), (1, 2)),
    ((8, 10), (2, 3), (2, 2), (1, 1)),
    ((9, 7), (3, 3), (1, 2), (2, 1)),
    ((1, 11), (1, 3), (1, 1), (1, 1)),
    ((5, 5), (5, 5), (1, 1), (1, 1)),
]


def im2col_oracle(image, kernel_size, stride, dilation):
    """One column per output pixel, built by indexing (a test oracle, never library code)."""
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, stride, dilation
    batch, channels, height, width = image.shape
    out_h = (height - dh * (kh - 1) - 1) // sh + 1
    out_w = (width - dw * (kw - 1) - 1) // sw + 1
    cols = np.empty((channels, kh, kw, batch, out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            rows = r * sh + dh * np.arange(kh)
            columns = c * sw + dw * np.arange(kw)
            window = image[:, :, rows[:, None], columns[None, :]]  # (N, C, kh, kw)
            cols[:, :, :, :, r, c] = window.transpose(1, 2, 3, 0)
    return cols


def planes_of(image, layout):
    planes = layout.new_planes(image.shape[0], image.shape[1], image.dtype)
    layout.image(planes)[...] = image
    return planes


def valid_columns(cols, layout, channels, batch):
    """Drop the thrown-away columns of full rows: (C, KH, KW, N, H_out, W_out)."""
    kh, kw = layout.kernel_size
    out_h, out_w = layout.output_shape
    grid = cols.reshape(channels, kh, kw, batch, out_h, layout.row_width)
    return grid[..., :out_w]


@pytest.mark.parametrize("full_rows", [False, True])
@pytest.mark.parametrize(("padded", "kernel", "stride", "dilation"), GEOMETRIES)
def test_each_column_is_one_window_of_the_input(padded, kernel, stride, dilation, full_rows):
    image = np.random.default_rng(0).standard_normal((2, 3) + padded)
    layout = ColumnLayout.create(padded, kernel, stride, dilation, full_rows=full_rows)
    cols = im2col(planes_of(image, layout), layout)
    assert cols.shape == (3 * kernel[0] * kernel[1], 2 * layout.positions)
    np.testing.assert_array_equal(
        valid_columns(cols, layout, 3, 2), im2col_oracle(image, kernel, stride, dilation)
    )


@pytest.mark.parametrize("full_rows", [False, True])
@pytest.mark.parametrize(("padded", "kernel", "stride", "dilation"), GEOMETRIES)
def test_col2im_is_the_adjoint_of_im2col(padded, kernel, stride, dilation, full_rows):
    rng = np.random.default_rng(1)
    image = rng.standard_normal((2, 3) + padded)
    layout = ColumnLayout.create(padded, kernel, stride, dilation, full_rows=full_rows)
    cols = valid_columns(im2col(planes_of(image, layout), layout), layout, 3, 2)
    grad = rng.standard_normal(cols.shape)
    full = np.zeros((3, kernel[0], kernel[1], 2, layout.output_shape[0], layout.row_width))
    full[..., : layout.output_shape[1]] = grad
    full[..., layout.output_shape[1] :] = 1e3  # thrown-away columns must not leak in
    back = col2im(
        full.reshape(3 * kernel[0] * kernel[1], -1), layout, np.zeros((2, 3, layout.plane_size))
    )
    assert np.vdot(cols, grad) == pytest.approx(np.vdot(image, layout.image(back)), rel=1e-12)


def test_full_rows_need_stride_one_and_several_rows():
    assert ColumnLayout.create((34, 34), (3, 3)).row_width == 34
    assert ColumnLayout.create((34, 34), (3, 3), stride=(1, 2)).row_width == 16
    assert ColumnLayout.create((34, 34), (3, 3), stride=(2, 1)).row_width == 32
    assert ColumnLayout.create((1, 34), (1, 3)).row_width == 32  # one row: nothing to gain


def test_the_planes_tail_is_zero_so_thrown_away_columns_stay_finite():
    layout = ColumnLayout.create((4, 4), (3, 3), full_rows=True)
    planes = layout.new_planes(1, 1, np.float64)
    assert planes.shape == (1, 1, layout.plane_size) and layout.plane_size > 16
    np.testing.assert_array_equal(planes[..., 16:], 0)


@pytest.mark.parametrize("full_rows", [False, True])
@pytest.mark.parametrize(
    ("padded", "kernel", "dilation"),
    [((7, 9), (3, 2), (1, 1)), ((9, 8), (3, 3), (2, 1)), ((1, 11), (1, 4), (1, 2))],
)
def test_shifted_col2im_adds_the_same_windows_as_col2im(padded, kernel, dilation, full_rows):
    rng = np.random.default_rng(2)
    layout = ColumnLayout.create(padded, kernel, dilation=dilation, full_rows=full_rows)
    (kh, kw), (out_h, out_w) = kernel, layout.output_shape
    values = rng.standard_normal((3, kh, kw, 2, out_h, out_w))  # (c, i, j, n, r, w)
    windowed = np.zeros((3, kh, kw, 2, out_h, layout.row_width))
    windowed[..., :out_w] = values
    expected = col2im(
        windowed.reshape(3 * kh * kw, -1), layout, np.zeros((2, 3, layout.plane_size))
    )
    # Laid over whole planes: each output pixel at its window's start, zeros elsewhere.
    padded_w = layout.padded_shape[1]
    rows = np.zeros((kh, kw, 3, 2, layout.plane_size))
    grid = rows[..., : out_h * padded_w].reshape(kh, kw, 3, 2, out_h, padded_w)
    grid[..., :out_w] = values.transpose(1, 2, 0, 3, 4, 5)
    rows = rows.reshape(kh * kw * 3, -1)
    planes = shifted_col2im(rows[None], layout, np.empty((3, 2, layout.plane_size)))
    np.testing.assert_allclose(
        layout.image(planes).transpose(1, 0, 2, 3), layout.image(expected), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("full_rows", [False, True])
@pytest.mark.parametrize("stride, dilation", [((1, 1), (1, 1)), ((2, 1), (1, 2))])
def test_image_columns_are_each_images_im2col(full_rows, stride, dilation):
    if full_rows and stride != (1, 1):
        full_rows = False  # full rows need stride 1
    layout = ColumnLayout.create((7, 8), (3, 2), stride, dilation, full_rows=full_rows)
    planes = layout.new_planes(3, 2, np.float64)
    layout.image(planes)[...] = np.random.default_rng(0).standard_normal((3, 2, 7, 8))
    columns = image_columns(planes, layout)
    assert columns.shape == (3, 2 * 3 * 2, layout.positions)
    for n in range(3):
        np.testing.assert_array_equal(columns[n], im2col(planes[n : n + 1], layout))
