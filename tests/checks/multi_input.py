"""Check an op of several arrays (a loss, a distance) against torch and finite differences.

The op is given as ``forward(*arrays)`` and ``backward(grad_out)``; ``backward`` returns
the gradient of the first array, or a tuple with one gradient per differentiable array
(the first ``differentiable`` ones). A float value (reduction "mean" or "sum") is
differentiated with ``grad_out`` a number, an array value with a random array.
"""

from __future__ import annotations

import numpy as np
import torch

from checks.gradcheck import _indices, _numerical
from checks.torch_reference import TORCH_DTYPES, _close


def _as_tuple(grads) -> tuple:
    return grads if isinstance(grads, tuple) else (grads,)


def _cast(arrays, dtype) -> list[np.ndarray]:
    out = []
    for a in arrays:
        a = np.asarray(a)
        out.append(a.astype(dtype) if np.issubdtype(a.dtype, np.floating) else a)
    return out


def _grad_out(value, rng: np.random.Generator, dtype):
    if isinstance(value, float):
        return 1.5
    return rng.standard_normal(np.shape(value)).astype(dtype)


def assert_op_matches_torch(
    forward, backward, torch_forward, arrays, differentiable: int, dtype=np.float64, seed=0
):
    """Value and gradients of the op equal torch's; returns the value."""
    dtype = np.dtype(dtype)
    arrays = _cast(arrays, dtype)
    tensors = [torch.tensor(a, requires_grad=i < differentiable) for i, a in enumerate(arrays)]
    value = forward(*arrays)
    value_torch = torch_forward(*tensors)
    if isinstance(value, float):
        assert value_torch.dim() == 0, f"torch gives shape {tuple(value_torch.shape)}"
    else:
        assert isinstance(value, np.ndarray), f"value of type {type(value).__name__}"
        assert value.dtype == dtype, f"value dtype {value.dtype}, expected {dtype}"
    _close("value", np.asarray(value), value_torch.detach().numpy(), dtype)

    grad_out = _grad_out(value, np.random.default_rng(seed), dtype)
    grads = _as_tuple(backward(grad_out))
    assert len(grads) == differentiable, f"{len(grads)} gradients, expected {differentiable}"
    torch_grads = torch.autograd.grad(
        value_torch,
        tensors[:differentiable],
        torch.tensor(grad_out, dtype=TORCH_DTYPES[dtype]),
        allow_unused=True,
    )
    for i, (ours, theirs) in enumerate(zip(grads, torch_grads, strict=True)):
        theirs = np.zeros(arrays[i].shape) if theirs is None else theirs.numpy()
        assert ours.dtype == dtype, f"gradient {i} dtype {ours.dtype}, expected {dtype}"
        _close(f"gradient of array {i}", ours, theirs, dtype)
    return value


def check_op_gradients(
    forward,
    backward,
    arrays,
    differentiable: int,
    seed: int = 0,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    entries: int = 12,
) -> None:
    """``backward`` matches central differences of ``sum(forward(*arrays) * grad_out)``."""
    rng = np.random.default_rng(seed)
    arrays = _cast(arrays, np.float64)
    grad_out = _grad_out(forward(*arrays), rng, np.float64)

    def objective() -> float:
        return float(np.sum(forward(*arrays) * grad_out))

    forward(*arrays)
    grads = [np.array(g) for g in _as_tuple(backward(grad_out))]
    for i in range(differentiable):
        for index in _indices(arrays[i].shape, rng, entries):
            expected = _numerical(objective, arrays[i], index, eps)
            np.testing.assert_allclose(
                grads[i][index], expected, rtol=rtol, atol=atol,
                err_msg=f"gradient of array {i} at {index}",
            )  # fmt: skip
