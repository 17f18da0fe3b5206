"""How a training run ends early: diverged (NaN or Inf loss) or interrupted (Ctrl-C)."""

from __future__ import annotations

from pathlib import Path

from .._validation import received
from .history import History


class TrainingDiverged(ValueError):
    """The loss became NaN or Inf; raised by ``fit`` with the epoch and batch where it did.

    The model, optimizer and rng are back at the end of the last completed epoch (the
    state ``history`` describes), and a checkpoint file, if any, still holds that epoch.

    Attributes
    ----------
    epoch, batch : int
        Where the loss stopped being finite (both counted from 1).
    history : History
        The completed epochs.
    """

    def __init__(self, epoch: int, batch: int, batches: int, problem: str, lr: float) -> None:
        super().__init__(
            f"Training diverged in epoch {epoch}, batch {batch} of {batches}: {problem}. "
            f"Try a lower learning rate, or look for NaN or Inf in the data. {received(lr=lr)}"
        )
        self.epoch = epoch
        self.batch = batch
        self.history = History()


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped ``fit``; the run can go on with ``fit(..., resume=True)``.

    A ``KeyboardInterrupt``, so a script that does not catch it stops as on any Ctrl-C.
    The model, optimizer and rng are back at the end of the last completed epoch, and the
    checkpoint file (when ``fit`` was given one) holds exactly that state.

    Attributes
    ----------
    epoch : int
        The last completed epoch (0 if none was).
    history : History
        The completed epochs.
    checkpoint : Path or None
        The file holding the state of epoch ``epoch``, or ``None`` without a checkpoint.
    """

    def __init__(self, epoch: int, history: History, checkpoint: Path | None) -> None:
        where = f"; resume from {checkpoint}" if checkpoint is not None else ""
        super().__init__(f"Training interrupted after epoch {epoch}{where}.")
        self.epoch = epoch
        self.history = history
        self.checkpoint = checkpoint
