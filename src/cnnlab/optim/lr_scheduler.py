"""Learning-rate schedules: change ``optimizer.lr`` once per epoch, as torch's do.

Each schedule works like ``torch.optim.lr_scheduler``: build it after the optimizer,
call ``optimizer.step()`` during the epoch and ``scheduler.step()`` at its end. The new
rate is computed from the optimizer's current one (torch's recursive form), so the values
equal torch's epoch by epoch, and a change made to ``optimizer.lr`` from outside carries on.
To resume training, load the optimizer's state and then the scheduler's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .._validation import check_positive_float, check_positive_int, received
from .optimizer import Optimizer


class LRScheduler:
    """Base class: counts epochs in ``last_epoch`` and sets ``optimizer.lr`` on ``step()``.

    Subclasses define ``_next_lr(lr)``: the rate for epoch ``last_epoch`` from the
    previous one. ``base_lr`` is the optimizer's rate when the schedule was built.
    """

    hyperparameter_names: tuple[str, ...] = ()

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                "`optimizer` must be a cnnlab Optimizer, such as SGD or Adam. "
                f"Received: optimizer of type {type(optimizer).__name__}."
            )
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        self._last_lr = optimizer.lr

    def _next_lr(self, lr: float) -> float:
        raise TypeError(f"{type(self).__name__} does not define _next_lr().")

    def step(self) -> None:
        """End an epoch: advance ``last_epoch`` and set the optimizer's new rate."""
        self.last_epoch += 1
        self.optimizer.lr = self._next_lr(self.optimizer.lr)
        self._last_lr = self.optimizer.lr

    def get_last_lr(self) -> list[float]:
        """The rate set by the last ``step()``, as a one-item list (torch gives one per group)."""
        return [self._last_lr]

    def state_dict(self) -> dict[str, Any]:
        """Epoch count, rates and settings as a plain dict."""
        state = {"last_epoch": self.last_epoch, "base_lr": self.base_lr, "last_lr": self._last_lr}
        state.update({name: getattr(self, name) for name in self.hyperparameter_names})
        return state

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Continue from ``state_dict()``; the optimizer's ``lr`` is loaded with the optimizer."""
        expected = {"last_epoch", "base_lr", "last_lr", *self.hyperparameter_names}
        if not isinstance(state_dict, Mapping) or set(state_dict) != expected:
            keys = sorted(state_dict) if isinstance(state_dict, Mapping) else state_dict
            raise ValueError(
                f"A {type(self).__name__} state must have the keys {sorted(expected)}. "
                + received(state_dict=keys)
            )
        for name in self.hyperparameter_names:
            setattr(self, name, state_dict[name])
        self.last_epoch = int(state_dict["last_epoch"])
        self.base_lr = float(state_dict["base_lr"])
        self._last_lr = float(state_dict["last_lr"])

    def __repr__(self) -> str:
        settings = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.hyperparameter_names)
        return f"{type(self).__name__}({settings}, last_epoch={self.last_epoch})"


class StepLR(LRScheduler):
    """Multiply the rate by ``gamma`` every ``step_size`` epochs.

    Parameters
    ----------
    optimizer : Optimizer
        Whose ``lr`` to change.
    step_size : int
        Period of the decay, in epochs.
    gamma : float, default 0.1
        Factor applied at each decay.

    Examples
    --------
    >>> import numpy as np
    >>> from cnnlab.nn import Parameter
    >>> from cnnlab.optim import SGD
    >>> optimizer = SGD([Parameter(np.zeros(1))], lr=1.0)
    >>> scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for epoch in range(5):
    ...     rates.append(optimizer.lr)  # ... train one epoch with optimizer.step() ...
    ...     scheduler.step()
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    hyperparameter_names = ("step_size", "gamma")

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size = check_positive_int("step_size", step_size)
        self.gamma = check_positive_float("gamma", gamma)

    def _next_lr(self, lr: float) -> float:
        if self.last_epoch % self.step_size != 0:
            return lr
        return lr * self.gamma


class CosineAnnealingLR(LRScheduler):
    r"""Anneal the rate from its start to ``eta_min`` along half a cosine over ``T_max`` epochs.

    Parameters
    ----------
    optimizer : Optimizer
        Whose ``lr`` to change.
    T_max : int
        Number of epochs from the start rate down to ``eta_min``.
    eta_min : float, default 0
        The lowest rate.

    Notes
    -----
    At epoch :math:`t` the rate is

    .. math:: \eta_t = \eta_{min} + \tfrac12 (\eta_0 - \eta_{min})(1 + \cos(\pi t / T_{max}))

    computed, like torch, by the recursion
    :math:`\eta_t = \eta_{min} + (\eta_{t-1} - \eta_{min})
    \frac{1 + \cos(\pi t / T_{max})}{1 + \cos(\pi (t - 1) / T_{max})}`
    (with torch's special step where the denominator vanishes). After ``T_max`` epochs the
    rate climbs back up and keeps oscillating with period ``2 T_max``, as torch's does.

    Examples
    --------
    >>> import numpy as np
    >>> from cnnlab.nn import Parameter
    >>> from cnnlab.optim import SGD
    >>> optimizer = SGD([Parameter(np.zeros(1))], lr=1.0)
    >>> scheduler = CosineAnnealingLR(optimizer, T_max=4)
    >>> rates = []
    >>> for epoch in range(6):
    ...     scheduler.step()
    ...     rates.append(round(optimizer.lr, 6))
    >>> rates
    [0.853553, 0.5, 0.146447, 0.0, 0.146447, 0.5]
    """

    hyperparameter_names = ("T_max", "eta_min")

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        super().__init__(optimizer)
        self.T_max = check_positive_int("T_max", T_max)
        self.eta_min = check_positive_float("eta_min", eta_min, allow_zero=True)

    def _next_lr(self, lr: float) -> float:
        epoch, period, eta_min = self.last_epoch, self.T_max, self.eta_min
        if (epoch - 1 - period) % (2 * period) == 0:
            # the previous epoch sat at eta_min, where the ratio below is 0 / 0
            return lr + (self.base_lr - eta_min) * (1 - math.cos(math.pi / period)) / 2
        return (1 + math.cos(math.pi * epoch / period)) / (
            1 + math.cos(math.pi * (epoch - 1) / period)
        ) * (lr - eta_min) + eta_min
