"""Weights files of either kind into cnnlab models, by suffix."""

import numpy as np
import pytest
import safetensors.numpy
import torch

from cnnlab.nn import BatchNorm2d, Conv2d, Sequential
from cnnlab.weights import load_state, load_state_into


def torch_net():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3))
    net[1].running_mean.uniform_()
    net[1].num_batches_tracked.fill_(9)
    return net


def test_a_torch_pth_loads_into_the_same_cnnlab_network_and_computes_the_same(tmp_path):
    net = torch_net().eval()
    torch.save(net.state_dict(), tmp_path / "net.pth")
    model = load_state_into(Sequential(Conv2d(2, 3, 3), BatchNorm2d(3)), tmp_path / "net.pth")
    model.eval()
    x = np.random.default_rng(0).standard_normal((2, 2, 8, 8)).astype(np.float32)
    expected = net(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(model(x), expected, rtol=1e-5, atol=1e-5)
    assert int(model.state_dict()["1.num_batches_tracked"]) == 9


@pytest.mark.parametrize("suffix", [".pth", ".pt", ".bin", ".safetensors"])
def test_load_state_reads_every_suffix_to_the_same_arrays(tmp_path, suffix):
    state = {k: v.numpy() for k, v in torch_net().state_dict().items()}
    path = tmp_path / f"net{suffix}"
    if suffix == ".safetensors":
        safetensors.numpy.save_file(state, path)
    else:
        torch.save(torch_net().state_dict(), path)
    loaded = load_state(path)
    assert sorted(loaded) == sorted(state)
    for name, value in state.items():
        np.testing.assert_array_equal(loaded[name], value)


def test_a_file_without_num_batches_tracked_still_loads(tmp_path):
    state = {k: v for k, v in torch_net().state_dict().items() if "num_batches" not in k}
    torch.save(state, tmp_path / "net.pth")
    model = load_state_into(Sequential(Conv2d(2, 3, 3), BatchNorm2d(3)), tmp_path / "net.pth")
    np.testing.assert_array_equal(model.state_dict()["1.running_mean"], state["1.running_mean"])


def test_a_missing_weight_is_still_an_error_naming_it(tmp_path):
    state = {k: v for k, v in torch_net().state_dict().items() if k != "0.bias"}
    torch.save(state, tmp_path / "net.pth")
    with pytest.raises(ValueError, match=r"(?s)do not match Sequential:.*missing: 0\.bias"):
        load_state_into(Sequential(Conv2d(2, 3, 3), BatchNorm2d(3)), tmp_path / "net.pth")


def test_unknown_suffixes_and_damaged_safetensors_are_reported(tmp_path):
    with pytest.raises(ValueError, match=r"must end in \.safetensors.*path='w\.npz'"):
        load_state("w.npz")
    bad = tmp_path / "w.safetensors"
    bad.write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not a safetensors file"):
        load_state(bad)
