"""OneCycleLR: Smith's one-cycle policy, stepped once per batch, as torch's.

The rate climbs from ``max_lr / div_factor`` to ``max_lr`` over the first ``pct_start``
of the steps, then falls to ``max_lr / div_factor / final_div_factor``; the momentum
(SGD's ``momentum``, Adam's first beta) moves the opposite way, between
``max_momentum`` and ``base_momentum``. Each phase follows half a cosine (or a line)::

    cos:    end + (start - end) / 2 * (1 + cos(pi * pct))
    linear: start + (end - start) * pct

with ``pct`` the fraction of the phase done. ``three_phase=True`` climbs, comes back
down to the start symmetrically, then anneals to the minimum.
"""

from __future__ import annotations

import math

from .._validation import check_choice, check_positive_float, check_positive_int, received
from .lr_scheduler import LRScheduler
from .optimizer import Optimizer


class OneCycleLR(LRScheduler):
    """The one-cycle schedule of the rate (and momentum), one ``step()`` per batch.

    Parameters as ``torch.optim.lr_scheduler.OneCycleLR``: ``max_lr``; ``total_steps``, or
    ``epochs`` and ``steps_per_epoch``; ``pct_start`` (0.3), ``anneal_strategy``
    ("cos"), ``cycle_momentum`` (True), ``base_momentum`` (0.85), ``max_momentum``
    (0.95), ``div_factor`` (25), ``final_div_factor`` (1e4), ``three_phase`` (False).
    Building it sets the optimizer's rate to ``max_lr / div_factor`` (torch's step 0;
    with very few steps the first phase may end before it, as in torch). The rate after
    the last batch, never used, is extrapolated as torch's, but not below 0: a linear
    schedule would go negative there, which optimizers refuse.

    Examples
    --------
    >>> import numpy as np
    >>> from cnnlab.nn import Parameter
    >>> from cnnlab.optim import SGD
    >>> optimizer = SGD([Parameter(np.zeros(1))], lr=0.1, momentum=0.9)
    >>> scheduler = OneCycleLR(optimizer, max_lr=1.0, total_steps=5)
    >>> rates = [optimizer.lr]
    >>> for batch in range(4):
    ...     scheduler.step()
    ...     rates.append(round(optimizer.lr, 6))
    >>> rates
    [0.04, 0.950485, 0.611262, 0.188258, 4e-06]
    """

    hyperparameter_names = (
        "max_lr", "total_steps", "pct_start", "anneal_strategy", "cycle_momentum",
        "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase",
    )  # fmt: skip

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float,
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float = 0.85,
        max_momentum: float = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
    ) -> None:
        super().__init__(optimizer)
        self.max_lr = check_positive_float("max_lr", max_lr)
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError(
                    "OneCycleLR needs `total_steps`, or both `epochs` and `steps_per_epoch`. "
                    + received(
                        total_steps=total_steps, epochs=epochs, steps_per_epoch=steps_per_epoch
                    )
                )
            total_steps = check_positive_int("epochs", epochs) * check_positive_int(
                "steps_per_epoch", steps_per_epoch
            )
        self.total_steps = check_positive_int("total_steps", total_steps)
        self.pct_start = check_positive_float("pct_start", pct_start, allow_zero=True)
        if self.pct_start > 1:
            raise ValueError(f"`pct_start` must be in [0, 1]. {received(pct_start=pct_start)}")
        self.anneal_strategy = check_choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
        self.cycle_momentum = bool(cycle_momentum)
        self.base_momentum = float(base_momentum)
        self.max_momentum = float(max_momentum)
        self.div_factor = check_positive_float("div_factor", div_factor)
        self.final_div_factor = check_positive_float("final_div_factor", final_div_factor)
        self.three_phase = bool(three_phase)
        if self.cycle_momentum and not hasattr(optimizer, "momentum"):
            if not hasattr(optimizer, "betas"):
                raise ValueError(
                    "`cycle_momentum=True` needs an optimizer with `momentum` or `betas`. "
                    f"Received: optimizer of type {type(optimizer).__name__}."
                )
        self._set(self._lr_at(0), self._momentum_at(0))

    def _phases(self) -> list[tuple[float, str, str]]:
        """``(last step, start, end)`` of each phase, by the names of the values."""
        warm = float(self.pct_start * self.total_steps) - 1
        last = float(self.total_steps - 1)
        if self.three_phase:
            return [
                (warm, "initial", "max"),
                (2 * warm, "max", "initial"),
                (last, "initial", "min"),
            ]
        return [(warm, "initial", "max"), (last, "max", "min")]

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "linear":
            return (end - start) * pct + start
        return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)

    def _at(self, step: int, values: dict[str, float]) -> float:
        start_step, phases = 0.0, self._phases()
        for index, (end_step, start, end) in enumerate(phases):
            if step <= end_step or index == len(phases) - 1:
                pct = (step - start_step) / (end_step - start_step)
                return self._anneal(values[start], values[end], pct)
            start_step = end_step
        raise AssertionError("unreachable")

    def _lr_at(self, step: int) -> float:
        initial = self.max_lr / self.div_factor
        values = {"initial": initial, "max": self.max_lr, "min": initial / self.final_div_factor}
        return self._at(step, values)

    def _momentum_at(self, step: int) -> float:
        # the momentum runs against the rate: high where the rate is low
        values = {"initial": self.max_momentum, "max": self.base_momentum}
        values["min"] = self.max_momentum
        return self._at(step, values)

    def _set(self, lr: float, momentum: float) -> None:
        lr = max(lr, 0.0)
        self.optimizer.lr = lr
        self._last_lr = lr
        if not self.cycle_momentum:
            return
        if hasattr(self.optimizer, "betas"):
            self.optimizer.betas = (momentum, self.optimizer.betas[1])
        else:
            self.optimizer.momentum = momentum

    def step(self) -> None:
        """End a batch: set the rate (and momentum) of the next step."""
        if self.last_epoch + 1 > self.total_steps:
            raise ValueError(
                f"OneCycleLR was stepped more times than its {self.total_steps} total steps. "
                f"Received: step {self.last_epoch + 1}."
            )
        self.last_epoch += 1
        self._set(self._lr_at(self.last_epoch), self._momentum_at(self.last_epoch))
