"""The two pieces the ONNX import adds: ConstantPad1d/2d (uneven padding) and the
``matmul`` op (a product with a constant matrix), each against torch, against finite
differences, and in cases named for what they show."""

import numpy as np
import pytest
import torch

from checks.gradcheck import check_gradients
from checks.multi_input import assert_op_matches_torch, check_op_gradients
from checks.torch_reference import assert_matches_torch
from cnnlab.export.onnx_ops import matmul
from cnnlab.export.onnx_pad import ConstantPad1d, ConstantPad2d
from cnnlab.nn import Module

RNG = np.random.default_rng(0)


class TwoOperands(Module):
    """``matmul`` inside a forward, so that the record gives its backward."""

    def forward(self, a, b):
        return matmul(a, b)


PRODUCT = TwoOperands()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("padding, value", [((1, 2, 0, 3), 0.0), ((0, 0, 2, 1), -1.5)])
def test_constant_pad2d_equals_torch(padding, value, dtype):
    x = RNG.standard_normal((2, 3, 4, 5))
    torch_layer = torch.nn.ConstantPad2d(padding, value)
    assert_matches_torch(ConstantPad2d(padding, value), torch_layer, x, dtype=dtype)


def test_constant_pad1d_equals_torch():
    x = RNG.standard_normal((2, 3, 6))
    assert_matches_torch(ConstantPad1d((3, 1), 2.0), torch.nn.ConstantPad1d((3, 1), 2.0), x)


def test_constant_pad_gradients_match_finite_differences():
    check_gradients(ConstantPad2d((2, 0, 1, 3), 4.0), RNG.standard_normal((1, 2, 3, 4)))


def test_minus_infinity_border_is_never_the_maximum():
    padded = ConstantPad2d((1, 0, 0, 1), -np.inf)(np.full((1, 1, 2, 2), -5.0, np.float32))
    assert padded.shape == (1, 1, 3, 3) and padded.max() == -5.0
    assert padded.dtype == np.float32


def test_constant_pad_refuses_an_input_without_batch_and_channel_axes():
    with pytest.raises(ValueError, match="ConstantPad2d pads a batch of 2-D maps.*shape"):
        ConstantPad2d((1, 1, 1, 1))(np.zeros((4, 4)))


@pytest.mark.parametrize(
    "shapes", [((3, 5), (2, 4, 5, 6)), ((2, 4, 5, 6), (6, 2)), ((4, 3), (3, 2))]
)
def test_matmul_equals_torch_and_finite_differences(shapes):
    arrays = [RNG.standard_normal(shape) for shape in shapes]
    assert_op_matches_torch(PRODUCT, PRODUCT.backward, torch.matmul, arrays, differentiable=2)
    check_op_gradients(PRODUCT, PRODUCT.backward, arrays, differentiable=2)


def test_matmul_with_a_constant_matrix_sends_the_gradient_to_the_recorded_input_only():
    class LeftProduct(Module):
        def forward(self, x):
            return matmul(np.full((1, 3), 1 / 3), x)  # the mean over H, kept as one row

    model = LeftProduct()
    x = RNG.standard_normal((2, 1, 3, 4))
    np.testing.assert_allclose(model(x), x.mean(axis=2, keepdims=True))
    np.testing.assert_allclose(model.backward(np.ones((2, 1, 1, 4))), np.full(x.shape, 1 / 3))


def test_matmul_of_operands_that_do_not_agree_names_both_shapes():
    with pytest.raises(ValueError, match=r"shapes \(2, 3\) and \(4, 5\)"):
        matmul(np.zeros((2, 3)), np.zeros((4, 5)))
