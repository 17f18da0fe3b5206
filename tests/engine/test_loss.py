"""Losses against PyTorch, float64 finite differences, and what they show."""

import math

import numpy as np
import pytest
import torch

from checks.gradcheck import check_loss_gradients
from checks.torch_reference import TORCH_DTYPES, assert_loss_matches_torch
from cnnlab.nn import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss

DTYPES = [np.float32, np.float64]
REDUCTIONS = ["mean", "sum"]
# logits shape -> targets shape: a batch, a batch of one, and per-pixel (N, C, H, W).
CE_SHAPES = {
    "batch": ((5, 4), (5,)),
    "batch-of-one": ((1, 4), (1,)),
    "per-pixel": ((2, 4, 3, 3), (2, 3, 3)),
}


def classification_batch(logits_shape, targets_shape, seed=0):
    rng = np.random.default_rng(seed)
    logits = 2 * rng.standard_normal(logits_shape)
    targets = rng.integers(0, logits_shape[1], size=targets_shape)
    return logits, targets


CLASS_WEIGHT = np.array([0.5, 2.0, 1.0, 3.0])
POS_WEIGHT = np.array([0.5, 1.0, 4.0])


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "class-weights"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CE_SHAPES.values(), ids=CE_SHAPES.keys())
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_matches_torch(dtype, shape, reduction, label_smoothing, weighted):
    logits, targets = classification_batch(*shape)
    weight = CLASS_WEIGHT if weighted else None
    torch_weight = torch.tensor(weight, dtype=TORCH_DTYPES[np.dtype(dtype)]) if weighted else None
    ours = CrossEntropyLoss(weight, reduction=reduction, label_smoothing=label_smoothing).to(dtype)
    theirs = torch.nn.CrossEntropyLoss(
        torch_weight, reduction=reduction, label_smoothing=label_smoothing
    )
    assert_loss_matches_torch(ours, theirs, logits, targets, dtype)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "class-weights"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CE_SHAPES.values(), ids=CE_SHAPES.keys())
def test_cross_entropy_gradient_matches_finite_differences(
    shape, reduction, label_smoothing, weighted
):
    logits, targets = classification_batch(*shape, seed=1)
    weight = CLASS_WEIGHT if weighted else None
    loss = CrossEntropyLoss(weight, reduction=reduction, label_smoothing=label_smoothing)
    check_loss_gradients(loss.to(np.float64), logits, targets)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_of_huge_logits_stays_finite_and_matches_torch(dtype):
    logits = np.array([[1000.0, -1000.0, 0.0], [-500.0, 500.0, 499.0]])
    value = assert_loss_matches_torch(
        CrossEntropyLoss(), torch.nn.CrossEntropyLoss(), logits, np.array([1, 2]), dtype
    )
    assert math.isfinite(value)


def test_cross_entropy_of_perfect_logits_is_about_zero():
    targets = np.array([0, 3, 1, 2])
    logits = 100.0 * np.eye(4, dtype=np.float32)[targets]
    loss = CrossEntropyLoss()
    assert 0.0 <= loss(logits, targets) < 1e-30
    assert np.abs(loss.backward()).max() < 1e-30


def test_cross_entropy_of_uniform_logits_is_log_of_the_class_count():
    loss = CrossEntropyLoss()(np.zeros((3, 10), dtype=np.float32), np.array([0, 4, 9]))
    assert loss == pytest.approx(math.log(10), rel=1e-6)


def test_label_smoothing_raises_the_loss_of_a_confident_correct_prediction():
    logits = np.array([[8.0, 0.0, 0.0]], dtype=np.float32)
    targets = np.array([0])
    plain = CrossEntropyLoss()(logits, targets)
    smoothed = CrossEntropyLoss(label_smoothing=0.1)(logits, targets)
    assert smoothed > plain + 0.1


def test_cross_entropy_gradient_rows_sum_to_zero():
    logits, targets = classification_batch((6, 5), (6,))
    loss = CrossEntropyLoss(label_smoothing=0.2)
    loss(logits, targets)
    np.testing.assert_allclose(loss.backward().sum(axis=1), 0.0, atol=1e-15)


def test_cross_entropy_returns_a_float_and_a_gradient_in_the_logits_dtype():
    logits, targets = classification_batch((3, 4), (3,))
    loss = CrossEntropyLoss()
    assert type(loss(logits.astype(np.float32), targets)) is float
    assert loss.backward().dtype == np.float32


def test_backward_scales_by_grad_out():
    logits, targets = classification_batch((3, 4), (3,))
    loss = CrossEntropyLoss()
    loss(logits, targets)
    np.testing.assert_allclose(loss.backward(2.5), 2.5 * loss.backward())


def test_class_weights_are_a_buffer_named_like_torch():
    ours = CrossEntropyLoss(weight=CLASS_WEIGHT)
    theirs = torch.nn.CrossEntropyLoss(weight=torch.tensor(CLASS_WEIGHT))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    assert list(CrossEntropyLoss().state_dict()) == list(torch.nn.CrossEntropyLoss().state_dict())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(4, 3), (1, 1), (2, 3, 4)], ids=["batch", "one", "3-d"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_mse_matches_torch(dtype, shape, reduction):
    rng = np.random.default_rng(0)
    predictions, targets = rng.standard_normal(shape), rng.standard_normal(shape)
    assert_loss_matches_torch(
        MSELoss(reduction), torch.nn.MSELoss(reduction=reduction), predictions, targets, dtype
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_gradient_matches_finite_differences(reduction):
    rng = np.random.default_rng(1)
    check_loss_gradients(
        MSELoss(reduction), rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    )


def test_mse_of_identical_arrays_is_zero():
    x = np.random.default_rng(2).standard_normal((4, 5)).astype(np.float32)
    loss = MSELoss()
    assert loss(x, x.copy()) == 0.0
    assert not loss.backward().any()


@pytest.mark.parametrize("pos_weight", [None, POS_WEIGHT], ids=["plain", "pos-weight"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(4, 3), (1, 3), (2, 5, 3)], ids=["batch", "one", "3-d"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_matches_torch(dtype, shape, reduction, pos_weight):
    rng = np.random.default_rng(0)
    logits, targets = 3 * rng.standard_normal(shape), rng.random(shape)
    torch_pos_weight = (
        None
        if pos_weight is None
        else torch.tensor(pos_weight, dtype=TORCH_DTYPES[np.dtype(dtype)])
    )
    ours = BCEWithLogitsLoss(reduction, pos_weight=pos_weight).to(dtype)
    theirs = torch.nn.BCEWithLogitsLoss(reduction=reduction, pos_weight=torch_pos_weight)
    assert_loss_matches_torch(ours, theirs, logits, targets, dtype)


@pytest.mark.parametrize("pos_weight", [None, POS_WEIGHT], ids=["plain", "pos-weight"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_gradient_matches_finite_differences(reduction, pos_weight):
    rng = np.random.default_rng(1)
    loss = BCEWithLogitsLoss(reduction, pos_weight=pos_weight)
    check_loss_gradients(loss.to(np.float64), 3 * rng.standard_normal((4, 3)), rng.random((4, 3)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_of_huge_logits_stays_finite_and_matches_torch(dtype):
    logits = np.array([[-1000.0, -80.0, 0.0, 80.0, 1000.0]])
    targets = np.array([[1.0, 0.0, 0.5, 1.0, 0.0]])
    value = assert_loss_matches_torch(
        BCEWithLogitsLoss(), torch.nn.BCEWithLogitsLoss(), logits, targets, dtype
    )
    assert math.isfinite(value)


# -- errors ------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(
    "loss, targets",
    [
        (CrossEntropyLoss(), np.array([0, 1])),
        (BCEWithLogitsLoss(), np.zeros((2, 3))),
        (MSELoss(), np.zeros((2, 3))),
    ],
    ids=["cross-entropy", "bce", "mse"],
)
def test_non_finite_values_reaching_a_loss_suggest_a_lower_learning_rate(loss, targets, bad):
    logits = np.zeros((2, 3), dtype=np.float32)
    logits[1, 2] = bad
    with pytest.raises(
        ValueError, match=r"^The loss received non-finite \w+ \(NaN or Inf\)"
    ) as info:
        loss(logits, targets)
    assert "try a lower learning rate" in str(info.value)


@pytest.mark.parametrize("loss", [CrossEntropyLoss(), MSELoss(), BCEWithLogitsLoss()])
def test_backward_before_forward_is_a_clear_error(loss):
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before the loss"):
        loss.backward()


def test_cross_entropy_refuses_targets_outside_the_classes():
    with pytest.raises(ValueError, match=r"class indices in \[0, 3\).*from 0 to 3\."):
        CrossEntropyLoss()(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"from -1 to 1\."):
        CrossEntropyLoss()(np.zeros((2, 3)), np.array([-1, 1]))


def test_cross_entropy_refuses_float_targets():
    with pytest.raises(TypeError, match=r"`targets` must hold integer class indices"):
        CrossEntropyLoss()(np.zeros((2, 3)), np.array([0.0, 1.0]))


def test_cross_entropy_target_shape_error_shows_both_shapes():
    with pytest.raises(
        ValueError,
        match=r"`targets` must have shape \(4,\).*logits with shape \(4, 10\)\. "
        r"Received: targets with shape \(4, 1\)",
    ):
        CrossEntropyLoss()(np.zeros((4, 10)), np.zeros((4, 1), dtype=np.int64))


def test_cross_entropy_refuses_a_weight_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"`weight` must hold one value per class, shape \(3,\)"):
        CrossEntropyLoss(weight=[1.0, 2.0])(np.zeros((2, 3)), np.array([0, 1]))


def test_cross_entropy_refuses_one_dimensional_logits():
    with pytest.raises(ValueError, match=r"`logits` must have at least 2 dimensions"):
        CrossEntropyLoss()(np.zeros(3), np.array(1))


def test_mse_shape_error_shows_both_shapes():
    with pytest.raises(
        ValueError, match=r"Received: predictions with shape \(4, 1\), targets with shape \(4,\)"
    ):
        MSELoss()(np.zeros((4, 1)), np.zeros(4))


def test_bce_refuses_a_pos_weight_that_does_not_broadcast():
    with pytest.raises(ValueError, match=r"`pos_weight` must broadcast against the logits"):
        BCEWithLogitsLoss(pos_weight=np.ones(2))(np.zeros((4, 3)), np.zeros((4, 3)))


def test_loss_options_are_checked_when_the_loss_is_made():
    with pytest.raises(ValueError, match=r"did you mean 'sum'\?\)\. Received: reduction='summ'"):
        CrossEntropyLoss(reduction="summ")
    with pytest.raises(ValueError, match=r"`label_smoothing` must be a probability in \[0, 1\]"):
        CrossEntropyLoss(label_smoothing=1.5)


def test_loss_repr_shows_non_default_options():
    assert repr(CrossEntropyLoss()) == "CrossEntropyLoss()"
    assert repr(CrossEntropyLoss(reduction="sum", label_smoothing=0.1)) == (
        "CrossEntropyLoss(reduction='sum', label_smoothing=0.1)"
    )
