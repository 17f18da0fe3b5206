"""``fit``: the training loop, with progress, checkpoints, resuming and clean stops."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from .._validation import check_callable, check_positive_int, received
from ..nn.init import default_rng
from ..nn.module import Module
from ..optim.lr_scheduler import LRScheduler
from ..optim.optimizer import Optimizer
from ._pairs import as_batch_source
from .checkpoint import Trainee, capture, read_checkpoint, restore, write_checkpoint
from .epoch import Run, first_non_finite, run_epoch
from .errors import TrainingDiverged, TrainingInterrupted
from .evaluate import training_mode
from .folder import check_writable, remove_stale_temporaries
from .history import History
from .progress import TrainingProgress, epoch_summary


def fit(
    model: Module,
    loss_fn: Any,
    optimizer: Optimizer,
    train,
    val=None,
    epochs: int = 10,
    batch_size: int = 64,
    rng: np.random.Generator | int | None = None,
    scheduler: LRScheduler | None = None,
    callbacks: Iterable[Any] = (),
    transform: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None = None,
    checkpoint: str | os.PathLike | None = None,
    resume: bool = False,
    quiet: bool = False,
    console: Console | None = None,
) -> History:
    """Train ``model`` for ``epochs`` epochs of mini-batch gradient descent.

    Each epoch shuffles ``train`` with ``rng``, and for every batch: ``transform`` (if
    given), forward, ``loss_fn``, backward, ``optimizer.step()``. Then it measures ``val``
    (in evaluation mode), steps ``scheduler``, runs the callbacks and writes the checkpoint.

    Parameters
    ----------
    model : Module
    loss_fn : loss module
        Called as ``loss_fn(output, targets)`` (a float), then ``loss_fn.backward()``.
        Accuracy (argmax over axis 1) is measured when the targets are class labels; for
        a regression loss such as ``MSELoss`` only the loss is.
    optimizer : Optimizer
        Built on ``model.parameters()``.
    train, val : Dataset or (inputs, targets)
        Training data, and optional validation data measured after every epoch.
    epochs : int, default 10
        The epoch to stop after, counted from the start of the run (also when resuming).
    batch_size : int, default 64
    rng : Generator or int, optional
        Shuffles the batches and is passed to ``transform``; same seed, same run.
    scheduler : LRScheduler, optional
        Stepped once at the end of every epoch.
    callbacks : iterable
        Objects with ``on_epoch_end(epoch, history, model) -> stop`` (see
        :mod:`cnnlab.train.callbacks`), such as :class:`EarlyStopping`.
    transform : callable, optional
        ``transform(images, rng) -> images``, applied to each training batch (augmentation).
    checkpoint : path, optional
        A ``.safetensors`` file rewritten (atomically) at the end of every epoch with
        everything needed to go on: weights, optimizer, scheduler, rng states, history.
    resume : bool, default False
        Load ``checkpoint`` first and go on from its epoch; the run then gives the same
        numbers as one that never stopped. The checkpoint's optimizer settings win.
    quiet : bool, default False
        Print nothing. Otherwise a progress bar shows each epoch's batches, the time left
        and the running loss and accuracy, and a line sums up each epoch.
    console : rich.console.Console, optional
        Where to print (by default a new ``Console()`` on standard output).

    Returns
    -------
    History
        Per epoch: train and validation loss and accuracy, learning rate, seconds.

    Raises
    ------
    TrainingDiverged
        (a ``ValueError``) when the loss, the model's output, a parameter after a step or the
        validation loss is NaN or Inf (or, before a checkpoint, a buffer), naming the epoch
        and batch.
    TrainingInterrupted
        (a ``KeyboardInterrupt``) on Ctrl-C, carrying the history and the checkpoint.

    In both cases the model, optimizer, scheduler and rng are first put back as they were
    at the end of the last completed epoch, and the checkpoint file holds that state (a
    broken or half-done epoch never reaches it): resume with ``resume=True``.

    Examples
    --------
    >>> from cnnlab.nn import CrossEntropyLoss, Linear
    >>> from cnnlab.optim import SGD
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(200, 2)).astype(np.float32)
    >>> y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    >>> model = Linear(2, 2, rng=0)
    >>> history = fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.5), (x, y),
    ...               epochs=5, batch_size=20, rng=0, quiet=True)
    >>> len(history), history.train_accuracy[-1] > 0.95
    (5, True)
    """
    _check_objects(model, optimizer, scheduler, loss_fn)
    train_data = as_batch_source("train", train)
    if transform is not None:
        check_callable("transform", transform, "a callable transform(images, rng)")
    run = Run(
        trainee=Trainee(model, optimizer, scheduler, default_rng(rng), _check_callbacks(callbacks)),
        loss_fn=loss_fn,
        train=train_data,
        val=None if val is None else as_batch_source("val", val),
        epochs=check_positive_int("epochs", epochs),
        batch_size=check_positive_int("batch_size", batch_size),
        transform=transform,
    )
    path = _check_checkpoint(checkpoint, resume)
    callbacks = run.trainee.callbacks

    history = History()
    for callback in callbacks:
        getattr(callback, "on_train_begin", _nothing)(history, model)
    start = 0
    if resume:
        start, history = restore(read_checkpoint(path), run.trainee, str(path))
    last_good, saved_epoch = capture(run.trainee, start, history), start if resume else None
    stopper = None
    with TrainingProgress(console, quiet) as progress, training_mode(model, True):
        if resume:
            progress.print(f"Resumed from {path} after epoch {start}.")
        try:
            for epoch in range(start + 1, run.epochs + 1):
                run_epoch(run, epoch, history, progress)
                stops = [c for c in callbacks if c.on_epoch_end(epoch, history, model)]
                _check_finite_state(run, epoch, history.lr[-1])
                last_good = capture(run.trainee, epoch, history)
                if path is not None:
                    write_checkpoint(path, last_good)
                    saved_epoch = epoch
                progress.end_epoch(epoch_summary(history, epoch, run.epochs))
                if stops:
                    stopper = stops[0]
                    break
        except TrainingDiverged as error:
            _, error.history = restore(last_good, run.trainee, "in memory")
            raise
        except KeyboardInterrupt:
            epoch, history = restore(last_good, run.trainee, "in memory")
            if path is not None and saved_epoch != epoch:
                write_checkpoint(path, last_good)
            interrupted = TrainingInterrupted(epoch, history, path)
            progress.print(str(interrupted))
            raise interrupted from None
        if stopper is not None:
            reason = getattr(stopper, "reason", "") or type(stopper).__name__
            progress.print(f"Stopped after epoch {epoch}: {reason}.")
    for callback in callbacks:
        getattr(callback, "on_train_end", _nothing)(history, model)
    return history


def _check_finite_state(run: Run, epoch: int, lr: float) -> None:
    """Refuse to keep (or checkpoint) a model whose parameters or buffers hold NaN or Inf."""
    model = run.trainee.model
    broken = first_non_finite([*model.named_parameters(), *model.named_buffers()])
    if broken:
        problem = f"the model's {broken} holds NaN or Inf at the end of the epoch"
        raise TrainingDiverged(epoch, run.batches, run.batches, problem, lr)


def _nothing(*args: Any) -> None:
    """The default of an optional callback hook."""


def _check_objects(model: Any, optimizer: Any, scheduler: Any, loss_fn: Any) -> None:
    expected = [("model", model, Module, "a cnnlab Module")]
    expected.append(("optimizer", optimizer, Optimizer, "a cnnlab Optimizer, such as SGD"))
    if scheduler is not None:
        expected.append(("scheduler", scheduler, LRScheduler, "a cnnlab LRScheduler or None"))
    for name, value, kind, description in expected:
        if not isinstance(value, kind):
            raise TypeError(
                f"`{name}` must be {description}. Received: {name} of type {type(value).__name__}."
            )
    if not (callable(loss_fn) and callable(getattr(loss_fn, "backward", None))):
        raise TypeError(
            "`loss_fn` must be a loss with a backward() method, such as CrossEntropyLoss(). "
            f"Received: loss_fn of type {type(loss_fn).__name__}."
        )


def _check_callbacks(callbacks: Iterable[Any]) -> list[Any]:
    callbacks = list(callbacks)
    for index, callback in enumerate(callbacks):
        if not callable(getattr(callback, "on_epoch_end", None)):
            raise TypeError(
                "Every callback must have an on_epoch_end(epoch, history, model) method. "
                f"Received: callback {index} of type {type(callback).__name__}."
            )
    return callbacks


def _check_checkpoint(checkpoint: str | os.PathLike | None, resume: bool) -> Path | None:
    if checkpoint is None:
        if resume:
            raise ValueError(
                "`resume=True` needs the `checkpoint` file to resume from. "
                + received(checkpoint=None)
            )
        return None
    path = Path(checkpoint)
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"Cannot write checkpoints to {path}: the folder {path.parent} does not exist."
        )
    if resume and not path.is_file():
        raise FileNotFoundError(
            f"No checkpoint to resume from at {path} (to resume only when it exists, pass "
            "resume=Path(checkpoint).exists())."
        )
    check_writable(path.parent)  # before an epoch of work, not at its end
    remove_stale_temporaries(path)
    return path
