"""SGD, Adam and AdamW follow torch.optim step for step, and resume from a state dict."""

import numpy as np
import pytest
import torch

from cnnlab.nn import Parameter
from cnnlab.optim import SGD, Adam, AdamW, CosineAnnealingLR, StepLR

TOLERANCES = {np.float32: {"rtol": 1e-5, "atol": 1e-6}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}
SHAPES = [(3, 4), (5,), (2, 1, 3)]

CASES = [
    (SGD, torch.optim.SGD, {"lr": 0.1}),
    (SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    (SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    (SGD, torch.optim.SGD, {"lr": 0.05, "weight_decay": 0.1}),
    (SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.8, "dampening": 0.3}),
    (SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01, "nesterov": True}),
    (Adam, torch.optim.Adam, {}),
    (Adam, torch.optim.Adam, {"lr": 0.01, "weight_decay": 0.1}),
    (Adam, torch.optim.Adam, {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}),
    (Adam, torch.optim.Adam, {"lr": 0.01, "amsgrad": True}),
    (Adam, torch.optim.Adam, {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    (AdamW, torch.optim.AdamW, {}),
    (AdamW, torch.optim.AdamW, {"lr": 0.01, "weight_decay": 0.1}),
    (AdamW, torch.optim.AdamW, {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
]
IDS = [f"{ours.__name__}-{'-'.join(f'{k}={v}' for k, v in kw.items()) or 'defaults'}"
       for ours, _, kw in CASES]  # fmt: skip


def make_parameters(dtype, seed=0):
    """cnnlab Parameters and torch leaf tensors holding the same random values."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
    ours = [Parameter(a.copy()) for a in arrays]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in arrays]
    return ours, theirs


def give_gradients(ours, theirs, rng):
    """Set the same pseudo-random gradient on both sides (``theirs=None``: ours only)."""
    for index, p in enumerate(ours):
        gradient = rng.standard_normal(p.shape).astype(p.dtype)
        p.grad[...] = gradient
        if theirs is not None:
            theirs[index].grad = torch.tensor(gradient.copy())


def assert_same(ours, theirs, dtype, step):
    for index, (p, t) in enumerate(zip(ours, theirs)):
        assert p.dtype == dtype
        np.testing.assert_allclose(
            p.data, t.detach().numpy(), **TOLERANCES[dtype], err_msg=f"param {index}, step {step}"
        )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("ours_class", "torch_class", "kwargs"), CASES, ids=IDS)
def test_ten_steps_match_torch(ours_class, torch_class, kwargs, dtype):
    ours, theirs = make_parameters(dtype)
    optimizer = ours_class(ours, **kwargs)
    reference = torch_class(theirs, foreach=False, **kwargs)
    rng = np.random.default_rng(1)
    for step in range(10):
        give_gradients(ours, theirs, rng)
        optimizer.step()
        reference.step()
        assert_same(ours, theirs, dtype, step)


@pytest.mark.parametrize(("ours_class", "torch_class", "kwargs"), CASES[1:3] + CASES[9:11])
def test_state_holds_torchs_buffers_under_torchs_names(ours_class, torch_class, kwargs):
    ours, theirs = make_parameters(np.float64)
    optimizer = ours_class(ours, **kwargs)
    reference = torch_class(theirs, foreach=False, **kwargs)
    rng = np.random.default_rng(2)
    for _ in range(3):
        give_gradients(ours, theirs, rng)
        optimizer.step()
        reference.step()
    for index, t in enumerate(theirs):
        their_state = reference.state[t]
        assert set(optimizer.state[index]) == set(their_state)
        for key, value in their_state.items():
            np.testing.assert_allclose(optimizer.state[index][key], value.numpy(), rtol=1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("ours_class", "torch_class", "kwargs"), CASES, ids=IDS)
def test_resuming_from_state_dict_continues_exactly(ours_class, torch_class, kwargs, dtype):
    uninterrupted, _ = make_parameters(dtype)
    optimizer = ours_class(uninterrupted, **kwargs)
    gradients = np.random.default_rng(3)
    for _ in range(10):
        give_gradients(uninterrupted, None, gradients)
        optimizer.step()

    first, _ = make_parameters(dtype)
    optimizer = ours_class(first, **kwargs)
    gradients = np.random.default_rng(3)
    for _ in range(5):
        give_gradients(first, None, gradients)
        optimizer.step()
    checkpoint = optimizer.state_dict()

    resumed = [Parameter(p.data.copy()) for p in first]
    optimizer = ours_class(resumed, lr=123.0) if ours_class is SGD else ours_class(resumed)
    optimizer.load_state_dict(checkpoint)
    for _ in range(5):
        give_gradients(resumed, None, gradients)
        optimizer.step()
    for p, q in zip(resumed, uninterrupted):
        assert p.dtype == dtype
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.parametrize(
    ("make_ours", "make_theirs"),
    [
        (lambda o: StepLR(o, step_size=3, gamma=0.5),
         lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
        (lambda o: CosineAnnealingLR(o, T_max=4, eta_min=0.01),
         lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01)),
    ],
    ids=["StepLR", "CosineAnnealingLR"],
)  # fmt: skip
def test_training_under_a_schedule_matches_torch(make_ours, make_theirs):
    ours, theirs = make_parameters(np.float64)
    optimizer = SGD(ours, lr=0.1, momentum=0.9)
    reference = torch.optim.SGD(theirs, lr=0.1, momentum=0.9, foreach=False)
    scheduler, torch_scheduler = make_ours(optimizer), make_theirs(reference)
    rng = np.random.default_rng(4)
    for epoch in range(10):
        for _ in range(2):
            give_gradients(ours, theirs, rng)
            optimizer.step()
            reference.step()
        scheduler.step()
        torch_scheduler.step()
        assert_same(ours, theirs, np.float64, epoch)
