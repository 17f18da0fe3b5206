"""Under ``no_grad()`` a forward pass keeps nothing for backward, in every layer of a
composed network: inference holds each activation only while the next layer reads it."""

import numpy as np
import pytest

from cnnlab import nn
from cnnlab.models import lenet5, resnet18


def held_arrays(model: nn.Module) -> list[str]:
    """Names of the arrays a layer holds beyond its parameters and buffers."""
    held = []
    for name, module in model.named_modules():
        for key, value in vars(module).items():
            if key in module._buffer_names or isinstance(value, nn.Parameter):
                continue
            if isinstance(value, np.ndarray) or hasattr(value, "_fields"):  # arrays, contexts
                held.append(f"{name}.{key}")
    return held


@pytest.mark.parametrize("build, shape", [(lenet5, (1, 28, 28)), (resnet18, (3, 32, 32))])
def test_an_inference_pass_leaves_no_activation_in_any_layer(build, shape):
    model = build(rng=0).eval()
    x = np.random.default_rng(0).standard_normal((2, *shape)).astype(np.float32)
    model(x)  # with gradients: the layers keep what backward needs
    assert held_arrays(model)
    with nn.no_grad():
        y = model(x)
    assert held_arrays(model) == []
    assert y.shape[0] == 2


def test_backward_after_an_inference_pass_says_there_is_nothing_to_differentiate():
    layer = nn.ReLU()
    with nn.no_grad():
        y = layer(np.array([-1.0, 2.0]))
    with pytest.raises(RuntimeError, match=r"ReLU.backward\(\) was called without a forward"):
        layer.backward(np.ones_like(y))
