"""fit: learns, is reproducible, steps the schedule, augments, handles regression, checks input."""

import time

import numpy as np
import pytest

from cnnlab.nn import CrossEntropyLoss, Dropout, Linear, MSELoss, Sequential
from cnnlab.optim import SGD, Adam, StepLR
from cnnlab.train import fit


def sgd(model, lr=0.1):
    return SGD(model.parameters(), lr=lr, momentum=0.9)


def test_small_cnn_learns_bars_to_95_percent_in_five_epochs(bars, kit):
    train, val = bars
    model = kit.small_cnn(seed=0)
    began = time.perf_counter()
    history = fit(
        model,
        CrossEntropyLoss(),
        sgd(model),
        train,
        val,
        epochs=5,
        batch_size=32,
        rng=0,
        quiet=True,
    )
    assert time.perf_counter() - began < 5.0
    assert len(history) == 5
    assert history.val_accuracy[-1] >= 0.95
    assert history.train_loss[-1] < history.train_loss[0] / 3


def test_same_seed_gives_the_same_history_and_another_seed_another(bars, kit):
    def run(seed):
        model = kit.small_cnn(seed=0, dropout=0.2)
        return fit(
            model,
            CrossEntropyLoss(),
            sgd(model),
            bars[0],
            bars[1],
            epochs=2,
            batch_size=32,
            rng=seed,
            quiet=True,
        )

    first, again, other = run(3), run(3), run(4)
    assert first.train_loss == again.train_loss and first.val_loss == again.val_loss
    assert first.train_loss != other.train_loss


def test_a_generator_is_used_as_given_and_advanced(bars, kit):
    model, rng = kit.small_cnn(seed=0), np.random.default_rng(5)
    before = rng.bit_generator.state
    fit(model, CrossEntropyLoss(), sgd(model), bars[0], epochs=1, rng=rng, quiet=True)
    assert rng.bit_generator.state != before


def test_regression_with_mse_reports_loss_and_no_accuracy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)) + 0.3
    model = Linear(3, 1, rng=0)
    history = fit(
        model,
        MSELoss(),
        SGD(model.parameters(), lr=0.1),
        (x, y),
        val=(x, y),
        epochs=20,
        batch_size=16,
        rng=0,
        quiet=True,
    )
    assert history.train_accuracy == [None] * 20 and history.val_accuracy == [None] * 20
    assert history.val_loss[-1] < 1e-4
    np.testing.assert_allclose(model.weight.data, [[1.0, -2.0, 0.5]], atol=1e-2)


def test_the_scheduler_steps_once_per_epoch_and_history_keeps_each_epochs_rate(bars, kit):
    model = kit.small_cnn(seed=0)
    optimizer = SGD(model.parameters(), lr=0.1)
    history = fit(
        model,
        CrossEntropyLoss(),
        optimizer,
        bars[0],
        epochs=5,
        batch_size=64,
        rng=0,
        scheduler=StepLR(optimizer, step_size=2, gamma=0.5),
        quiet=True,
    )
    assert history.lr == [0.1, 0.1, 0.05, 0.05, 0.025]
    assert optimizer.lr == 0.025  # the step after epoch 5 keeps it (a step every 2 epochs)


def test_transform_sees_every_training_batch_and_the_run_rng(bars, kit):
    train, val = bars
    seen = []

    def flip(images, rng):
        seen.append((images.shape[0], rng))
        return images[..., ::-1]

    run_rng = np.random.default_rng(0)
    model = kit.small_cnn(seed=0)
    fit(
        model,
        CrossEntropyLoss(),
        sgd(model),
        train,
        val,
        epochs=2,
        batch_size=100,
        rng=run_rng,
        transform=flip,
        quiet=True,
    )
    assert [n for n, _ in seen] == [100, 100, 56] * 2  # training batches only, not val
    assert all(rng is run_rng for _, rng in seen)


def test_fit_leaves_each_layer_in_the_mode_it_found_it(bars, kit):
    model = kit.small_cnn(seed=0, dropout=0.5)
    model.eval()
    model[4].train()
    fit(model, CrossEntropyLoss(), sgd(model), bars[0], epochs=1, rng=0, quiet=True)
    assert [layer.training for layer in model] == [False] * 4 + [True, False]
    assert model.training is False


def test_fit_trains_in_training_mode(bars):
    class Spy(Dropout):
        modes = []

        def forward(self, x):
            self.modes.append(self.training)
            return super().forward(x)

    model = Sequential(
        Spy(0.0),
        Linear(64, 2, rng=0),
    ).eval()
    x = bars[0].images.reshape(len(bars[0]), 64)
    fit(
        model,
        CrossEntropyLoss(),
        sgd(model),
        (x, bars[0].labels),
        val=(x, bars[0].labels),
        epochs=1,
        batch_size=128,
        rng=0,
        quiet=True,
    )
    assert Spy.modes == [True, True, False, False]


@pytest.mark.parametrize(
    "change, error, message",
    [
        (
            {"model": "lenet"},
            TypeError,
            "`model` must be a cnnlab Module. Received: model of type str.",
        ),
        ({"optimizer": None}, TypeError, "`optimizer` must be a cnnlab Optimizer"),
        ({"loss_fn": len}, TypeError, "`loss_fn` must be a loss with a backward() method"),
        (
            {"train": np.zeros((4, 1, 8, 8))},
            TypeError,
            "`train` must be a cnnlab Dataset or a pair",
        ),
        (
            {"train": (np.zeros((4, 2)), np.zeros(3))},
            ValueError,
            "`train` must pair one target with each input. "
            "Received: train[0] with shape (4, 2), train[1] with shape (3,).",
        ),
        (
            {"train": (np.zeros((0, 2)), np.zeros(0))},
            ValueError,
            "`train` must hold at least one sample",
        ),
        ({"epochs": 0}, ValueError, "`epochs` must be a positive int. Received: epochs=0."),
        ({"batch_size": 2.5}, TypeError, "`batch_size` must be a positive int"),
        ({"transform": "flip"}, TypeError, "`transform` must be a callable transform(images, rng)"),
        ({"callbacks": [print]}, TypeError, "Every callback must have an on_epoch_end"),
        ({"resume": True}, ValueError, "`resume=True` needs the `checkpoint` file"),
        (
            {"checkpoint": "/no/such/folder/run.safetensors"},
            FileNotFoundError,
            "the folder /no/such/folder does not exist",
        ),
        ({"rng": "seed"}, TypeError, "`rng` must be a numpy.random.Generator, an int seed or None"),
    ],
)
def test_bad_arguments_are_refused_before_training(change, error, message):
    model = Linear(2, 2, rng=0)
    arguments = {
        "model": model,
        "loss_fn": CrossEntropyLoss(),
        "optimizer": Adam(model.parameters()),
        "train": (np.zeros((4, 2)), np.array([0, 1, 0, 1])),
        "quiet": True,
        **change,
    }
    with pytest.raises(error) as caught:
        fit(**arguments)
    assert message in str(caught.value)


def test_resume_without_a_file_says_how_to_resume_only_when_it_exists(tmp_path):
    model = Linear(2, 2, rng=0)
    with pytest.raises(FileNotFoundError, match=r"resume=Path\(checkpoint\).exists\(\)"):
        fit(
            model,
            CrossEntropyLoss(),
            Adam(model.parameters()),
            (np.zeros((4, 2)), np.zeros(4, int)),
            checkpoint=tmp_path / "run.safetensors",
            resume=True,
            quiet=True,
        )
