"""Parameters, MACs and shapes in a summary equal those of the same networks in torch.

The torch side counts for itself: parameters from its modules, MACs from the output
shapes its forward hooks see (Conv: out.numel() * C_in / groups * KH * KW; Linear:
out.numel() * in_features).
"""

import numpy as np
import pytest
import torch

from cnnlab import nn
from cnnlab.inspect import summary
from cnnlab.models import lenet5, small_vgg

T = torch.nn


def torch_lenet5():
    return T.Sequential(
        T.Conv2d(1, 6, 5, padding=2), T.ReLU(), T.MaxPool2d(2),
        T.Conv2d(6, 16, 5), T.ReLU(), T.MaxPool2d(2), T.Flatten(),
        T.Linear(400, 120), T.ReLU(), T.Linear(120, 84), T.ReLU(), T.Linear(84, 10),
    )  # fmt: skip


def torch_small_vgg():
    return T.Sequential(
        T.Conv2d(3, 32, 3, padding=1), T.ReLU(), T.Conv2d(32, 32, 3, padding=1), T.ReLU(),
        T.MaxPool2d(2),
        T.Conv2d(32, 64, 3, padding=1), T.ReLU(), T.Conv2d(64, 64, 3, padding=1), T.ReLU(),
        T.MaxPool2d(2), T.Flatten(), T.Linear(4096, 256), T.ReLU(), T.Linear(256, 10),
    )  # fmt: skip


def grouped_1d_pair():
    """Grouped, dilated, strided 1-D convolutions with batch norm (buffers are not params)."""
    ours = nn.Sequential(
        nn.Conv1d(4, 8, 5, stride=2, padding=2, groups=2, rng=0), nn.BatchNorm1d(8),
        nn.ReLU(), nn.Conv1d(8, 8, 3, dilation=3, groups=8, bias=False, rng=0),
        nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(8, 3, rng=0),
    )  # fmt: skip
    theirs = T.Sequential(
        T.Conv1d(4, 8, 5, stride=2, padding=2, groups=2), T.BatchNorm1d(8), T.ReLU(),
        T.Conv1d(8, 8, 3, dilation=3, groups=8, bias=False), T.AdaptiveAvgPool1d(1),
        T.Flatten(), T.Linear(8, 3),
    )  # fmt: skip
    return ours, theirs, (4, 40)


def torch_counts(model: T.Module, input_shape, batch_size):
    """Per leaf layer (in order): output shape, parameters and MACs, as torch sees them."""
    found = []

    def hook(module, inputs, output):
        out = output.numel()
        if isinstance(module, (T.Conv1d, T.Conv2d)):
            kernel = int(np.prod(module.kernel_size))
            macs = out * module.in_channels // module.groups * kernel
        elif isinstance(module, T.Linear):
            macs = out * module.in_features
        else:
            macs = 0
        params = sum(p.numel() for p in module.parameters())
        found.append((tuple(output.shape), params, macs))

    handles = [m.register_forward_hook(hook) for m in model.modules() if not list(m.children())]
    with torch.no_grad():
        model.eval()(torch.zeros(batch_size, *input_shape))
    for handle in handles:
        handle.remove()
    return found


CASES = {
    "lenet5": lambda: (lenet5(rng=0), torch_lenet5(), (1, 28, 28)),
    "small_vgg": lambda: (small_vgg(rng=0), torch_small_vgg(), (3, 32, 32)),
    "grouped_1d": grouped_1d_pair,
}


@pytest.mark.parametrize("batch_size", [1, 3])
@pytest.mark.parametrize("case", list(CASES))
def test_every_layer_counts_as_in_torch(case, batch_size):
    ours, theirs, input_shape = CASES[case]()
    s = summary(ours, input_shape, batch_size=batch_size)
    expected = torch_counts(theirs, input_shape, batch_size)
    got = [(row.output_shape, row.params, row.macs) for row in s.rows if row.is_leaf]
    assert got == expected
    assert s.total_params == sum(p.numel() for p in theirs.parameters())
    assert s.trainable_params == s.total_params
    assert s.total_macs == sum(macs for _, _, macs in expected)


@pytest.mark.parametrize("case", list(CASES))
def test_activation_memory_is_every_output_once(case):
    ours, theirs, input_shape = CASES[case]()
    outputs = torch_counts(theirs, input_shape, 2)
    expected = sum(int(np.prod(shape)) for shape, _, _ in outputs) * 4  # float32
    assert summary(ours, input_shape, batch_size=2).activation_bytes == expected
    assert summary(ours, input_shape, batch_size=2, dtype=np.float64).activation_bytes == (
        2 * expected
    )
