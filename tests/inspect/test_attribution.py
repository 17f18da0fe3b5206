"""Saliency and Grad-CAM: gradients where they should be, for 2-D and 1-D networks."""

import numpy as np
import pytest
import torch

from cnnlab import nn
from cnnlab.filters import kernels
from cnnlab.inspect import grad_cam, saliency
from cnnlab.inspect.attribution import resize_linear


def tiny_model(dims=2, channels=2, classes=3):
    conv = nn.Conv2d if dims == 2 else nn.Conv1d
    pool = nn.MaxPool2d if dims == 2 else nn.MaxPool1d
    features = 4 * (3 * 3 if dims == 2 else 3)
    return nn.Sequential(
        conv(channels, 4, 3, padding=1, rng=0), nn.Tanh(), pool(2), nn.Flatten(),
        nn.Linear(features, classes, rng=1),
    ).to(np.float64)  # fmt: skip


def test_saliency_equals_finite_differences():
    model = tiny_model()
    x = np.random.default_rng(2).normal(size=(2, 2, 6, 6))
    target = [1, 2]
    grad = np.zeros_like(x)
    step = 1e-6
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += step
        down[index] -= step
        logit = target[index[0]]
        grad[index] = (model(up)[index[0], logit] - model(down)[index[0], logit]) / (2 * step)
    np.testing.assert_allclose(saliency(model, x, target), np.abs(grad).max(axis=1), atol=1e-7)


def test_saliency_targets_the_predicted_class_by_default():
    model = tiny_model()
    x = np.random.default_rng(3).normal(size=(3, 2, 6, 6))
    predicted = model(x).argmax(axis=1)
    np.testing.assert_array_equal(saliency(model, x), saliency(model, x, predicted))


def test_attribution_leaves_gradients_and_modes_alone():
    model = tiny_model()
    x = np.random.default_rng(4).normal(size=(1, 2, 6, 6))
    model(x)
    model.backward(np.ones((1, 3)))
    before = [p.grad.copy() for p in model.parameters()]
    saliency(model, x)
    grad_cam(model, x, "1")
    assert all(np.array_equal(b, p.grad) for b, p in zip(before, model.parameters()))
    assert model.training


def stripes_model():
    """Class 0 answers vertical edges (Sobel x), class 1 horizontal ones (Sobel y)."""
    conv = nn.Conv2d(1, 2, 3, padding=1, bias=False)
    conv.weight.data[:, 0] = np.stack([kernels.SOBEL_X, kernels.SOBEL_Y])
    head = nn.Linear(2, 2, bias=False)
    head.weight.data[:] = np.eye(2)
    return nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), head)


def test_grad_cam_highlights_the_half_the_class_depends_on():
    stripes = (np.arange(16) // 2) % 2 == 0  # two on, two off
    image = np.zeros((1, 1, 16, 16), dtype=np.float32)
    image[0, 0, :, :8] = stripes[None, :8]  # vertical stripes on the left half
    image[0, 0, :, 8:] = stripes[:, None]  # horizontal stripes on the right half
    model = stripes_model()
    left, right = (grad_cam(model, image, layer="1", target=t)[0] for t in (0, 1))
    assert left.shape == right.shape == (16, 16)
    assert left[:, :8].mean() > 5 * left[:, 8:].mean()
    assert right[:, 8:].mean() > 5 * right[:, :8].mean()


def test_one_dimensional_networks_and_many_channels():
    model = tiny_model(dims=1, channels=3)
    x = np.random.default_rng(5).normal(size=(2, 3, 6))
    assert saliency(model, x).shape == (2, 6)
    cam = grad_cam(model, x, layer=model[0], target=[0, 1])
    assert cam.shape == (2, 6) and np.all(cam >= 0)


@pytest.mark.parametrize("size_in, size_out", [((5,), (12,)), ((4, 7), (16, 9)), ((6, 6), (3, 3))])
def test_resize_matches_torch_interpolate(size_in, size_out):
    a = np.random.default_rng(6).random((2, *size_in))
    mode = "linear" if len(size_in) == 1 else "bilinear"
    theirs = torch.nn.functional.interpolate(
        torch.tensor(a)[:, None], size=size_out, mode=mode, align_corners=False
    )[:, 0].numpy()
    np.testing.assert_allclose(resize_linear(a, size_out), theirs, atol=1e-12)


def test_grad_cam_needs_a_layer_with_spatial_output():
    with pytest.raises(
        ValueError,
        match=r"Grad-CAM needs a layer whose output has spatial axes "
        r".*layer '3' Flatten\(\) gives shape \(1, 36\)",
    ):
        grad_cam(tiny_model(), np.zeros((1, 2, 6, 6)), "3")


def test_bad_inputs_are_refused():
    model = tiny_model()
    with pytest.raises(
        ValueError,
        match=r"`x` must be a batch \(N, C, H, W\) or \(N, C, L\); "
        r"for one example use x\[None\]",
    ):
        saliency(model, np.zeros((6, 6)))
    with pytest.raises(
        ValueError,
        match=r"`target` must be a class index in \[0, 2\], or one "
        r"per example \(1 here\)\. Received: target=3",
    ):
        saliency(model, np.zeros((1, 2, 6, 6)), target=3)
    with pytest.raises(ValueError, match=r"The model must return logits of shape \(N, classes\)"):
        saliency(nn.Sequential(nn.Conv2d(2, 1, 1)), np.zeros((1, 2, 6, 6)))


def test_a_layer_the_forward_pass_skips_is_refused():
    class WithSpare(nn.Module):
        def __init__(self):
            super().__init__()
            self.used = nn.Sequential(nn.Conv1d(1, 2, 3, rng=0), nn.Flatten())
            self.spare = nn.Conv1d(1, 2, 3, rng=0)

        def forward(self, x):
            return self.used(x)

        def backward(self, grad_out):
            return self.used.backward(grad_out)

    with pytest.raises(ValueError, match=r"Layer 'spare' Conv1d\(1 -> 2, kernel_size=3\) is not "
                       r"used by the model's forward pass"):  # fmt: skip
        grad_cam(WithSpare(), np.ones((1, 1, 5)), "spare")
