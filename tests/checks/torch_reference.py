"""One helper to compare a cnnlab layer or loss with PyTorch autograd.

The cnnlab layer's state is loaded into the torch layer by name, both run forward on the
same input, then backward from the same random ``grad_out``; the output, the input
gradient, every parameter gradient and every buffer must agree.
"""

from __future__ import annotations

import numpy as np
import torch

TOLERANCES = {
    np.dtype(np.float32): {"rtol": 2e-4, "atol": 2e-5},
    np.dtype(np.float64): {"rtol": 1e-9, "atol": 1e-11},
}
TORCH_DTYPES = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}


def _close(name: str, ours: np.ndarray, theirs: np.ndarray, dtype: np.dtype, scale=1.0) -> None:
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{name}: shape {ours.shape} != torch's {theirs.shape}"
    tol = TOLERANCES[np.dtype(dtype)]
    magnitude = max(1.0, float(np.max(np.abs(theirs), initial=0.0))) * scale
    np.testing.assert_allclose(
        ours, theirs, rtol=tol["rtol"], atol=tol["atol"] * magnitude, err_msg=name
    )


def load_into_torch(layer, torch_layer: torch.nn.Module, dtype) -> None:
    """Give ``torch_layer`` the parameters and buffers of the cnnlab ``layer``."""
    torch_dtype = TORCH_DTYPES[np.dtype(dtype)]
    torch_layer.to(torch_dtype)
    state = {}
    for name, value in layer.state_dict().items():
        tensor = torch.from_numpy(np.ascontiguousarray(value))
        state[name] = tensor.to(torch_dtype) if tensor.is_floating_point() else tensor
    torch_layer.load_state_dict(state, strict=True)


def assert_matches_torch(
    layer,
    torch_layer: torch.nn.Module,
    x: np.ndarray,
    dtype=np.float32,
    seed: int = 0,
    scale: float = 1.0,
) -> np.ndarray:
    """Forward and backward of ``layer`` equal those of ``torch_layer``; returns the output.

    ``scale`` widens the absolute tolerance for outputs that sum many terms.
    """
    dtype = np.dtype(dtype)
    layer.to(dtype)
    load_into_torch(layer, torch_layer, dtype)
    torch_layer.train(layer.training)
    torch_layer.zero_grad()
    x = np.asarray(x, dtype=dtype)
    x_torch = torch.tensor(x, requires_grad=True)

    y = layer(x)
    y_torch = torch_layer(x_torch)
    _close("output", y, y_torch.detach().numpy(), dtype, scale)
    assert y.dtype == dtype, f"output dtype {y.dtype}, expected {dtype}"

    grad_out = np.random.default_rng(seed).standard_normal(y.shape).astype(dtype)
    layer.zero_grad()
    grad_in = layer.backward(grad_out)
    y_torch.backward(torch.from_numpy(grad_out))
    _close("input gradient", grad_in, x_torch.grad.numpy(), dtype, scale)

    torch_parameters = dict(torch_layer.named_parameters())
    ours = dict(layer.named_parameters())
    assert ours.keys() == torch_parameters.keys(), f"{list(ours)} != {list(torch_parameters)}"
    for name, parameter in ours.items():
        _close(
            f"gradient of {name}", parameter.grad, torch_parameters[name].grad.numpy(), dtype, scale
        )
    torch_buffers = dict(torch_layer.named_buffers())
    for name, buffer in layer.named_buffers():
        _close(f"buffer {name}", np.asarray(buffer), torch_buffers[name].numpy(), dtype, scale)
    return y


def assert_loss_matches_torch(loss, torch_loss, logits, targets, dtype=np.float32) -> float:
    """``loss(logits, targets)`` and ``loss.backward()`` equal torch's value and gradient."""
    dtype = np.dtype(dtype)
    logits = np.asarray(logits, dtype=dtype)
    logits_torch = torch.tensor(logits, requires_grad=True)
    targets_array = np.asarray(targets)
    if np.issubdtype(targets_array.dtype, np.floating):
        targets_array = targets_array.astype(dtype)
    value = loss(logits, targets_array)
    value_torch = torch_loss(logits_torch, torch.from_numpy(targets_array))
    assert isinstance(value, float), f"a loss returns a float, got {type(value).__name__}"
    _close("loss", np.array(value), value_torch.detach().numpy(), dtype)
    grad = loss.backward()
    value_torch.backward()
    assert grad.dtype == dtype, f"gradient dtype {grad.dtype}, expected {dtype}"
    _close("logits gradient", grad, logits_torch.grad.numpy(), dtype)
    return value
