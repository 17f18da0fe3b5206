"""Weights as .safetensors: round trips, torch's names, clear refusals, atomic writes."""

import os
import re

import numpy as np
import pytest
import safetensors.numpy
import safetensors.torch
import torch

from cnnlab import serialization
from cnnlab.nn import Module, Parameter, Sequential
from cnnlab.serialization import load_weights, save
from cnnlab.weights import WeightsFileError


class Affine(Module):
    """y = x W^T + b, with BatchNorm-like buffers when ``track`` (a float and an int64 0-d)."""

    def __init__(self, in_features, out_features, track=True, rng=0, dtype=np.float32):
        super().__init__()
        rng = np.random.default_rng(rng)
        self.weight = Parameter(rng.standard_normal((out_features, in_features)).astype(dtype))
        self.bias = Parameter(rng.standard_normal(out_features).astype(dtype))
        if track:
            self.register_buffer("running_mean", rng.standard_normal(out_features).astype(dtype))
            self.register_buffer("num_batches_tracked", np.array(7, dtype=np.int64))


class TorchAffine(torch.nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(out_features, in_features))
        self.bias = torch.nn.Parameter(torch.zeros(out_features))
        self.register_buffer("running_mean", torch.zeros(out_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))


def make_model(seed, dtype=np.float32):
    return Sequential(
        Affine(3, 4, rng=seed, dtype=dtype), Sequential(Affine(4, 2, rng=seed + 1, dtype=dtype))
    )


def assert_same_state(model, state):
    expected = model.state_dict()
    assert set(state) == set(expected)
    for name, value in expected.items():
        assert np.asarray(state[name]).dtype == value.dtype, name
        np.testing.assert_array_equal(state[name], value, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip_restores_every_parameter_and_buffer(tmp_path, dtype):
    trained, fresh = make_model(0, dtype), make_model(10, dtype)
    weight = fresh[0].weight
    path = save(trained, tmp_path / "model.safetensors")
    assert load_weights(fresh, path) == {}
    assert_same_state(fresh, trained.state_dict())
    assert fresh[0].weight is weight


def test_loading_casts_values_to_the_models_dtype(tmp_path):
    path = save(make_model(0, np.float64), str(tmp_path / "model.safetensors"))
    model = make_model(1, np.float32)
    load_weights(model, path)
    assert model[0].weight.dtype == np.float32
    np.testing.assert_allclose(model[0].weight.data, make_model(0)[0].weight.data)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_file_holds_pytorch_names_readable_by_safetensors_numpy(tmp_path, dtype):
    model = make_model(0, dtype)
    save(model, tmp_path / "model.safetensors")
    state = safetensors.numpy.load_file(tmp_path / "model.safetensors")
    assert_same_state(model, state)
    assert "1.0.running_mean" in state


def test_a_torch_module_of_the_same_structure_loads_the_file(tmp_path):
    model = make_model(0)
    save(model, tmp_path / "model.safetensors")
    reference = torch.nn.Sequential(TorchAffine(3, 4), torch.nn.Sequential(TorchAffine(4, 2)))
    reference.load_state_dict(safetensors.torch.load_file(tmp_path / "model.safetensors"))
    assert_same_state(model, {k: v.numpy() for k, v in reference.state_dict().items()})


def test_a_file_written_by_torch_loads_into_the_same_structure(tmp_path):
    reference = torch.nn.Sequential(TorchAffine(3, 4), torch.nn.Sequential(TorchAffine(4, 2)))
    with torch.no_grad():
        for tensor in reference.state_dict().values():
            tensor.copy_(torch.arange(tensor.numel()).reshape(tensor.shape))
    safetensors.torch.save_file(reference.state_dict(), tmp_path / "torch.safetensors")
    model = make_model(0)
    load_weights(model, tmp_path / "torch.safetensors")
    assert_same_state(model, {k: v.numpy() for k, v in reference.state_dict().items()})


def test_metadata_strings_travel_with_the_weights(tmp_path):
    metadata = {"epoch": "12", "dataset": "ising-32x32"}
    path = save(make_model(0), tmp_path / "model.safetensors", metadata=metadata)
    assert load_weights(make_model(1), path) == metadata


def test_metadata_that_is_not_strings_is_refused(tmp_path):
    message = "`metadata` must be a dict of str to str (convert numbers with str()). "
    with pytest.raises(TypeError, match=re.escape(message + "Received: metadata={'epoch': 12}.")):
        save(make_model(0), tmp_path / "model.safetensors", metadata={"epoch": 12})
    assert not list(tmp_path.iterdir())


def test_a_mismatched_model_is_refused_with_every_difference_listed(tmp_path):
    path = save(Sequential(Affine(3, 4), Affine(4, 2, track=False)), tmp_path / "m.safetensors")
    model = Sequential(Affine(3, 4, track=False), Affine(4, 3))
    before = model.state_dict()
    with pytest.raises(ValueError) as caught:
        load_weights(model, path)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"The weights in {path} do not match Sequential:"
    assert sorted(lines[1:]) == [
        "  missing: 1.num_batches_tracked ()",
        "  missing: 1.running_mean (3,)",
        "  shape of 1.bias: model has (3,), state has (2,)",
        "  shape of 1.weight: model has (3, 4), state has (2, 4)",
        "  unexpected: 0.num_batches_tracked ()",
        "  unexpected: 0.running_mean (4,)",
    ]
    assert_same_state(model, before)


def test_non_strict_loading_skips_extra_and_missing_names_but_not_shapes(tmp_path):
    trained = Sequential(Affine(3, 4), Affine(4, 2, track=False))
    path = save(trained, tmp_path / "m.safetensors")
    model = Sequential(Affine(3, 4, track=False, rng=5), Affine(4, 2, rng=5))
    load_weights(model, path, strict=False)
    np.testing.assert_array_equal(model[1].weight.data, trained[1].weight.data)
    with pytest.raises(ValueError, match="shape of 1.weight: model has \\(3, 4\\)"):
        load_weights(Sequential(Affine(3, 4), Affine(4, 3)), path, strict=False)


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[:-7], lambda data: data[:5], lambda data: b"", lambda _: b"PK\x03\x04" * 9],
    ids=["truncated", "header-cut", "empty", "zip-file"],
)
def test_a_damaged_file_gives_a_clear_error(tmp_path, damage):
    path = save(make_model(0), tmp_path / "model.safetensors")
    path.write_bytes(damage(path.read_bytes()))
    pattern = f"{re.escape(str(path))}: (damaged|not a safetensors file)"
    with pytest.raises(WeightsFileError, match=pattern) as refused:
        load_weights(make_model(1), path)
    assert "\n" not in str(refused.value)


def test_a_missing_file_error_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="No weights file at .*nothing.safetensors"):
        load_weights(make_model(0), tmp_path / "nothing.safetensors")


def test_saving_into_a_missing_folder_names_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="the folder .*absent does not exist"):
        save(make_model(0), tmp_path / "absent" / "model.safetensors")


def test_saving_again_replaces_the_file(tmp_path):
    path = save(make_model(0), tmp_path / "model.safetensors")
    save(make_model(1), path)
    assert_same_state(make_model(1), safetensors.numpy.load_file(path))
    assert [p.name for p in tmp_path.iterdir()] == ["model.safetensors"]


def test_an_interrupted_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = save(make_model(0), tmp_path / "model.safetensors")

    def interrupted(descriptor):  # the new bytes are written, not yet renamed into place
        raise KeyboardInterrupt

    monkeypatch.setattr(serialization.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save(make_model(1), path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.safetensors"]
    assert_same_state(make_model(0), safetensors.numpy.load_file(path))


def test_a_failure_while_encoding_writes_nothing(tmp_path, monkeypatch):
    path = save(make_model(0), tmp_path / "model.safetensors")

    def failing_encoder(tensors, metadata=None):
        raise MemoryError

    monkeypatch.setattr(serialization.safetensors.numpy, "save", failing_encoder)
    with pytest.raises(MemoryError):
        save(make_model(1), path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.safetensors"]
    assert_same_state(make_model(0), safetensors.numpy.load_file(path))


def test_saved_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    path = save(make_model(0), tmp_path / "model.safetensors")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_only_modules_are_saved_and_loaded(tmp_path):
    with pytest.raises(
        TypeError, match="`model` must be a cnnlab Module. Received: model of type dict."
    ):
        save({"w": np.ones(2)}, tmp_path / "m.safetensors")
    with pytest.raises(TypeError, match="`model` must be a cnnlab Module."):
        load_weights({"w": np.ones(2)}, tmp_path / "m.safetensors")
