"""Callbacks: code that ``fit`` runs at the end of every epoch, and that may stop it.

The protocol is duck-typed; :class:`Callback` gives do-nothing defaults:

- ``on_train_begin(history, model)`` once, before the first epoch (before a resumed
  checkpoint loads its state into the callback);
- ``on_epoch_end(epoch, history, model) -> bool``: return ``True`` to stop training;
  ``epoch`` counts from 1 and ``history`` already holds that epoch;
- ``on_train_end(history, model)`` once, after the last epoch;
- optionally ``state_dict()`` / ``load_state_dict(state)``: state saved in checkpoints,
  so a resumed run carries on counting (plain data and arrays only);
- optionally ``reason``: a line ``fit`` prints when this callback stopped training.
"""

from __future__ import annotations

import math
from typing import Any

from .._validation import check_choice, check_non_negative_int, check_positive_float
from ..nn.module import Module
from .history import MONITORED, History, metric_mode


class Callback:
    """Base class with the do-nothing hooks; subclasses override the ones they need."""

    reason = ""

    def on_train_begin(self, history: History, model: Module) -> None:
        """Called once before training (reset per-run state here)."""

    def on_epoch_end(self, epoch: int, history: History, model: Module) -> bool:
        """Called after each epoch; return ``True`` to stop training."""
        return False

    def on_train_end(self, history: History, model: Module) -> None:
        """Called once after the last epoch."""


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs; restore the best weights.

    Parameters
    ----------
    monitor : {"val_loss", "val_accuracy", "train_loss", "train_accuracy"}
        The history metric to watch.
    patience : int, default 3
        After this many epochs in a row without improvement, training stops.
    min_delta : float, default 0
        An improvement smaller than this does not count.
    mode : {"auto", "min", "max"}
        Whether smaller or larger is better; ``"auto"`` reads it from the name.
    restore_best : bool, default True
        When it stops training, load the weights of the best epoch back into the model
        (at the end of ``fit``, after the last checkpoint, which keeps the last epoch's
        state so that resuming stays exact).

    Examples
    --------
    >>> from cnnlab.nn import Linear
    >>> model, history = Linear(1, 1, rng=0), History()
    >>> stopper = EarlyStopping(monitor="val_loss", patience=1)
    >>> stopper.on_train_begin(history, model)
    >>> for epoch, val_loss in enumerate([0.9, 0.5, 0.6, 0.7], start=1):
    ...     history.append(train_loss=1.0, train_accuracy=None, val_loss=val_loss,
    ...                    val_accuracy=None, lr=0.1, seconds=1.0)
    ...     if stopper.on_epoch_end(epoch, history, model):
    ...         break
    >>> epoch, stopper.best_epoch, stopper.reason
    (3, 2, 'val_loss has not improved for 1 epoch; the best, 0.5, was at epoch 2, whose ...')
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 3,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best: bool = True,
    ) -> None:
        self.monitor = check_choice("monitor", monitor, MONITORED)
        self.mode = metric_mode(monitor, mode)
        self.patience = check_non_negative_int("patience", patience)
        self.min_delta = check_positive_float("min_delta", min_delta, allow_zero=True)
        self.restore_best = bool(restore_best)
        self._reset()

    def on_train_begin(self, history: History, model: Module) -> None:
        self._reset()

    def _reset(self) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch = 0
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights: dict[str, Any] | None = None

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch: int, history: History, model: Module) -> bool:
        value = getattr(history, self.monitor)[-1]
        if value is None:
            raise ValueError(
                f"EarlyStopping watches {self.monitor!r}, which this run does not measure "
                "(validation metrics need `val` data; accuracy needs class labels). "
                f"Received: monitor={self.monitor!r}."
            )
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best:
                self.best_weights = model.state_dict()
            return False
        self.wait += 1
        if self.wait < self.patience:
            return False
        self.stopped_epoch = epoch
        restored = ", whose weights are restored" if self.restore_best else ""
        epochs = f"{self.wait} epoch{'' if self.wait == 1 else 's'}"
        self.reason = (
            f"{self.monitor} has not improved for {epochs}; the best, "
            f"{self.best:.4g}, was at epoch {self.best_epoch}{restored}"
        )
        return True

    def on_train_end(self, history: History, model: Module) -> None:
        if self.stopped_epoch and self.restore_best and self.best_weights is not None:
            model.load_state_dict(self.best_weights)

    def state_dict(self) -> dict[str, Any]:
        names = ("best", "best_epoch", "wait", "stopped_epoch", "best_weights")
        return {name: getattr(self, name) for name in names}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
            f"min_delta={self.min_delta}, mode={self.mode!r}, restore_best={self.restore_best})"
        )
