"""Checkpoints: exact resuming, one safe file, and clear refusals of damaged or foreign ones."""

import json

import numpy as np
import pytest
import safetensors.numpy
from safetensors import safe_open

import cnnlab
from cnnlab.nn import CrossEntropyLoss, Linear
from cnnlab.optim import SGD, Adam, AdamW, CosineAnnealingLR, StepLR
from cnnlab.train import EarlyStopping, TrainingInterrupted, fit, load_checkpoint
from cnnlab.train._tree import flatten, unflatten
from cnnlab.train.checkpoint import read_checkpoint

OPTIMIZERS = {
    "sgd-momentum": (lambda p: SGD(p, lr=0.05, momentum=0.9), lambda o: StepLR(o, 2, 0.5)),
    "adam-amsgrad": (lambda p: Adam(p, lr=0.01, amsgrad=True), lambda o: CosineAnnealingLR(o, 3)),
    "adamw": (lambda p: AdamW(p, lr=0.01), lambda o: None),
}


def jitter(images, rng):
    """An augmentation that draws from the run's rng, so resuming must restore it."""
    return images + rng.normal(0.0, 0.1, size=images.shape).astype(np.float32)


def run(kit, bars, epochs, kind, checkpoint=None, resume=False, model=None, callbacks=None):
    make_optimizer, make_scheduler = OPTIMIZERS[kind]
    model = model if model is not None else kit.small_cnn(seed=0, dropout=0.3)
    optimizer = make_optimizer(model.parameters())
    history = fit(
        model,
        CrossEntropyLoss(),
        optimizer,
        bars[0],
        bars[1],
        epochs=epochs,
        batch_size=48,
        rng=7,
        scheduler=make_scheduler(optimizer),
        callbacks=[EarlyStopping(patience=50)] if callbacks is None else callbacks,
        transform=jitter,
        checkpoint=checkpoint,
        resume=resume,
        quiet=True,
    )
    return history, model


def same_run(history, model, reference_history, reference_model):
    for name in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr"):
        assert getattr(history, name) == getattr(reference_history, name), name
    for name, value in reference_model.state_dict().items():
        np.testing.assert_array_equal(model.state_dict()[name], value, err_msg=name)


@pytest.mark.parametrize("kind", sorted(OPTIMIZERS))
def test_four_epochs_stopped_after_two_and_resumed_equal_four_in_one_go(bars, kit, tmp_path, kind):
    path = tmp_path / "run.safetensors"
    reference = run(kit, bars, 4, kind)
    run(kit, bars, 2, kind, checkpoint=path)
    assert len(read_checkpoint(path)["history"]["train_loss"]) == 2
    same_run(*run(kit, bars, 4, kind, checkpoint=path, resume=True), *reference)


def test_ctrl_c_in_epoch_three_then_resume_equals_the_uninterrupted_run(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    reference = run(kit, bars, 4, "adam-amsgrad")
    batches_and_val = 6 + 3  # per epoch: 256 / 48 training batches, 128 / 48 validation ones
    wired = kit.tripwire(kit.small_cnn(0, dropout=0.3), 2 * batches_and_val + 4, kit.press_ctrl_c)
    with pytest.raises(TrainingInterrupted):
        run(kit, bars, 4, "adam-amsgrad", checkpoint=path, model=wired)
    resumed = run(kit, bars, 4, "adam-amsgrad", checkpoint=path, resume=True)
    same_run(*resumed, *reference)


def test_a_checkpoint_is_one_safetensors_file_with_json_state_and_no_leftovers(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    history, model = run(kit, bars, 2, "adam-amsgrad", checkpoint=path)
    assert [p.name for p in tmp_path.iterdir()] == ["run.safetensors"]
    arrays = safetensors.numpy.load_file(path)  # readable by any safetensors reader
    np.testing.assert_array_equal(arrays["model.0.weight"], model[0].weight.data)
    assert arrays["optimizer.state.0.exp_avg"].shape == model[0].weight.shape
    with safe_open(path, framework="numpy") as file:
        metadata = file.metadata()
    assert metadata["format"] == "cnnlab-training-checkpoint"
    state = json.loads(metadata["state"])
    assert state["epoch"] == 2 and state["history"]["train_loss"] == history.train_loss
    assert state["rng"]["bit_generator"] == "PCG64"


def test_load_checkpoint_gives_a_fresh_model_the_trained_weights(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    history, model = run(kit, bars, 2, "adamw", checkpoint=path)
    fresh = kit.small_cnn(seed=99, dropout=0.3)
    info = load_checkpoint(fresh, path)
    assert info.epoch == 2 and info.history.val_loss == history.val_loss
    np.testing.assert_array_equal(fresh[-1].weight.data, model[-1].weight.data)


@pytest.fixture
def saved(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    run(kit, bars, 1, "sgd-momentum", checkpoint=path)
    return path


@pytest.mark.parametrize("cut", [0, 7, 100, -1])
def test_a_truncated_checkpoint_is_refused(saved, kit, cut):
    saved.write_bytes(saved.read_bytes()[:cut])
    with pytest.raises(ValueError, match="is damaged .cut short or changed since it was written"):
        load_checkpoint(kit.small_cnn(seed=0, dropout=0.3), saved)


@pytest.mark.parametrize("where", ["tensor data", "json state"])
def test_a_checkpoint_with_a_changed_byte_is_refused_by_its_checksum(saved, bars, kit, where):
    data = bytearray(saved.read_bytes())
    at = len(data) - 5 if where == "tensor data" else data.index(b'epoch\\": 1') + 9
    data[at] ^= 0x01  # epoch 1 -> epoch 0 in the JSON case: still valid JSON
    saved.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum does not match its contents"):
        run(kit, bars, 2, "sgd-momentum", checkpoint=saved, resume=True)


def test_a_checkpoint_of_another_model_is_refused_naming_each_difference(saved, bars, kit):
    other = kit.small_cnn(seed=0, dropout=0.3)
    other.layers[-1] = Linear(64, 3, rng=0)  # three classes instead of two
    before = {name: value.copy() for name, value in other.state_dict().items()}
    with pytest.raises(ValueError) as caught:
        run(kit, bars, 2, "sgd-momentum", checkpoint=saved, resume=True, model=other)
    assert str(caught.value) == (
        f"The checkpoint {saved} does not match this training run:\n"
        "  model: shape of 5.weight: model has (3, 64), state has (2, 64)\n"
        "  model: shape of 5.bias: model has (3,), state has (2,)"
    )
    for name, value in other.state_dict().items():  # refused whole: nothing was loaded
        np.testing.assert_array_equal(value, before[name])


@pytest.mark.parametrize(
    "kind, callbacks, message",
    [
        ("adam-amsgrad", None, "optimizer: checkpoint has SGD, this run has Adam"),
        ("adam-amsgrad", None, "scheduler: checkpoint has StepLR, this run has CosineAnnealingLR"),
        ("sgd-momentum", [], r"callbacks with state: checkpoint has \['EarlyStopping'\], this run"),
    ],
)
def test_a_checkpoint_of_another_setup_is_refused(saved, bars, kit, kind, callbacks, message):
    with pytest.raises(ValueError, match=message):
        run(kit, bars, 2, kind, checkpoint=saved, resume=True, callbacks=callbacks)


def test_resuming_carries_on_the_early_stopping_count(bars, kit, tmp_path):
    path, first, second = tmp_path / "run.safetensors", EarlyStopping(), EarlyStopping()
    run(kit, bars, 3, "adamw", checkpoint=path, callbacks=[first])
    history, _ = run(kit, bars, 3, "adamw", checkpoint=path, resume=True, callbacks=[second])
    assert len(history) == 3  # nothing left to train: the state is only loaded
    assert (second.best, second.best_epoch, second.wait) == (
        first.best,
        first.best_epoch,
        first.wait,
    )
    for name, value in first.best_weights.items():
        np.testing.assert_array_equal(second.best_weights[name], value)


def test_plain_weights_are_not_mistaken_for_a_checkpoint(tmp_path, kit):
    model = kit.small_cnn(seed=0)
    path = cnnlab.save(model, tmp_path / "weights.safetensors")
    with pytest.raises(ValueError, match="not a cnnlab training checkpoint .plain weights load"):
        load_checkpoint(model, path)


def test_state_trees_keep_int_keys_tuples_scalars_and_mt19937_states():
    mt = np.random.Generator(np.random.MT19937(3))
    tree = {
        "state": {0: {"step": 4, "exp_avg": np.ones(3, np.float32)}, 2: {}},
        "betas": (0.9, 0.999),
        "scalar": np.float32(0.1),
        "rng": mt.bit_generator.state,
        "__odd": [None, True, "text", float("inf")],
    }
    data, arrays = flatten(tree)
    back = unflatten(json.loads(json.dumps(data)), arrays)
    assert back["state"][0]["step"] == 4 and list(back["state"]) == [0, 2]
    assert back["betas"] == (0.9, 0.999) and back["__odd"] == [None, True, "text", float("inf")]
    assert back["scalar"] == np.float32(0.1) and back["scalar"].dtype == np.float32
    other = np.random.Generator(np.random.MT19937(4))
    other.bit_generator.state = back["rng"]
    assert other.random() == mt.random()


def test_a_state_holding_an_object_is_refused():
    with pytest.raises(TypeError, match="optimizer.hook is not. Received: a value of type"):
        flatten({"optimizer": {"hook": print}})
