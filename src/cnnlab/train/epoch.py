"""One epoch of ``fit``: a pass over the training batches, then the validation data."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from ..nn.parameter import Parameter
from .checkpoint import Trainee
from .errors import TrainingDiverged
from .evaluate import Tally, evaluate, loss_reduction
from .history import History
from .progress import TrainingProgress


@dataclass(frozen=True)
class Run:
    """What stays the same from epoch to epoch of one ``fit``."""

    trainee: Trainee
    loss_fn: Any
    train: Any
    val: Any
    epochs: int
    batch_size: int
    transform: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None

    @property
    def batches(self) -> int:
        """Training batches per epoch."""
        return -(-len(self.train) // self.batch_size)


def run_epoch(run: Run, epoch: int, history: History, progress: TrainingProgress) -> None:
    """Train one epoch, measure the validation data, record it all, step the schedule.

    Raises ``TrainingDiverged`` as soon as the loss, the output, a parameter after a step or
    the validation loss is NaN or Inf.
    """
    optimizer, scheduler = run.trainee.optimizer, run.trainee.scheduler
    began, lr = time.perf_counter(), optimizer.lr
    progress.start_epoch(epoch, run.epochs, run.batches)
    tally = Tally(loss_reduction(run.loss_fn))
    # NumPy's overflow and invalid-value warnings would print before the divergence message:
    # every NaN or Inf they warn of is caught here, by checks that name the batch.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for batch, (inputs, targets) in enumerate(
            run.train.batches(run.batch_size, run.trainee.rng), 1
        ):
            diverged = partial(TrainingDiverged, epoch, batch, run.batches, lr=optimizer.lr)
            loss, output = _train_step(run, inputs, targets, diverged)
            tally.add(loss, output, targets)
            progress.advance(tally.loss, tally.accuracy)
        val_loss, val_accuracy = (None, None)
        if run.val is not None:
            val_loss, val_accuracy = evaluate(
                run.trainee.model, run.val, run.loss_fn, run.batch_size
            )
            if not math.isfinite(val_loss):
                problem = f"the validation loss after it is {val_loss}"
                raise TrainingDiverged(epoch, run.batches, run.batches, problem, optimizer.lr)
    history.append(
        train_loss=tally.loss,
        train_accuracy=tally.accuracy,
        val_loss=val_loss,
        val_accuracy=val_accuracy,
        lr=lr,
        seconds=time.perf_counter() - began,
    )
    if scheduler is not None:
        scheduler.step()


def _train_step(run: Run, inputs, targets, diverged: Callable[[str], TrainingDiverged]):
    """One batch: transform, forward, loss, backward, step; returns ``(loss, output)``."""
    model = run.trainee.model
    if run.transform is not None:
        inputs = run.transform(inputs, run.trainee.rng)
    model.zero_grad()
    output = model(inputs)
    try:
        loss = float(run.loss_fn(output, targets))
    except ValueError as error:  # cnnlab's losses refuse NaN or Inf in their input
        if np.isfinite(output).all():
            raise
        raise diverged("the model's output holds NaN or Inf") from error
    if not math.isfinite(loss):
        raise diverged(f"the loss is {loss}")
    model.backward_parameters(run.loss_fn.backward())  # the data needs no gradient
    run.trainee.optimizer.step()
    broken = first_non_finite(model.named_parameters())
    if broken:
        raise diverged(f"the optimizer step made {broken} NaN or Inf")
    return loss, output


def first_non_finite(named_arrays: Iterable[tuple[str, np.ndarray]]) -> str | None:
    """The name of the first floating-point array holding NaN or Inf, else ``None``."""
    for name, array in named_arrays:
        array = array.data if isinstance(array, Parameter) else np.asarray(array)
        if np.issubdtype(array.dtype, np.inexact) and not np.isfinite(array).all():
            return name
    return None
