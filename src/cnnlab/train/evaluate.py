"""Measuring a model: loss and accuracy over a dataset, class probabilities, batch by batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np

from .._validation import check_float_array, check_not_empty, check_positive_int, received
from ..functional.activations import softmax
from ..grad_mode import no_grad
from ..nn.module import Module
from ._pairs import as_batch_source


class Evaluation(NamedTuple):
    """Mean loss (``None`` without a loss function) and accuracy (``None`` for regression)."""

    loss: float | None
    accuracy: float | None


def count_correct(logits: np.ndarray, targets: np.ndarray) -> int | None:
    """How many targets the argmax over axis 1 of ``logits`` hits; ``None`` for regression.

    Classification is recognised by its targets: integers with one axis fewer than the
    logits (the class axis 1), as ``CrossEntropyLoss`` takes them.

    >>> count_correct(np.array([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0]]), np.array([0, 1, 1]))
    2
    >>> count_correct(np.array([[0.5], [1.5]]), np.array([[0.4], [1.5]])) is None
    True
    """
    targets = np.asarray(targets)
    if not np.issubdtype(targets.dtype, np.integer) or logits.ndim != targets.ndim + 1:
        return None
    return int(np.count_nonzero(logits.argmax(axis=1) == targets))


class Tally:
    """Running mean loss and accuracy over the batches seen so far.

    ``reduction`` is the loss's: a ``"mean"`` loss is weighted by its batch's size, a
    ``"sum"`` loss is added as it is; both give the mean loss per sample.
    """

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction
        self.samples = 0
        self.loss_sum = 0.0
        self.correct = 0
        self.targets = 0
        self.classification = True

    def add(self, loss: float | None, logits: np.ndarray, targets: np.ndarray) -> None:
        count = len(targets)
        self.samples += count
        if loss is not None:
            self.loss_sum += loss * count if self.reduction == "mean" else loss
        correct = count_correct(logits, targets)
        if correct is None:
            self.classification = False
        else:
            self.correct += correct
            self.targets += np.size(targets)

    @property
    def loss(self) -> float:
        return self.loss_sum / max(self.samples, 1)

    @property
    def accuracy(self) -> float | None:
        if not self.classification or self.targets == 0:
            return None
        return self.correct / self.targets


@contextmanager
def training_mode(model: Module, training: bool) -> Iterator[Module]:
    """Put every layer of ``model`` in training (or evaluation) mode, then restore each one."""
    before = [(module, module.training) for module in model.modules()]
    model.train(training)
    try:
        yield model
    finally:
        for module, mode in before:
            module.training = mode


def loss_reduction(loss_fn: Any) -> str:
    """The loss's ``reduction`` (``"mean"`` for a plain callable)."""
    return getattr(loss_fn, "reduction", "mean")


def evaluate(model: Module, data, loss_fn=None, batch_size: int = 256) -> Evaluation:
    """Mean loss and accuracy of ``model`` on ``data``, in evaluation mode.

    Parameters
    ----------
    model : Module
        Run in evaluation mode (dropout off, batch norm on its running statistics); each
        layer's mode is restored afterwards.
    data : Dataset or (inputs, targets)
        The samples to measure, taken in order, ``batch_size`` at a time.
    loss_fn : callable, optional
        A loss such as ``CrossEntropyLoss()``; without one, ``loss`` is ``None``. When the
        model's output holds NaN or Inf (a diverged model), ``loss`` is NaN.
    batch_size : int, default 256

    Returns
    -------
    Evaluation
        ``(loss, accuracy)``; accuracy is ``None`` when the targets are not class labels.

    Examples
    --------
    >>> from cnnlab.nn import CrossEntropyLoss, Linear
    >>> model = Linear(2, 2, rng=0)
    >>> model.weight.data[:] = [[1, 0], [0, 1]]; model.bias.data[:] = 0
    >>> x = np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 0.0]], dtype=np.float32)
    >>> result = evaluate(model, (x, np.array([0, 1, 1])), CrossEntropyLoss())
    >>> round(result.loss, 4), round(result.accuracy, 4)
    (0.5224, 0.6667)
    """
    _check_model(model)
    source = as_batch_source("data", data)
    tally = Tally(loss_reduction(loss_fn))
    with training_mode(model, False), no_grad():
        for inputs, targets in source.batches(batch_size):
            logits = model(inputs)
            loss = None if loss_fn is None else _batch_loss(loss_fn, logits, targets)
            tally.add(loss, logits, targets)
    return Evaluation(None if loss_fn is None else tally.loss, tally.accuracy)


def _batch_loss(loss_fn: Any, logits: np.ndarray, targets: np.ndarray) -> float:
    if not np.isfinite(logits).all():  # cnnlab's losses refuse such logits: report NaN
        return float("nan")
    return float(loss_fn(logits, targets))


def predict_proba(model: Module, x, batch_size: int = 256) -> np.ndarray:
    """Class probabilities ``softmax(model(x))`` over axis 1, computed ``batch_size`` at a time.

    Parameters
    ----------
    model : Module
        A classifier whose output is logits ``(N, num_classes)``; run in evaluation mode.
    x : array, shape ``(N, ...)``
        Inputs; at most ``batch_size`` of them pass through the model at once, so a large
        ``x`` never holds every activation in memory together.
    batch_size : int, default 256

    Returns
    -------
    ndarray, shape ``(N, num_classes)``
        Each row sums to 1.

    Examples
    --------
    >>> from cnnlab.nn import Linear
    >>> model = Linear(3, 2, rng=0)
    >>> model.weight.data[:] = 0; model.bias.data[:] = [0.0, np.log(3.0)]
    >>> predict_proba(model, np.ones((4, 3), dtype=np.float32), batch_size=3).round(2)
    array([[0.25, 0.75],
           [0.25, 0.75],
           [0.25, 0.75],
           [0.25, 0.75]], dtype=float32)
    """
    _check_model(model)
    x = check_float_array("x", x)
    if x.ndim < 2:
        raise ValueError(f"`x` must have a batch axis first, (N, ...). {received(x=x)}")
    check_not_empty("x", x)
    batch_size = check_positive_int("batch_size", batch_size)
    with training_mode(model, False), no_grad():
        parts = [softmax(model(x[i : i + batch_size]), dim=1) for i in range(0, len(x), batch_size)]
    return np.concatenate(parts)


def _check_model(model: Any) -> None:
    if not isinstance(model, Module):
        raise TypeError(
            f"`model` must be a cnnlab Module. Received: model of type {type(model).__name__}."
        )
