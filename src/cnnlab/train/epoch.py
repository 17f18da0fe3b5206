"""One epoch of ``fit``: a pass over the training batches, then the validation data."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

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


def run_epoch(run: Run, epoch: int, history: History, progress: TrainingProgress) -> None:
    """Train one epoch, measure the validation data, record it all, step the schedule."""
    model, optimizer, scheduler = run.trainee.model, run.trainee.optimizer, run.trainee.scheduler
    began, lr = time.perf_counter(), optimizer.lr
    batches = -(-len(run.train) // run.batch_size)
    progress.start_epoch(epoch, run.epochs, batches)
    tally = Tally(loss_reduction(run.loss_fn))
    for batch, (inputs, targets) in enumerate(
        run.train.batches(run.batch_size, run.trainee.rng), 1
    ):
        if run.transform is not None:
            inputs = run.transform(inputs, run.trainee.rng)
        model.zero_grad()
        output = model(inputs)
        try:
            loss = float(run.loss_fn(output, targets))
        except ValueError as error:  # cnnlab's losses refuse NaN or Inf in their input
            if np.isfinite(output).all():
                raise
            problem = "the model's output holds NaN or Inf"
            raise TrainingDiverged(epoch, batch, batches, problem, optimizer.lr) from error
        if not math.isfinite(loss):
            problem = f"the loss is {loss}"
            raise TrainingDiverged(epoch, batch, batches, problem, optimizer.lr)
        model.backward_parameters(run.loss_fn.backward())  # the data needs no gradient
        optimizer.step()
        tally.add(loss, output, targets)
        progress.advance(tally.loss, tally.accuracy)
    val_loss, val_accuracy = (None, None)
    if run.val is not None:
        val_loss, val_accuracy = evaluate(model, run.val, run.loss_fn, run.batch_size)
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
