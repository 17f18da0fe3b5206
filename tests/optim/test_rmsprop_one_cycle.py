"""RMSprop and OneCycleLR follow torch step for step."""

import numpy as np
import pytest
import torch

from cnnlab.nn import Parameter
from cnnlab.optim import SGD, Adam, OneCycleLR, RMSprop

CASES = [
    {},
    {"lr": 0.01, "alpha": 0.9, "eps": 1e-6},
    {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.01, "centered": True},
    {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.1},
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "kwargs", CASES, ids=lambda kw: "-".join(map(str, kw.items())) or "defaults"
)
def test_rmsprop_ten_steps_match_torch(kwargs, dtype):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape).astype(dtype) for shape in [(3, 4), (5,)]]
    ours = [Parameter(a.copy()) for a in arrays]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in arrays]
    optimizer = RMSprop(ours, **kwargs)
    reference = torch.optim.RMSprop(theirs, foreach=False, **kwargs)
    tol = {"rtol": 1e-10, "atol": 1e-12} if dtype == np.float64 else {"rtol": 1e-5, "atol": 1e-6}
    for step in range(10):
        for p, t in zip(ours, theirs, strict=True):
            p.grad[...] = rng.standard_normal(p.shape).astype(dtype)
            t.grad = torch.tensor(p.grad.copy())
        optimizer.step()
        reference.step()
        for p, t in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(p.data, t.detach().numpy(), **tol, err_msg=f"step {step}")
    state, torch_state = optimizer.state[0], reference.state[theirs[0]]
    for key in ("square_avg", "momentum_buffer", "grad_avg"):
        assert (key in state) == (key in torch_state)


def test_rmsprop_divides_by_the_root_mean_square():
    p = Parameter(np.array([0.0]))
    optimizer = RMSprop([p], lr=1.0, alpha=0.0, eps=0.0)
    p.grad[:] = -3.0
    optimizer.step()
    assert p.data[0] == pytest.approx(1.0)  # one unit against the gradient's sign


def test_rmsprop_refuses_an_alpha_above_one():
    with pytest.raises(ValueError, match=r"`alpha` must be in \[0, 1\]. Received: alpha=1.5"):
        RMSprop([Parameter(np.zeros(1))], alpha=1.5)


SCHEDULES = [
    {"max_lr": 0.5, "total_steps": 40},
    {"max_lr": 0.5, "epochs": 4, "steps_per_epoch": 7, "pct_start": 0.25},
    {"max_lr": 1.0, "total_steps": 30, "anneal_strategy": "linear", "div_factor": 10.0},
    {"max_lr": 1.0, "total_steps": 30, "three_phase": True, "final_div_factor": 100.0},
    {"max_lr": 0.2, "total_steps": 25, "cycle_momentum": False},
]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("kwargs", SCHEDULES, ids=lambda kw: "-".join(map(str, kw.items())))
def test_one_cycle_rates_and_momenta_equal_torchs_at_every_step(kwargs, optimizer):
    ours = (
        SGD([Parameter(np.zeros(1))], lr=0.1, momentum=0.9)
        if optimizer == "sgd"
        else Adam([Parameter(np.zeros(1))], lr=0.1)
    )
    theirs = (
        torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
        if optimizer == "sgd"
        else torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)
    )
    scheduler = OneCycleLR(ours, **kwargs)
    reference = torch.optim.lr_scheduler.OneCycleLR(theirs, **kwargs)
    total = kwargs.get("total_steps") or kwargs["epochs"] * kwargs["steps_per_epoch"]
    for step in range(total):
        group = theirs.param_groups[0]
        assert ours.lr == pytest.approx(group["lr"], rel=1e-12, abs=1e-15), f"step {step}"
        momentum = ours.momentum if optimizer == "sgd" else ours.betas[0]
        torch_momentum = group["momentum"] if optimizer == "sgd" else group["betas"][0]
        assert momentum == pytest.approx(torch_momentum, rel=1e-12), f"step {step}"
        if step == total - 1:
            break
        theirs.step()
        scheduler.step()
        reference.step()
    scheduler.step()
    assert ours.lr >= 0  # the last rate (never used); a linear schedule would go below 0
    with pytest.raises(ValueError, match="stepped more times than its"):
        scheduler.step()


def test_one_cycle_peaks_at_max_lr_and_ends_far_below_the_start():
    optimizer = SGD([Parameter(np.zeros(1))], lr=0.1, momentum=0.9)
    scheduler = OneCycleLR(optimizer, max_lr=1.0, total_steps=100)
    rates = [optimizer.lr]
    for _ in range(99):
        scheduler.step()
        rates.append(optimizer.lr)
    assert rates[0] == pytest.approx(0.04) and max(rates) == pytest.approx(1.0)
    assert int(np.argmax(rates)) == 29 and rates[-1] == pytest.approx(0.04 / 1e4)


def test_one_cycle_needs_a_length_and_a_momentum():
    optimizer = SGD([Parameter(np.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="needs `total_steps`, or both `epochs`"):
        OneCycleLR(optimizer, max_lr=1.0, epochs=3)
    scheduler = OneCycleLR(optimizer, max_lr=1.0, total_steps=3)
    assert scheduler.get_last_lr() == [pytest.approx(0.99441544)]  # torch's value too
