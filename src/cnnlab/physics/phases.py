"""Machine learning the phases of the Ising model (Carrasquilla and Melko, Nat. Phys. 2017).

A small CNN learns "ordered" and "disordered" from configurations far from Tc; applied
across the transition, the temperature where its mean P(ordered) crosses 1/2 estimates
Tc. Bootstrapping the test configurations gives the error of that estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Console

from .._validation import check_positive_float, check_positive_int
from ..nn import AdaptiveAvgPool2d, Conv2d, CrossEntropyLoss, Flatten, Linear, ReLU, Sequential
from ..nn.module import Module
from ..optim import Adam
from ..train import History, fit, predict_proba
from .ising import IsingSamples

#: Training temperatures of the benchmark protocol: far below and far above Tc.
TRAIN_TEMPERATURES = (1.0, 1.2, 1.4, 1.6, 1.8, 2.8, 3.0, 3.2, 3.4, 3.6)
#: Test temperatures 1.80, 1.85, ..., 2.80 across the transition.
TEST_TEMPERATURES = tuple(np.round(np.arange(1.8, 2.8001, 0.05), 2).tolist())


def ising_cnn(rng: np.random.Generator | int | None = None) -> Sequential:
    """conv 1->8 5x5 (circular padding) -> ReLU -> global average pool -> linear 8->2.

    Circular padding makes the network see the lattice's periodic boundaries, and the
    global pool makes it work on any lattice size.

    >>> ising_cnn(rng=0)(np.ones((3, 1, 16, 16), dtype=np.float32)).shape
    (3, 2)
    """
    rng = np.random.default_rng(rng)
    return Sequential(
        Conv2d(1, 8, 5, padding=2, padding_mode="circular", rng=rng),
        ReLU(),
        AdaptiveAvgPool2d(1),
        Flatten(),
        Linear(8, 2, rng=rng),
    )


def first_crossing(x, y, level: float = 0.5) -> float:
    """Where ``y`` first falls through ``level``, by linear interpolation; NaN if never.

    >>> first_crossing([1.0, 2.0, 3.0], [0.9, 0.7, 0.3])
    2.5
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    falls = np.flatnonzero((y[:-1] >= level) & (y[1:] < level))
    if falls.size == 0:
        return float("nan")
    i = falls[0]
    return float(x[i] + (x[i + 1] - x[i]) * (y[i] - level) / (y[i] - y[i + 1]))


@dataclass(frozen=True)
class TcEstimate:
    """The crossing ``tc`` with its bootstrap ``error``, and the curve it came from.

    ``temperatures`` are the distinct test temperatures; ``probabilities`` the mean
    P(ordered) at each; ``model`` and ``history`` the trained network and its training.
    """

    tc: float
    error: float
    temperatures: np.ndarray
    probabilities: np.ndarray
    model: Module
    history: History


def estimate_tc(
    train: IsingSamples,
    test: IsingSamples,
    *,
    epochs: int = 10,
    batch_size: int = 50,
    lr: float = 3e-3,
    bootstrap: int = 200,
    rng: np.random.Generator | int | None = 0,
    quiet: bool = True,
    console: Console | None = None,
) -> TcEstimate:
    """Train :func:`ising_cnn` on ``train`` labelled by phase, then find where P = 1/2 on ``test``.

    Parameters
    ----------
    train : IsingSamples
        Configurations far from Tc (labelled ordered below the exact Tc, disordered above).
    test : IsingSamples
        Configurations across the transition, several per temperature.
    epochs, batch_size, lr : training settings (Adam).
    bootstrap : int, default 200
        Resamplings of each temperature's test configurations; ``error`` is the standard
        deviation of their crossings.
    rng : Generator or int, optional
        Initial weights, batch order and resampling.
    quiet, console :
        Passed to :func:`cnnlab.train.fit` (progress bars).

    Returns
    -------
    TcEstimate

    Examples
    --------
    >>> from cnnlab.physics import sample_ising
    >>> train = sample_ising([1.2, 3.4], size=8, per_temperature=20, chains=10,
    ...                      equilibration=30, gap=2, cache=False)
    >>> test = sample_ising([1.5, 3.0], size=8, per_temperature=10, chains=5,
    ...                     equilibration=30, gap=2, cache=False)
    >>> result = estimate_tc(train, test, epochs=2, bootstrap=20)
    >>> result.temperatures.tolist(), result.probabilities.shape
    ([1.5, 3.0], (2,))
    """
    for name, value in (("train", train), ("test", test)):
        if not isinstance(value, IsingSamples):
            raise TypeError(
                f"`{name}` must be IsingSamples (from sample_ising). "
                f"Received: {name} of type {type(value).__name__}."
            )
    bootstrap = check_positive_int("bootstrap", bootstrap)
    rng = np.random.default_rng(rng)
    model = ising_cnn(rng)
    optimizer = Adam(model.parameters(), lr=check_positive_float("lr", lr))
    history = fit(
        model,
        CrossEntropyLoss(),
        optimizer,
        train.labelled(),
        epochs=epochs,
        batch_size=batch_size,
        rng=rng,
        quiet=quiet,
        console=console,
    )
    ordered = predict_proba(model, test.spins)[:, 0].astype(np.float64)
    temperatures, groups = _by_temperature(test.temperatures, ordered)
    means = groups.mean(axis=1)
    picks = rng.integers(0, groups.shape[1], size=(bootstrap, *groups.shape))
    resampled = np.take_along_axis(groups[None], picks, axis=2).mean(axis=2)
    crossings = np.array([first_crossing(temperatures, row) for row in resampled])
    error = float(np.nanstd(crossings)) if np.isfinite(crossings).any() else float("nan")
    return TcEstimate(
        first_crossing(temperatures, means), error, temperatures, means, model, history
    )


def _by_temperature(temperatures: np.ndarray, values: np.ndarray):
    """Distinct temperatures and the values at each, ``(T, per_temperature)``."""
    distinct, counts = np.unique(temperatures, return_counts=True)
    if counts.min() != counts.max():
        raise ValueError(
            "`test` must hold the same number of configurations at every temperature. "
            f"Received: counts from {counts.min()} to {counts.max()}."
        )
    order = np.argsort(temperatures, kind="stable")
    return distinct, values[order].reshape(len(distinct), -1)
