"""StepLR and CosineAnnealingLR give torch's rates epoch by epoch, and resume."""

import math

import numpy as np
import pytest
import torch

from cnnlab.nn import Parameter
from cnnlab.optim import SGD, Adam, CosineAnnealingLR, StepLR

EPOCHS = 25
SCHEDULES = [
    ("StepLR", {"step_size": 1}),
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("StepLR", {"step_size": 7, "gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 1}),
    ("CosineAnnealingLR", {"T_max": 4}),
    ("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.01}),
    ("CosineAnnealingLR", {"T_max": 12, "eta_min": 0.2}),
]
OURS = {"StepLR": StepLR, "CosineAnnealingLR": CosineAnnealingLR}


def pair(name, kwargs, lr=0.3):
    optimizer = SGD([Parameter(np.zeros(2))], lr=lr)
    reference = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=lr)
    ours = OURS[name](optimizer, **kwargs)
    theirs = getattr(torch.optim.lr_scheduler, name)(reference, **kwargs)
    return optimizer, ours, reference, theirs


def advance(optimizer, scheduler, reference, torch_scheduler):
    """One epoch on both sides (the optimizers step first, as torch asks)."""
    reference.step()
    torch_scheduler.step()
    optimizer.step()
    scheduler.step()


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULES, ids=[f"{n}-{k}" for n, k in SCHEDULES])
def test_rates_equal_torch_for_25_epochs(name, kwargs):
    optimizer, scheduler, reference, torch_scheduler = pair(name, kwargs)
    assert scheduler.get_last_lr() == torch_scheduler.get_last_lr()
    for epoch in range(1, EPOCHS + 1):
        advance(optimizer, scheduler, reference, torch_scheduler)
        expected = torch_scheduler.get_last_lr()[0]
        assert scheduler.get_last_lr() == [optimizer.lr]
        assert optimizer.lr == pytest.approx(expected, rel=1e-12, abs=1e-15), f"epoch {epoch}"
        assert scheduler.last_epoch == torch_scheduler.last_epoch


@pytest.mark.parametrize("T_max", [3, 8])
def test_cosine_recursion_follows_the_closed_form_over_two_periods(T_max):
    optimizer = SGD([Parameter(np.zeros(1))], lr=0.5)
    scheduler = CosineAnnealingLR(optimizer, T_max=T_max, eta_min=0.05)
    for epoch in range(1, 2 * T_max + 1):
        scheduler.step()
        closed = 0.05 + (0.5 - 0.05) * (1 + math.cos(math.pi * epoch / T_max)) / 2
        assert optimizer.lr == pytest.approx(closed, abs=1e-12)


def test_step_lr_decays_only_at_multiples_of_step_size():
    optimizer = SGD([Parameter(np.zeros(1))], lr=1.0)
    scheduler = StepLR(optimizer, step_size=2, gamma=0.1)
    rates = []
    for _ in range(5):
        scheduler.step()
        rates.append(optimizer.lr)
    assert rates == pytest.approx([1.0, 0.1, 0.1, 0.01, 0.01])


@pytest.mark.parametrize(("name", "kwargs"), [SCHEDULES[1], SCHEDULES[5]], ids=["StepLR", "Cos"])
def test_a_change_to_lr_from_outside_carries_on_as_in_torch(name, kwargs):
    optimizer, scheduler, reference, torch_scheduler = pair(name, kwargs)
    for epoch in range(1, 15):
        if epoch == 5:
            optimizer.lr = 0.7
            reference.param_groups[0]["lr"] = 0.7
        advance(optimizer, scheduler, reference, torch_scheduler)
        assert optimizer.lr == pytest.approx(torch_scheduler.get_last_lr()[0], rel=1e-12)


@pytest.mark.parametrize(("name", "kwargs"), [SCHEDULES[1], SCHEDULES[5]], ids=["StepLR", "Cos"])
def test_resuming_optimizer_and_scheduler_continues_the_same_rates(name, kwargs):
    optimizer = Adam([Parameter(np.zeros(2))], lr=0.3)
    scheduler = OURS[name](optimizer, **kwargs)
    rates = []
    for _ in range(14):
        scheduler.step()
        rates.append(optimizer.lr)

    optimizer = Adam([Parameter(np.zeros(2))], lr=0.3)
    scheduler = OURS[name](optimizer, **kwargs)
    for _ in range(6):
        scheduler.step()
    checkpoint = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}

    optimizer = Adam([Parameter(np.zeros(2))], lr=99.0)
    scheduler = OURS[name](optimizer, **{k: v * 2 for k, v in kwargs.items()})
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    assert scheduler.get_last_lr() == [rates[5]]
    for _ in range(8):
        scheduler.step()
    assert optimizer.lr == rates[-1]


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda o: StepLR(o, step_size=0), ValueError,
         "`step_size` must be a positive int. Received: step_size=0."),
        (lambda o: StepLR(o, step_size=2.5), TypeError, "`step_size` must be a positive int."),
        (lambda o: StepLR(o, step_size=2, gamma=-0.1), ValueError,
         "`gamma` must be a positive number. Received: gamma=-0.1."),
        (lambda o: CosineAnnealingLR(o, T_max=0), ValueError,
         "`T_max` must be a positive int. Received: T_max=0."),
        (lambda o: CosineAnnealingLR(o, T_max=5, eta_min=-1), ValueError,
         "`eta_min` must be a non-negative number. Received: eta_min=-1.0."),
        (lambda o: StepLR("sgd", step_size=2), TypeError,
         "`optimizer` must be a cnnlab Optimizer, such as SGD or Adam. "
         "Received: optimizer of type str."),
        (lambda o: StepLR(o, 2).load_state_dict({"last_epoch": 3}), ValueError,
         "A StepLR state must have the keys ['base_lr', 'gamma', 'last_epoch', 'last_lr', "
         "'step_size']. Received: state_dict=['last_epoch']."),
    ],
)  # fmt: skip
def test_bad_schedule_settings_are_refused_with_clear_messages(build, error, message):
    optimizer = SGD([Parameter(np.zeros(1))], lr=0.1)
    with pytest.raises(error) as caught:
        build(optimizer)
    assert str(caught.value).startswith(message)
