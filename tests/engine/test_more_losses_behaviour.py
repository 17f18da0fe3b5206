"""What the newer losses show: clamps, ignored labels, zero losses, buffers, errors."""

import math

import numpy as np
import pytest
import torch

from checks.multi_input import assert_op_matches_torch
from cnnlab import nn


def test_bce_of_a_certain_wrong_answer_is_100_like_torch():
    p, t = np.array([0.0, 1.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])
    loss = nn.BCELoss(reduction="none")
    value = assert_op_matches_torch(
        loss, loss.backward, torch.nn.BCELoss(reduction="none"), (p, t), 1
    )
    np.testing.assert_array_equal(value, [100.0, 100.0, 0.0, 0.0])
    assert np.all(np.isfinite(loss.backward()))


def test_bce_refuses_values_that_are_not_probabilities():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\] \(apply a sigmoid first"):
        nn.BCELoss()(np.array([0.5, 1.5]), np.array([1.0, 0.0]))


def test_poisson_full_adds_nothing_for_counts_of_0_and_1():
    x, t = np.array([0.3, -1.0, 2.0]), np.array([0.0, 1.0, 1.0])
    assert nn.PoissonNLLLoss(full=True)(x, t) == nn.PoissonNLLLoss()(x, t)
    assert nn.PoissonNLLLoss(full=True)(x, t + 2) > nn.PoissonNLLLoss()(x, t + 2)


def test_multilabel_margin_ignores_everything_after_the_first_minus_one():
    x = np.array([[0.1, 0.2, 0.4, 0.8]])
    loss = nn.MultiLabelMarginLoss()
    assert loss(x, np.array([[3, 0, -1, 1]])) == loss(x, np.array([[3, 0, -1, 2]]))
    assert loss(x, np.array([[3, 0, -1, 1]])) != loss(x, np.array([[3, 0, 1, -1]]))
    assert loss(x, np.array([[-1, 0, 1, 2]])) == 0.0  # no target classes at all


def test_multi_margin_of_scores_beyond_the_margin_is_zero():
    x = np.array([[5.0, 0.0, 1.0], [0.0, 0.0, 3.0]])
    loss = nn.MultiMarginLoss()
    assert loss(x, np.array([0, 2])) == 0.0
    assert not loss.backward().any()


def test_margin_ranking_of_a_pair_in_order_beyond_the_margin_is_zero():
    loss = nn.MarginRankingLoss(margin=0.5)
    assert loss(np.array([2.0]), np.array([1.0]), np.array([1.0])) == 0.0
    assert loss(np.array([2.0]), np.array([1.0]), np.array([-1.0])) == 1.5


def test_hinge_embedding_gives_a_label_other_than_plus_minus_one_both_terms_like_torch():
    x, y = np.array([0.25, 0.25, 0.25]), np.array([1.0, -1.0, 0.0])
    loss = nn.HingeEmbeddingLoss(reduction="none")
    value = assert_op_matches_torch(
        loss, loss.backward, torch.nn.HingeEmbeddingLoss(reduction="none"), (x, y), 1
    )
    np.testing.assert_allclose(value, [0.25, 0.75, 1.0])


def test_cosine_embedding_of_parallel_vectors_is_zero_for_a_match():
    x = np.array([[1.0, 2.0, 3.0]])
    assert nn.CosineEmbeddingLoss()(x, 2 * x, np.array([1])) == pytest.approx(0.0, abs=1e-12)
    assert nn.CosineEmbeddingLoss()(x, 2 * x, np.array([-1])) == pytest.approx(1.0)


def test_triplet_swap_uses_the_positive_when_it_is_closer_to_the_negative():
    a, p, n = np.array([[0.0, 0.0]]), np.array([[2.0, 0.0]]), np.array([[3.0, 0.0]])
    plain = nn.TripletMarginLoss(margin=1.0, eps=0.0)(a, p, n)  # 1 + 2 - 3
    swapped = nn.TripletMarginLoss(margin=1.0, eps=0.0, swap=True)(a, p, n)  # 1 + 2 - 1
    assert (plain, swapped) == (0.0, 2.0)


def test_reduction_none_gives_one_loss_per_sample_and_the_others_a_float():
    x, y = np.zeros((3, 4)), np.array([0, 1, 2])
    assert nn.MultiMarginLoss(reduction="none")(x, y).shape == (3,)
    assert type(nn.MultiMarginLoss(reduction="sum")(x, y)) is float
    assert nn.SoftMarginLoss(reduction="none")(x, np.ones((3, 4))).shape == (3, 4)


def test_backward_of_reduction_none_takes_one_weight_per_sample():
    loss = nn.SoftMarginLoss(reduction="none")
    loss(np.zeros(3), np.ones(3))
    np.testing.assert_allclose(loss.backward(np.array([1.0, 0.0, 2.0])), [-0.5, 0.0, -1.0])
    with pytest.raises(ValueError, match=r"must be a number or have the loss's shape \(3,\)"):
        loss.backward(np.ones(2))


def test_backward_of_a_mean_takes_a_number():
    loss = nn.SoftMarginLoss()
    loss(np.zeros(2), np.ones(2))
    np.testing.assert_allclose(loss.backward(4.0), [-1.0, -1.0])
    with pytest.raises(ValueError, match=r"reduction='mean' must be a number"):
        loss.backward(np.ones(2))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (nn.BCELoss(weight=np.ones(3)), torch.nn.BCELoss(weight=torch.ones(3))),
        (nn.MultiMarginLoss(weight=np.ones(3)), torch.nn.MultiMarginLoss(weight=torch.ones(3))),
        (nn.MultiLabelSoftMarginLoss(weight=np.ones(3)),
         torch.nn.MultiLabelSoftMarginLoss(weight=torch.ones(3))),
        (nn.BCELoss(), torch.nn.BCELoss()),
        (nn.TripletMarginLoss(), torch.nn.TripletMarginLoss()),
    ],
    ids=["bce", "multi-margin", "multilabel-soft-margin", "bce-no-weight", "triplet"],
)  # fmt: skip
def test_state_dict_keys_are_torchs(ours, theirs):
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize(
    "loss",
    [nn.BCELoss(), nn.MarginRankingLoss(), nn.TripletMarginLoss(), nn.CosineEmbeddingLoss()],
    ids=lambda loss: type(loss).__name__,
)
def test_repr_of_a_default_loss_is_torchs(loss):
    assert repr(loss) == repr(getattr(torch.nn, type(loss).__name__)())


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"TripletMarginLoss.backward\(\) was called before"):
        nn.TripletMarginLoss().backward()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.MultiMarginLoss(p=3), ValueError, r"`p` must be 1 or 2"),
        (lambda: nn.SoftMarginLoss(reduction="average"), ValueError,
         r"`reduction` must be one of 'none', 'mean', 'sum'"),
        (lambda: nn.TripletMarginLoss(p=0), ValueError, r"`p` must be a positive number or inf"),
        (lambda: nn.PairwiseDistance(p=-1), ValueError, r"`p` must be a positive number or inf"),
    ],
)  # fmt: skip
def test_bad_settings_are_refused_when_the_loss_is_made(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize(
    ("loss", "arrays", "message"),
    [
        (nn.MultiMarginLoss(), (np.zeros((2, 3)), np.array([0, 3])),
         r"class indices in \[0, 3\)\. Received: target from 0 to 3\."),
        (nn.MultiMarginLoss(), (np.zeros((2, 3)), np.array([0.0, 1.0])),
         r"`target` must hold integer class indices"),
        (nn.MultiLabelMarginLoss(), (np.zeros((2, 3)), np.array([0, 1])),
         r"`target` must have shape \(2, 3\)"),
        (nn.SoftMarginLoss(), (np.zeros((2, 3)), np.zeros(3)),
         r"Received: input with shape \(2, 3\), target with shape \(3,\)"),
        (nn.TripletMarginLoss(), (np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 4))),
         r"must share one shape"),
        (nn.CosineEmbeddingLoss(), (np.zeros((2, 3)), np.zeros((2, 3)), np.zeros(3)),
         r"`target` must have shape \(2,\), one label per pair"),
        (nn.BCELoss(), (np.array([0.5, np.nan]), np.zeros(2)), r"try a lower learning rate"),
        (nn.MultiMarginLoss(weight=np.ones(2)), (np.zeros((2, 3)), np.array([0, 1])),
         r"`weight` must hold one value per class, shape \(3,\)"),
    ],
    ids=["class-range", "float-class", "label-shape", "shapes", "triplet", "cosine", "nan",
         "weight"],
)  # fmt: skip
def test_arrays_that_do_not_fit_are_refused(loss, arrays, message):
    with pytest.raises((ValueError, TypeError), match=message):
        loss(*arrays)


def test_pairwise_distance_of_equal_vectors_is_eps_times_a_root_of_their_length():
    x = np.ones((2, 4))
    np.testing.assert_allclose(nn.PairwiseDistance()(x, x), 1e-6 * math.sqrt(4))
    np.testing.assert_allclose(nn.PairwiseDistance(p=1)(x, x), 1e-6 * 4)


def test_cosine_similarity_of_a_zero_vector_is_zero_like_torch():
    x1, x2 = np.zeros((1, 3)), np.array([[1.0, 2.0, 2.0]])
    layer = nn.CosineSimilarity()
    value = assert_op_matches_torch(layer, layer.backward, torch.nn.CosineSimilarity(), (x1, x2), 2)
    np.testing.assert_array_equal(value, [0.0])


@pytest.mark.parametrize("layer_type", [nn.Softmax, nn.LogSoftmax])
@pytest.mark.parametrize("dim", [0, -1])
def test_softmax_of_a_0d_input_matches_torch(layer_type, dim):
    layer = layer_type(dim=dim)
    y = layer(np.array(2.5))
    x_torch = torch.tensor(2.5, dtype=torch.float64, requires_grad=True)
    y_torch = getattr(torch.nn, layer_type.__name__)(dim=dim)(x_torch)
    y_torch.backward(torch.tensor(3.0, dtype=torch.float64))
    assert y.shape == () and y == y_torch.item() == (1.0 if layer_type is nn.Softmax else 0.0)
    assert layer.backward(np.array(3.0)) == x_torch.grad.item() == 0.0
