"""The exported PyTorch file computes what cnnlab computes, and loads its weights strictly."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from cnnlab.export import to_torch
from cnnlab.export.graph import trace_graph
from cnnlab.export.torch_code import torch_code
from cnnlab.models import (
    ARCHITECTURES,
    build_model,
    fringes_cnn,
    lenet5,
    photonic_cnn,
    small_vgg,
    spectra_cnn,
)
from cnnlab.models.gauge_nets import gauge_cnn, gauge_dense
from cnnlab.nn import (
    BatchNorm1d,
    BatchNorm2d,
    Conv2d,
    CrossEntropyLoss,
    Dropout,
    Identity,
    Linear,
    Module,
    ReLU,
    Residual,
    Sequential,
    ops,
)
from export.torch_run import export_and_compare, imported_names, load_module

RELATIVE = 1e-5
ZOO_INPUTS = {"alexnet": (3, 63, 63), "lenet5": (1, 28, 28), "squeezenet1_1": (3, 17, 17)}


def with_statistics(model: Module, seed: int = 0) -> Module:
    """Batch norm with running statistics of its own (not 0 and 1), as after training."""
    rng = np.random.default_rng(seed)
    for module in model.modules():
        if isinstance(module, (BatchNorm1d, BatchNorm2d)) and module.track_running_stats:
            n = module.num_features
            module.running_mean = rng.normal(0, 0.2, n).astype(np.float32)
            module.running_var = rng.uniform(0.5, 2.0, n).astype(np.float32)
            module.num_batches_tracked = np.array(7, dtype=np.int64)
    return model


@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_every_zoo_model_runs_in_torch_as_in_cnnlab(name, tmp_path):
    shape = ZOO_INPUTS.get(name, (3, 32, 32))
    model = build_model(name, num_classes=10, in_channels=shape[0], input_size=shape[-1], rng=0)
    files = model.num_parameters() < 30_000_000  # alexnet, vgg16, resnext101: in memory
    error, _ = export_and_compare(with_statistics(model), shape, tmp_path, files=files)
    assert error < RELATIVE


@pytest.mark.parametrize(
    "build, shape",
    [
        (lambda: lenet5(rng=0), (1, 28, 28)),
        (lambda: small_vgg(rng=0), (3, 32, 32)),
        (lambda: fringes_cnn(rng=0), (1, 32, 32)),
        (lambda: gauge_cnn(rng=0), (2, 8, 8)),
        (lambda: gauge_dense(8, rng=0), (2, 8, 8)),
        (lambda: photonic_cnn(rng=0), (1, 32, 32)),
        (lambda: spectra_cnn(rng=0), (1, 128)),
    ],
    ids=["lenet5", "small_vgg", "fringes", "gauge_cnn", "gauge_dense", "photonic", "spectra"],
)
def test_the_small_and_the_physics_networks_run_in_torch_as_in_cnnlab(build, shape, tmp_path):
    error, _ = export_and_compare(with_statistics(build()), shape, tmp_path)
    assert error < RELATIVE


class TwoBranches(Module):
    """A user's own model: branches concatenated, a shortcut added, ops with constants."""

    def __init__(self):
        super().__init__()
        self.left = Conv2d(2, 3, 3, padding=1, rng=0)
        self.right = Sequential(Conv2d(2, 3, 1, rng=1), BatchNorm2d(3), ReLU())
        self.mix = Conv2d(6, 2, 1, rng=2)
        self.skip = Identity()
        self.block = Residual(Conv2d(2, 2, 3, padding=1, rng=3))
        self.drop = Dropout(0.5)
        self.head = Linear(2, 4, rng=4)

    def forward(self, x):
        both = ops.concatenate([self.left(x), self.right(x)], axis=1)
        y = ops.add(self.mix(both), self.skip(x))
        y = ops.subtract(ops.multiply(self.block(y), 0.5), 1.0)
        y = ops.getitem(y, (slice(None), slice(0, 2), slice(1, None)))
        pooled = ops.mean(self.drop(y), axis=(2, 3))
        return self.head(ops.reshape(pooled, (pooled.shape[0], -1)))


def test_a_users_composed_model_runs_in_torch_as_in_cnnlab(tmp_path):
    error, torch_model = export_and_compare(with_statistics(TwoBranches()), (2, 5, 6), tmp_path)
    assert error < RELATIVE
    code = (tmp_path / "model.py").read_text()
    assert "right = self.right(x)" in code and "torch.cat([out, right], dim=1)" in code
    assert "[:, 0:2, 1:]" in code and ".mean(dim=(2, 3))" in code
    assert "out.reshape(out.shape[0], -1)" in code  # the traced batch of 1 stays the batch
    assert type(torch_model).__name__ == "TwoBranches"
    assert type(torch_model.block).__name__ == "Residual"


def test_a_resnet_block_with_and_without_downsample_shares_one_readable_class(tmp_path):
    model = build_model("resnet18", num_classes=10, rng=0)
    code = torch_code(trace_graph(model, (3, 32, 32)))
    assert code.count("class BasicBlock(") == 1
    assert "        if self.downsample is not None:\n            x = self.downsample(x)\n" in code
    assert "        out = out + x\n" in code


def test_a_step_that_a_boolean_attribute_switches_is_written_as_an_if(tmp_path):
    model = build_model("mobilenet_v2", num_classes=10, rng=0, input_size=32)
    code = torch_code(trace_graph(model, (3, 32, 32)))
    assert code.count("class InvertedResidual(") == 1
    assert "        if self.use_res_connect:\n            out = x + out\n" in code
    assert "use_res_connect=False," in code and "use_res_connect=True," in code


class Switch(Module):
    """Two calls of one class that differ by more than a left-out step."""

    def __init__(self, double: bool):
        super().__init__()
        self.conv = Conv2d(2, 2, 1, rng=0)
        self.factor = 2 if double else 1

    def forward(self, x):
        y = self.conv(x)
        return ops.multiply(y, 2.0) if self.factor == 2 else ops.add(y, 1.0)


def test_blocks_whose_forwards_differ_otherwise_get_one_class_each(tmp_path):
    model = Sequential(Switch(True), Switch(False), Switch(True))
    error, torch_model = export_and_compare(model, (2, 3, 3), tmp_path)
    assert error < RELATIVE
    assert [type(m).__name__ for m in torch_model] == ["Switch", "Switch2", "Switch"]


def test_the_state_dict_keys_are_cnnlabs_and_the_file_imports_only_torch(tmp_path):
    model = with_statistics(build_model("resnet18", num_classes=10, rng=0))
    paths = to_torch(model, tmp_path / "out", (3, 32, 32))
    assert imported_names(paths["code"]) == {"json", "torch"}
    exported = load_module(paths["code"])
    torch_model = exported.load_weights(exported.build(), paths["weights"])  # its own reader
    state = torch_model.state_dict()
    assert list(state) == list(model.state_dict())
    assert state["layer2.0.downsample.1.num_batches_tracked"].dtype == torch.int64
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(state[key].numpy(), value)


def test_a_layer_without_a_torch_twin_is_refused_with_the_list_of_them(tmp_path):
    class WithLoss(Module):
        def __init__(self):
            super().__init__()
            self.fc = Linear(3, 2, rng=0)
            self.norm = BatchNorm1d(2, bias=False)
            self.loss = CrossEntropyLoss()
            self.unused = Residual(Identity())

        def forward(self, x):
            return self.norm(self.fc(x))

    with pytest.raises(ValueError, match="cannot be exported to PyTorch") as error:
        to_torch(WithLoss(), tmp_path, (3,))
    message = str(error.value)
    assert "'norm': BatchNorm1d(bias=False) has no torch.nn twin" in message
    assert "'loss': CrossEntropyLoss has no torch.nn twin" in message
    assert "'unused' (Residual): not called by the forward on the example input" in message
    assert not (tmp_path / "model.py").exists()


def test_a_single_layer_is_exported_as_that_layer(tmp_path):
    error, torch_model = export_and_compare(Linear(4, 3, rng=0), (4,), tmp_path)
    assert error < RELATIVE and isinstance(torch_model, torch.nn.Linear)


def test_an_op_with_an_array_constant_is_refused_naming_the_module(tmp_path):
    class Shifted(Module):
        def __init__(self):
            super().__init__()
            self.fc = Linear(3, 3, rng=0)
            self.shift = np.arange(3, dtype=np.float32)

        def forward(self, x):
            return ops.add(self.fc(x), self.shift)

    with pytest.raises(ValueError, match="1 part of it cannot be written") as error:
        to_torch(Shifted(), tmp_path, (3,))
    assert "\n  the model (Shifted): ops.add with an array constant (b)" in str(error.value)


def test_the_written_file_is_as_ruff_would_format_it_and_lints_clean(tmp_path):
    for name, model, shape in [
        ("resnet", build_model("resnet18", num_classes=10, rng=0), (3, 32, 32)),
        ("squeezenet", build_model("squeezenet1_1", num_classes=10, rng=0), (3, 32, 32)),
        ("photonic", photonic_cnn(rng=0), (1, 32, 32)),
        ("user", TwoBranches(), (2, 5, 6)),
    ]:
        code = torch_code(trace_graph(model, shape))
        (tmp_path / f"{name}.py").write_text(code)
    ruff = [sys.executable, "-m", "ruff"]
    settings = ["--isolated", "--line-length", "100"]
    lint = subprocess.run([*ruff, "check", *settings, "--select", "E,F,W,I,B,UP", tmp_path],
                          capture_output=True, text=True)  # fmt: skip
    style = subprocess.run([*ruff, "format", "--check", *settings, tmp_path],
                           capture_output=True, text=True)  # fmt: skip
    assert lint.returncode == 0, lint.stdout
    assert style.returncode == 0, style.stdout
