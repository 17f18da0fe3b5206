"""Every zoo model exported to ONNX: ONNX Runtime gives cnnlab's output, and the file
read back by ``load_onnx`` gives it bit for bit.

One export per model serves both checks (AlexNet, VGG-16 and ResNeXt-101 hold 61 M to
138 M weights, whatever the input size). Batch norms get seeded statistics first.
"""

import numpy as np
import pytest

from checks.onnx_runtime import randomize_batch_norms, relative_error, run_onnxruntime
from cnnlab.export import load_onnx, to_onnx
from cnnlab.models import ARCHITECTURES, build_model

INPUTS = {"lenet5": (1, 28, 28), "small_vgg": (3, 32, 32), "alexnet": (3, 63, 71)}
# the others take 3x32x40: H != W


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_zoo_model_runs_in_onnxruntime_and_comes_back_bit_equal(name, tmp_path):
    shape = INPUTS.get(name, (3, 32, 40))
    model = build_model(name, num_classes=10, input_size=shape[-1], rng=0)
    model = randomize_batch_norms(model).eval()
    path = to_onnx(model, tmp_path / f"{name}.onnx", shape)
    x = np.random.default_rng(0).standard_normal((2, *shape)).astype(np.float32)
    expected = model(x)

    assert relative_error(run_onnxruntime(path, x), expected) < 1e-4
    again = load_onnx(path)
    assert np.array_equal(again(x), expected)
    assert again.num_parameters() == model.num_parameters()
