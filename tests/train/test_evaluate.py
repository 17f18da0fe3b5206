"""evaluate and predict_proba: the same numbers as one big pass, in batches, in eval mode."""

import numpy as np
import pytest

from cnnlab.functional.activations import softmax
from cnnlab.nn import CrossEntropyLoss, Dropout, Linear, MSELoss, Sequential
from cnnlab.train import evaluate, predict_proba


class BatchSpy(Linear):
    """A Linear layer that remembers the size of every batch it sees."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sizes = []

    def forward(self, x):
        self.sizes.append(len(x))
        return super().forward(x)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(103, 5)).astype(np.float32), rng.integers(0, 3, size=103)


def test_predict_proba_in_batches_equals_one_pass_and_never_exceeds_the_batch(data):
    x, _ = data
    model = BatchSpy(5, 3, rng=0)
    whole = softmax(model(x), dim=1)
    model.sizes.clear()
    probabilities = predict_proba(model, x, batch_size=16)
    np.testing.assert_allclose(probabilities, whole, rtol=1e-6)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    assert max(model.sizes) <= 16 and sum(model.sizes) == 103


def test_evaluate_equals_the_loss_and_accuracy_of_one_pass(data):
    x, y = data
    model = BatchSpy(5, 3, rng=0)
    logits = model(x)
    result = evaluate(model, (x, y), CrossEntropyLoss(), batch_size=10)
    assert result.loss == pytest.approx(CrossEntropyLoss()(logits, y), rel=1e-6)
    assert result.accuracy == np.mean(logits.argmax(axis=1) == y)
    assert evaluate(model, (x, y)).loss is None


def test_evaluate_of_a_sum_reduced_loss_is_still_per_sample(data):
    x, y = data
    model = Linear(5, 3, rng=0)
    mean = evaluate(model, (x, y), CrossEntropyLoss(), batch_size=10).loss
    summed = evaluate(model, (x, y), CrossEntropyLoss(reduction="sum"), batch_size=10).loss
    assert summed == pytest.approx(mean, rel=1e-6)


def test_evaluate_of_a_regression_has_no_accuracy(data):
    x, _ = data
    model = Linear(5, 2, rng=0)
    result = evaluate(model, (x, np.zeros((103, 2), np.float32)), MSELoss())
    assert result.accuracy is None and result.loss > 0


def test_both_run_in_eval_mode_and_restore_each_layers_mode(data):
    x, y = data
    model = Sequential(Dropout(0.9, rng=0), Linear(5, 3, rng=0))
    model[1].eval()
    first = predict_proba(model, x)
    np.testing.assert_array_equal(predict_proba(model, x), first)  # no dropout: same answer
    evaluate(model, (x, y), CrossEntropyLoss())
    assert [model.training, model[0].training, model[1].training] == [True, True, False]


@pytest.mark.parametrize(
    "x, error, message",
    [
        (np.zeros(5), ValueError, "`x` must have a batch axis first"),
        (np.zeros((0, 5)), ValueError, "`x` must not be empty"),
        (np.array([["a"]]), TypeError, "`x` must be a real-valued array"),
    ],
)
def test_predict_proba_refuses_bad_input(x, error, message):
    with pytest.raises(error, match=message):
        predict_proba(Linear(5, 3, rng=0), x)


def test_predict_proba_refuses_what_is_not_a_model():
    with pytest.raises(TypeError, match="`model` must be a cnnlab Module. Received: model of"):
        predict_proba(np.mean, np.zeros((2, 5)))
