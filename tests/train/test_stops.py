"""Ending early: Ctrl-C, a diverging loss, early stopping; each leaves a usable state behind."""

import io

import numpy as np
import pytest
from rich.console import Console

from cnnlab.nn import (
    BatchNorm2d,
    Conv2d,
    CrossEntropyLoss,
    Flatten,
    Linear,
    MSELoss,
    Sequential,
)
from cnnlab.optim import SGD
from cnnlab.train import (
    Callback,
    EarlyStopping,
    History,
    TrainingDiverged,
    TrainingInterrupted,
    fit,
    load_checkpoint,
)
from cnnlab.train.checkpoint import read_checkpoint

BATCHES = 4  # 256 training images in batches of 64, and no validation data


class Recorder(Callback):
    """Keeps a copy of the weights at the end of every epoch."""

    def __init__(self):
        self.weights = []

    def on_epoch_end(self, epoch, history, model):
        self.weights.append(model.state_dict())
        return False


def train(kit, bars, model, epochs=3, **options):
    options = {"epochs": epochs, "batch_size": 64, "rng": 0, "quiet": True, **options}
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    return fit(model, CrossEntropyLoss(), optimizer, bars[0], **options)


def nan_output(output):
    return np.full_like(output, np.nan)


# -- Ctrl-C ---------------------------------------------------------------------------------
def test_ctrl_c_keeps_the_last_completed_epoch_on_disk_and_in_the_model(bars, kit, tmp_path):
    path, recorder = tmp_path / "run.safetensors", Recorder()
    model = kit.tripwire(kit.small_cnn(seed=0), 2 * BATCHES + 3, kit.press_ctrl_c)
    with pytest.raises(TrainingInterrupted) as caught:
        train(kit, bars, model, checkpoint=path, callbacks=[recorder])
    stop = caught.value
    assert isinstance(stop, KeyboardInterrupt)
    assert stop.epoch == 2 and len(stop.history) == 2 and stop.checkpoint == path
    assert str(stop) == f"Training interrupted after epoch 2; resume from {path}."
    assert read_checkpoint(path)["epoch"] == 2
    for name, value in recorder.weights[1].items():  # rolled back from mid-epoch 3
        np.testing.assert_array_equal(model.state_dict()[name], value)


def test_ctrl_c_in_the_first_epoch_saves_the_starting_state(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    model = kit.tripwire(kit.small_cnn(seed=0), 2, kit.press_ctrl_c)
    with pytest.raises(TrainingInterrupted) as caught:
        train(kit, bars, model, checkpoint=path)
    assert caught.value.epoch == 0 and len(caught.value.history) == 0
    info = load_checkpoint(kit.small_cnn(seed=5), path)
    assert info.epoch == 0
    np.testing.assert_array_equal(model[0].weight.data, kit.small_cnn(seed=0)[0].weight.data)


def test_ctrl_c_without_a_checkpoint_says_so_and_prints_it(bars, kit):
    output = io.StringIO()
    model = kit.tripwire(kit.small_cnn(seed=0), BATCHES + 1, kit.press_ctrl_c)
    with pytest.raises(TrainingInterrupted) as caught:
        train(kit, bars, model, quiet=False, console=Console(file=output, width=100))
    assert caught.value.checkpoint is None and caught.value.history.train_loss
    assert "Training interrupted after epoch 1.\n" in output.getvalue()


# -- divergence -----------------------------------------------------------------------------
def test_nan_output_stops_with_epoch_and_batch_and_spares_the_saved_epoch(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    train(kit, bars, kit.small_cnn(seed=0), epochs=1, checkpoint=path)
    saved = path.read_bytes()
    model = kit.tripwire(kit.small_cnn(seed=0), 3, nan_output)  # resumed: epoch 2, batch 3
    with pytest.raises(TrainingDiverged) as caught:
        train(kit, bars, model, checkpoint=path, resume=True)
    assert str(caught.value) == (
        "Training diverged in epoch 2, batch 3 of 4: the model's output holds NaN or Inf. "
        "Try a lower learning rate, or look for NaN or Inf in the data. Received: lr=0.1."
    )
    assert isinstance(caught.value, ValueError) and len(caught.value.history) == 1
    assert path.read_bytes() == saved
    assert np.isfinite(model[0].weight.data).all()  # rolled back to the end of epoch 1


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")  # the divergence is the point
def test_a_too_large_learning_rate_diverges_with_a_clear_error():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    model = Linear(4, 1, rng=0)
    with pytest.raises(TrainingDiverged, match=r"Training diverged in epoch \d+, batch \d+ of 8"):
        fit(
            model,
            MSELoss(),
            SGD(model.parameters(), lr=1e4),
            (x, y),
            epochs=50,
            batch_size=8,
            rng=0,
            quiet=True,
        )


def test_a_nan_loss_from_any_loss_function_stops_training(bars, kit):
    class NanLoss(CrossEntropyLoss):
        def __call__(self, logits, targets):
            super().__call__(logits, targets)
            return float("nan")

    model = kit.small_cnn(seed=0)
    with pytest.raises(TrainingDiverged, match="in epoch 1, batch 1 of 4: the loss is nan"):
        fit(model, NanLoss(), SGD(model.parameters()), bars[0], quiet=True)


class PoisonedSGD(SGD):
    """SGD whose step number ``at`` (from 1) leaves an Inf in the first parameter."""

    def __init__(self, params, at):
        super().__init__(params, lr=0.1)
        self.at, self.steps = at, 0

    def step(self):
        super().step()
        self.steps += 1
        if self.steps == self.at:
            self.params[0].data.flat[0] = np.inf


def test_a_parameter_made_inf_by_a_step_stops_training_at_that_batch(bars, kit):
    model = kit.small_cnn(seed=0)
    start = model.state_dict()
    with pytest.raises(TrainingDiverged) as caught:
        fit(model, CrossEntropyLoss(), PoisonedSGD(model.parameters(), at=2), bars[0],
            epochs=2, batch_size=64, rng=0, quiet=True)  # fmt: skip
    assert "in epoch 1, batch 2 of 4: the optimizer step made 0.weight NaN or Inf" in str(
        caught.value
    )
    for name, value in start.items():  # back to where the run started
        np.testing.assert_array_equal(model.state_dict()[name], value)


def test_a_non_finite_validation_loss_is_divergence_and_reaches_no_checkpoint(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    train(kit, bars, kit.small_cnn(seed=0), epochs=1, checkpoint=path, val=bars[1])
    saved = path.read_bytes()
    model = kit.tripwire(kit.small_cnn(seed=0), BATCHES + 1, nan_output)  # epoch 2's first val
    with pytest.raises(TrainingDiverged) as caught:
        train(kit, bars, model, checkpoint=path, resume=True, val=bars[1])
    assert str(caught.value).startswith(
        "Training diverged in epoch 2, batch 4 of 4: the validation loss after it is nan."
    )
    assert path.read_bytes() == saved
    for name, value in read_checkpoint(path)["model"].items():  # the model is back there too
        np.testing.assert_array_equal(model.state_dict()[name], value)


def test_a_full_batch_run_that_overflows_in_epoch_1_stops_there_without_numpy_warnings(
    bars, kit, tmp_path, recwarn
):
    model, path = kit.small_cnn(seed=0), tmp_path / "run.safetensors"
    start = model.state_dict()
    optimizer = SGD(model.parameters(), lr=1e30)
    with pytest.raises(TrainingDiverged, match=r"in epoch 1, batch 1 of 1: the validation loss"):
        fit(model, CrossEntropyLoss(), optimizer, bars[0], bars[1], epochs=3, batch_size=256,
            rng=0, checkpoint=path, quiet=True)  # fmt: skip
    assert not path.exists()  # no epoch was good enough to keep
    assert [str(w.message) for w in recwarn if issubclass(w.category, RuntimeWarning)] == []
    for name, value in start.items():
        np.testing.assert_array_equal(model.state_dict()[name], value)


def test_a_callback_that_breaks_the_weights_is_caught_before_the_checkpoint(bars, kit, tmp_path):
    class Breaker(Callback):
        def on_epoch_end(self, epoch, history, model):
            if epoch == 2:
                model[0].bias.data[1] = np.nan
            return False

    path = tmp_path / "run.safetensors"
    with pytest.raises(TrainingDiverged) as caught:
        train(kit, bars, kit.small_cnn(seed=0), checkpoint=path, callbacks=[Breaker()])
    assert "in epoch 2, batch 4 of 4: the model's 0.bias holds NaN or Inf at the end" in str(
        caught.value
    )
    assert read_checkpoint(path)["epoch"] == 1


def test_a_buffer_holding_nan_is_caught_before_the_checkpoint(bars, kit, tmp_path):
    class Breaker(Callback):
        def on_epoch_end(self, epoch, history, model):
            model[1].running_var[0] = np.nan
            return False

    rng = np.random.default_rng(0)
    model = Sequential(Conv2d(1, 2, 3, rng=rng), BatchNorm2d(2), Flatten(), Linear(72, 2, rng=rng))
    with pytest.raises(TrainingDiverged, match="the model's 1.running_var holds NaN or Inf"):
        train(kit, bars, model, checkpoint=tmp_path / "run.safetensors", callbacks=[Breaker()])
    assert not (tmp_path / "run.safetensors").exists()
    assert np.isfinite(model[1].running_var).all()  # back to where the run started


# -- early stopping -------------------------------------------------------------------------
def test_early_stopping_stops_and_restores_the_best_weights(bars, kit, tmp_path):
    train_set, _ = bars
    flipped = (train_set.images, 1 - train_set.labels)  # learning the task worsens this one
    recorder, output = Recorder(), io.StringIO()
    model = kit.small_cnn(seed=0)
    history = train(
        kit,
        bars,
        model,
        epochs=10,
        val=flipped,
        callbacks=[recorder, EarlyStopping(patience=2)],
        quiet=False,
        console=Console(file=output),
    )
    best, _ = history.best("val_loss")
    assert len(history) == best + 2 < 10
    for name, value in recorder.weights[best - 1].items():
        np.testing.assert_array_equal(model.state_dict()[name], value)
    assert f"Stopped after epoch {best + 2}: val_loss has not improved for 2 epochs" in (
        output.getvalue()
    )


@pytest.mark.parametrize(
    "values, options, stop_at, best_epoch",
    [
        ([0.5, 0.4, 0.41, 0.42, 0.43], {"patience": 2}, 4, 2),
        ([0.5, 0.4, 0.41, 0.42, 0.43], {"patience": 0}, 3, 2),
        ([0.5, 0.45, 0.44, 0.43, 0.42], {"patience": 1, "min_delta": 0.02}, 3, 2),
        ([0.5, 0.4, 0.6, 0.3, 0.35, 0.36], {"patience": 2}, 6, 4),
        ([0.5, 0.6, 0.4, 0.4], {"patience": 1, "monitor": "val_accuracy"}, 3, 2),
        ([0.5, 0.6, 0.7, 0.8], {"patience": 1, "mode": "max"}, None, 4),
    ],
)
def test_early_stopping_counts_epochs_without_improvement(values, options, stop_at, best_epoch):
    stopper, history, model = EarlyStopping(**options), History(), Linear(1, 1, rng=0)
    stopped = None
    for epoch, value in enumerate(values, start=1):
        history.append(
            train_loss=1.0,
            train_accuracy=0.5,
            val_loss=value,
            val_accuracy=value,
            lr=0.1,
            seconds=1.0,
        )
        if stopper.on_epoch_end(epoch, history, model):
            stopped = epoch
            break
    assert (stopped, stopper.best_epoch) == (stop_at, best_epoch)


def test_early_stopping_needs_the_metric_it_watches(bars, kit):
    with pytest.raises(ValueError, match="EarlyStopping watches 'val_loss', which this run"):
        train(kit, bars, kit.small_cnn(seed=0), callbacks=[EarlyStopping()])


@pytest.mark.parametrize(
    "options, message",
    [
        ({"monitor": "val_los"}, "`monitor` must be one of .* .did you mean 'val_loss'"),
        ({"patience": -1}, "`patience` must be a non-negative int. Received: patience=-1."),
        ({"mode": "up"}, "`mode` must be one of 'auto', 'min', 'max'"),
        ({"min_delta": -0.1}, "`min_delta` must be a non-negative number"),
    ],
)
def test_early_stopping_refuses_bad_settings(options, message):
    with pytest.raises(ValueError, match=message):
        EarlyStopping(**options)
