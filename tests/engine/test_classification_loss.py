"""CrossEntropyLoss with reduction="none" and ignore_index, and NLLLoss, against torch."""

import numpy as np
import pytest
import torch

from checks.torch_reference import TORCH_DTYPES
from cnnlab.nn import CrossEntropyLoss, NLLLoss

WEIGHT = np.array([0.5, 2.0, 1.0, 3.0])
SHAPES = {"batch": ((6, 4), (6,)), "per-pixel": ((2, 4, 3, 3), (2, 3, 3))}


def batch(logits_shape, targets_shape, seed=0, ignored=-100):
    rng = np.random.default_rng(seed)
    logits = 2 * rng.standard_normal(logits_shape)
    targets = rng.integers(0, logits_shape[1], size=targets_shape)
    targets.reshape(-1)[::3] = ignored  # every third sample ignored
    return logits, targets


def compare(ours, theirs, scores, targets, dtype):
    """Loss and gradient (from a random gradient per sample for "none") equal torch's."""
    dtype = np.dtype(dtype)
    scores = scores.astype(dtype)
    scores_torch = torch.tensor(scores, requires_grad=True)
    value = ours(scores, targets)
    value_torch = theirs(scores_torch, torch.from_numpy(targets))
    rtol = 1e-10 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(value, value_torch.detach().numpy(), rtol=rtol, atol=rtol)
    grad_out = np.random.default_rng(1).standard_normal(np.shape(value)).astype(dtype)
    grad = ours.backward(grad_out if np.ndim(value) else float(grad_out))
    value_torch.backward(torch.tensor(grad_out))
    assert grad.dtype == dtype
    np.testing.assert_allclose(grad, scores_torch.grad.numpy(), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "class-weights"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_with_ignored_targets_matches_torch(
    dtype, reduction, shape, weighted, smoothing
):
    logits, targets = batch(*shape)
    weight = WEIGHT if weighted else None
    torch_weight = torch.tensor(weight, dtype=TORCH_DTYPES[np.dtype(dtype)]) if weighted else None
    ours = CrossEntropyLoss(weight, reduction=reduction, label_smoothing=smoothing).to(dtype)
    theirs = torch.nn.CrossEntropyLoss(torch_weight, reduction=reduction, label_smoothing=smoothing)
    compare(ours, theirs, logits, targets, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "class-weights"])
def test_nll_loss_matches_torch(dtype, reduction, shape, weighted):
    logits, targets = batch(*shape, ignored=2)
    log_probs = torch.log_softmax(torch.tensor(logits), 1).numpy()
    weight = WEIGHT if weighted else None
    torch_weight = torch.tensor(weight, dtype=TORCH_DTYPES[np.dtype(dtype)]) if weighted else None
    ours = NLLLoss(weight, reduction=reduction, ignore_index=2).to(dtype)
    theirs = torch.nn.NLLLoss(torch_weight, reduction=reduction, ignore_index=2)
    compare(ours, theirs, log_probs, targets, dtype)


@pytest.mark.parametrize("loss", [CrossEntropyLoss, NLLLoss])
def test_per_sample_gradient_matches_finite_differences(loss):
    logits, targets = batch((5, 3), (5,), seed=2)
    criterion = loss(weight=np.array([1.0, 2.0, 0.5]), reduction="none")
    criterion(logits, targets)
    grad_out = np.random.default_rng(3).standard_normal(5)
    grad = criterion.backward(grad_out)
    eps = 1e-6
    for index in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[index] += eps
        down[index] -= eps
        numeric = (criterion(up, targets) - criterion(down, targets)) @ grad_out / (2 * eps)
        np.testing.assert_allclose(grad[index], numeric, rtol=1e-6, atol=1e-8)


def test_an_ignored_sample_has_zero_loss_and_zero_gradient():
    criterion = CrossEntropyLoss(reduction="none")
    losses = criterion(np.array([[3.0, -1.0], [0.0, 5.0]]), np.array([-100, 0]))
    assert losses[0] == 0 and losses[1] > 5
    assert not criterion.backward(np.ones(2))[0].any()


def test_mean_divides_by_the_samples_counted():
    logits, targets = np.zeros((4, 2)), np.array([0, 1, -100, -100])
    assert CrossEntropyLoss()(logits, targets) == pytest.approx(np.log(2))


def test_nll_of_a_log_softmax_equals_cross_entropy():
    logits, targets = batch((6, 4), (6,), seed=4)
    log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    assert NLLLoss()(log_probs, targets) == pytest.approx(CrossEntropyLoss()(logits, targets))


def test_every_sample_ignored_gives_nan_as_torch():
    value = CrossEntropyLoss()(np.zeros((2, 3)), np.array([-100, -100]))
    torch_value = torch.nn.CrossEntropyLoss()(torch.zeros(2, 3), torch.tensor([-100, -100]))
    assert np.isnan(value) and torch.isnan(torch_value)


def test_options_are_checked_and_shown():
    with pytest.raises(
        TypeError, match=r"`ignore_index` must be an int. Received: ignore_index=1.5"
    ):
        NLLLoss(ignore_index=1.5)
    with pytest.raises(ValueError, match=r"class indices in \[0, 3\) .*or ignore_index=-100"):
        NLLLoss()(np.zeros((2, 3)), np.array([0, 5]))
    assert repr(NLLLoss(reduction="none", ignore_index=0)) == (
        "NLLLoss(reduction='none', ignore_index=0)"
    )
    assert list(NLLLoss(weight=[1.0, 2.0]).state_dict()) == ["weight"]
