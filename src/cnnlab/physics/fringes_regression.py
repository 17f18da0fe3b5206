"""Regressing the fringe spacing with a CNN, and scoring spacing estimates by visibility."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Console

from .._validation import check_array, check_positive_float, check_positive_int, check_same_shape
from ..models.fringes_net import fringes_cnn
from ..nn import MSELoss
from ..nn.module import Module
from ..optim import Adam, CosineAnnealingLR
from ..train import History, fit
from ..train.evaluate import training_mode
from .fringes import Fringes, standardize, target_to_spacing

#: Visibility bins of the comparison; fringes below ``LOW_VISIBILITY`` are "faint".
VISIBILITY_EDGES = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
LOW_VISIBILITY = 0.1


def train_spacing_regressor(
    train: Fringes,
    *,
    epochs: int = 8,
    batch_size: int = 32,
    lr: float = 2e-3,
    rng: np.random.Generator | int | None = 0,
    quiet: bool = True,
    console: Console | None = None,
) -> tuple[Module, History]:
    """Train :func:`~cnnlab.models.fringes_net.fringes_cnn` on ``train`` with ``MSELoss``.

    Inputs and targets are :meth:`Fringes.training_pairs`; Adam with a cosine schedule
    from ``lr`` to 0 over ``epochs``. ``quiet`` and ``console`` go to
    :func:`cnnlab.train.fit` (progress bars).

    Returns
    -------
    (model, history)

    Examples
    --------
    >>> from cnnlab.physics.fringes import make_fringes
    >>> model, history = train_spacing_regressor(make_fringes(16, size=16, rng=0), epochs=1)
    >>> len(history), predict_spacing(model, make_fringes(3, size=16, rng=1)).shape
    (1, (3,))
    """
    _check_fringes("train", train)
    epochs = check_positive_int("epochs", epochs)
    rng = np.random.default_rng(rng)
    model = fringes_cnn(rng)
    optimizer = Adam(model.parameters(), lr=check_positive_float("lr", lr))
    history = fit(
        model,
        MSELoss(),
        optimizer,
        train.training_pairs(),
        epochs=epochs,
        batch_size=batch_size,
        rng=rng,
        scheduler=CosineAnnealingLR(optimizer, epochs),
        quiet=quiet,
        console=console,
    )
    return model, history


def predict_spacing(model: Module, fringes: Fringes, batch_size: int = 256) -> np.ndarray:
    """The spacing in pixels that ``model`` reads off each image, ``(N,)`` float64."""
    _check_fringes("fringes", fringes)
    batch_size = check_positive_int("batch_size", batch_size)
    x = standardize(fringes.images)
    with training_mode(model, False):
        targets = [model(x[i : i + batch_size])[:, 0] for i in range(0, len(x), batch_size)]
    return target_to_spacing(np.concatenate(targets), fringes.spacing_range)


def _check_fringes(name: str, value) -> None:
    if not isinstance(value, Fringes):
        raise TypeError(
            f"`{name}` must be Fringes (from make_fringes). "
            f"Received: {name} of type {type(value).__name__}."
        )


@dataclass(frozen=True)
class ErrorRow:
    """Relative errors ``estimate / true - 1`` of one method on the images of one bin.

    ``rms`` is the root mean square (the loss the network is trained on, nearly); ``median``
    the median of the absolute error; ``misses`` the fraction off by more than 10%.
    """

    low: float
    high: float
    count: int
    rms: float
    median: float
    misses: float


def errors_by_visibility(true, estimate, visibility, edges=VISIBILITY_EDGES) -> list[ErrorRow]:
    """One :class:`ErrorRow` per visibility bin ``[edges[i], edges[i + 1])`` (the last closed).

    Examples
    --------
    >>> rows = errors_by_visibility([10.0, 10.0], [12.0, 10.0], [0.03, 0.7], edges=(0, 0.5, 1))
    >>> [(row.count, round(row.rms, 3), row.misses) for row in rows]
    [(1, 0.2, 1.0), (1, 0.0, 0.0)]
    """
    true = check_array("true", true, ndim=1, allow_complex=False).astype(np.float64)
    estimate = check_array("estimate", estimate, ndim=1, allow_complex=False)
    visibility = check_array("visibility", visibility, ndim=1, allow_complex=False)
    check_same_shape("true", true, "estimate", estimate)
    check_same_shape("true", true, "visibility", visibility)
    relative = estimate / true - 1
    rows = []
    for i, (low, high) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        last = i == len(edges) - 2
        chosen = (visibility >= low) & ((visibility <= high) if last else (visibility < high))
        rows.append(_row(low, high, relative[chosen]))
    return rows


def _row(low: float, high: float, relative: np.ndarray) -> ErrorRow:
    if relative.size == 0:
        return ErrorRow(low, high, 0, float("nan"), float("nan"), float("nan"))
    return ErrorRow(
        low,
        high,
        int(relative.size),
        float(np.sqrt(np.mean(relative**2))),
        float(np.median(np.abs(relative))),
        float(np.mean(np.abs(relative) > 0.1)),
    )
