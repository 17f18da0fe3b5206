"""One helper to check backward against float64 central differences.

The scalar checked is ``sum(forward(x) * r)`` for a fixed random ``r``, so its gradient
with respect to the output is ``r``. A random subset of entries of the input and of every
parameter is perturbed by ``±eps``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _numerical(objective: Callable[[], float], array: np.ndarray, index, eps: float) -> float:
    saved = array[index]
    array[index] = saved + eps
    up = objective()
    array[index] = saved - eps
    down = objective()
    array[index] = saved
    return (up - down) / (2 * eps)


def _indices(shape, rng: np.random.Generator, count: int):
    size = int(np.prod(shape))
    flat = rng.choice(size, size=min(size, count), replace=False)
    return [np.unravel_index(i, shape) for i in flat]


def check_gradients(
    layer,
    x: np.ndarray,
    seed: int = 0,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    entries: int = 24,
    before_forward: Callable[[], None] | None = None,
) -> None:
    """Analytical gradients of ``layer`` (input and every parameter) match finite differences.

    ``before_forward`` runs before every forward pass, e.g. to reseed a dropout layer so
    each pass draws the same mask.
    """
    rng = np.random.default_rng(seed)
    layer.to(np.float64)
    x = np.array(x, dtype=np.float64)

    def run() -> np.ndarray:
        if before_forward is not None:
            before_forward()
        return layer(x)

    r = rng.standard_normal(run().shape)

    def objective() -> float:
        return float(np.sum(run() * r))

    run()
    layer.zero_grad()
    grad_x = layer.backward(r)
    grads = {name: p.grad.copy() for name, p in layer.named_parameters()}
    for index in _indices(x.shape, rng, entries):
        expected = _numerical(objective, x, index, eps)
        np.testing.assert_allclose(
            grad_x[index], expected, rtol=rtol, atol=atol, err_msg=f"input gradient at {index}"
        )
    for name, parameter in layer.named_parameters():
        for index in _indices(parameter.shape, rng, entries):
            expected = _numerical(objective, parameter.data, index, eps)
            np.testing.assert_allclose(
                grads[name][index],
                expected,
                rtol=rtol,
                atol=atol,
                err_msg=f"gradient of {name} at {index}",
            )


def check_loss_gradients(
    loss,
    logits: np.ndarray,
    targets,
    seed: int = 0,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    entries: int = 24,
) -> None:
    """``loss.backward()`` matches central differences of ``loss(logits, targets)``."""
    rng = np.random.default_rng(seed)
    logits = np.array(logits, dtype=np.float64)
    targets = np.asarray(targets)
    if np.issubdtype(targets.dtype, np.floating):
        targets = targets.astype(np.float64)
    loss(logits, targets)
    grad = loss.backward()
    for index in _indices(logits.shape, rng, entries):
        expected = _numerical(lambda: loss(logits, targets), logits, index, eps)
        np.testing.assert_allclose(
            grad[index], expected, rtol=rtol, atol=atol, err_msg=f"logits gradient at {index}"
        )
