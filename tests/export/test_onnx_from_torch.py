"""ONNX files written by ``torch.onnx.export`` (the TorchScript exporter, opset 17) come
into cnnlab and give torch's outputs.

``do_constant_folding=False`` keeps each BatchNormalization node: with folding, torch
merges a batch norm that follows a convolution into the convolution's weights.
"""

import warnings

import numpy as np
import onnx
import pytest
import torch
from torch import nn

from checks.onnx_runtime import relative_error
from cnnlab.export import load_onnx
from cnnlab.nn import BatchNorm1d, BatchNorm2d, Conv2d, Linear

torch.set_num_threads(1)


class ResidualConcat(nn.Module):
    """Two branches concatenated, a shortcut added, global pooling, a classifier."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.left = nn.Conv2d(8, 4, 1)
        self.right = nn.Sequential(nn.Conv2d(8, 4, 3, padding=1, groups=4), nn.LeakyReLU(0.2))
        self.pool = nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.left(x), self.right(x)], dim=1) + x
        return self.head(self.pool(x))


def with_batch_norms():
    return nn.Sequential(
        nn.Conv2d(3, 6, 3, stride=(1, 2), padding=1, dilation=(1, 2)), nn.BatchNorm2d(6),
        nn.ReLU6(), nn.AvgPool2d(2, ceil_mode=True), nn.Flatten(), nn.Linear(6 * 5 * 3, 7),
        nn.BatchNorm1d(7), nn.Tanh(), nn.Linear(7, 3), nn.Softmax(dim=1),
    )  # fmt: skip


def randomized(model: nn.Module, seed: int) -> nn.Module:
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                for tensor, (low, high) in (
                    (module.weight, (0.5, 1.5)), (module.bias, (-0.2, 0.2)),
                    (module.running_mean, (-0.3, 0.3)), (module.running_var, (0.5, 1.5)),
                ):  # fmt: skip
                    tensor.uniform_(low, high, generator=generator)
    return model.eval()


def export(model: nn.Module, shape, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter is deprecated
        torch.onnx.export(
            model, (torch.zeros(1, *shape),), str(path), dynamo=False, opset_version=17,
            input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "n"}, "y": {0: "n"}},
            do_constant_folding=False,
        )  # fmt: skip
    return path


@pytest.mark.parametrize(
    "build, shape, layers",
    [
        (with_batch_norms, (3, 10, 12), {BatchNorm2d: 1, BatchNorm1d: 1, Linear: 2}),
        (ResidualConcat, (3, 9, 14), {Conv2d: 3, BatchNorm2d: 1, Linear: 1}),
    ],
)
def test_torch_exported_model_imports_and_gives_torchs_output(build, shape, layers, tmp_path):
    reference = randomized(build(), seed=1)
    path = export(reference, shape, tmp_path / "model.onnx")
    x = np.random.default_rng(0).standard_normal((3, *shape)).astype(np.float32)
    with torch.no_grad():
        expected = reference(torch.from_numpy(x)).numpy()

    model = load_onnx(path)

    assert relative_error(model(x), expected) < 1e-5
    for kind, count in layers.items():
        assert sum(isinstance(m, kind) for m in model.modules()) == count, kind.__name__


def test_batch_norm_node_of_torch_file_keeps_its_statistics_and_eps(tmp_path):
    reference = randomized(with_batch_norms(), seed=2)
    reference[1].eps = 1e-3
    path = export(reference, (3, 10, 12), tmp_path / "model.onnx")
    assert "BatchNormalization" in [node.op_type for node in onnx.load(str(path)).graph.node]

    norm = next(m for m in load_onnx(path).modules() if isinstance(m, BatchNorm2d))

    assert norm.eps == 1e-3 and not norm.training
    np.testing.assert_array_equal(norm.running_var, reference[1].running_var.numpy())


def test_torch_file_trains_in_cnnlab_gradients_equal_torchs(tmp_path):
    reference = randomized(ResidualConcat(), seed=3)
    path = export(reference, (3, 9, 14), tmp_path / "model.onnx")
    model = load_onnx(path)
    x = np.random.default_rng(1).standard_normal((2, 3, 9, 14)).astype(np.float32)
    grad_out = np.random.default_rng(2).standard_normal((2, 5)).astype(np.float32)
    x_torch = torch.tensor(x, requires_grad=True)

    model(x)
    grad_x = model.backward(grad_out)
    reference(x_torch).backward(torch.from_numpy(grad_out))

    assert relative_error(grad_x, x_torch.grad.numpy()) < 1e-5
    head = model.head_2.weight.grad
    assert relative_error(head, reference.head[2].weight.grad.numpy()) < 1e-5
