"""Weights saved by torch as .pth and .safetensors load into cnnlab and give torch's logits.

The torch reference of each architecture is filled with seeded random weights, written with
``torch.save`` and ``safetensors.torch.save_file``, read back with
``cnnlab.weights.load_state_into`` (no torch, no pickle code), and the logits compared. The
heavy fully connected networks (alexnet, vgg16, resnext101) are compared layer for layer
in their own tests instead, to keep this one quick.
"""

import numpy as np
import pytest
import safetensors.torch
import torch

from cnnlab.models import build_model
from cnnlab.weights import load_state_into
from models.torch_zoo import TORCH_RESNETS, MobileNetV2, SqueezeNet, randomize

torch.set_num_threads(2)

REFERENCES = {
    "resnet18": TORCH_RESNETS["resnet18"],
    "resnext50_32x4d": TORCH_RESNETS["resnext50_32x4d"],
    "mobilenet_v2": MobileNetV2,
    "squeezenet1_1": SqueezeNet,
}


@pytest.mark.parametrize("suffix", [".pth", ".safetensors"])
@pytest.mark.parametrize("name", REFERENCES)
def test_weights_written_by_torch_give_torchs_logits(name, suffix, tmp_path):
    reference = randomize(REFERENCES[name](), seed=4)
    path = tmp_path / f"{name}{suffix}"
    if suffix == ".pth":
        torch.save(reference.state_dict(), path)
    else:
        state = {k: v.contiguous() for k, v in reference.state_dict().items()}
        safetensors.torch.save_file(state, path)
    model = load_state_into(build_model(name, rng=0), path).eval()
    x = np.random.default_rng(5).standard_normal((2, 3, 64, 64)).astype(np.float32)
    logits = model(x)
    with torch.no_grad():
        expected = reference(torch.from_numpy(x)).numpy()
    assert np.max(np.abs(logits - expected)) / np.max(np.abs(expected)) <= 1e-4
    np.testing.assert_array_equal(
        np.argsort(-logits, axis=1)[:, :5], np.argsort(-expected, axis=1)[:, :5]
    )
