"""T*(L) for finite-size scaling: a block-spin CNN, several networks per size, a bootstrap.

:func:`~cnnlab.physics.phases.ising_cnn` pools local features (ReLU before the pool), so
its decision rests on local order, which changes smoothly through Tc on a large lattice:
its crossing tends to wherever training put the threshold, not to Tc. A classifier made
for finite-size scaling must look at order on the scale of the lattice and be blind to
the overall size of the order parameter, which shrinks as ``L^(-beta/nu) = L^(-1/8)``
at Tc. :func:`block_spin_cnn` does both: a linear convolution averaged over a 4x4 grid of
Kadanoff blocks (each ``L/4`` wide), then a ReLU network with no biases. Every layer is
positively homogeneous, ``f(c s) = c f(s)`` for ``c > 0``, so the decision (the sign of
the logit difference) depends on the pattern of the 16 block spins alone: a function of
``L / xi``, which is what makes ``T*(L) = Tc + a L^(-1/nu)`` hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nn import AvgPool2d, Conv2d, CrossEntropyLoss, Flatten, Linear, ReLU, Sequential
from ..optim import Adam
from ..train import fit, predict_proba
from .ising import IsingSamples
from .phases import _by_temperature, first_crossing

#: Kadanoff blocks per side that :func:`block_spin_cnn` pools to.
BLOCKS = 4


def block_spin_cnn(size: int, rng: np.random.Generator | int | None = None) -> Sequential:
    """conv 1->4 3x3 (circular, no bias) -> average over 4x4 blocks -> 64 -> 16 -> ReLU -> 2.

    No layer has a bias, so the network is positively homogeneous and its decision
    depends only on the pattern of block spins (see the module's docstring). ``size``
    (the lattice side, divisible by 4) sets the blocks' width, ``size // 4``.

    >>> model = block_spin_cnn(16, rng=0)
    >>> model(np.ones((3, 1, 16, 16), np.float32)).shape, model.num_parameters()
    ((3, 2), 1092)
    """
    rng = np.random.default_rng(rng)
    return Sequential(
        Conv2d(1, 4, 3, padding=1, padding_mode="circular", bias=False, rng=rng),
        AvgPool2d(size // BLOCKS),
        Flatten(),
        Linear(4 * BLOCKS * BLOCKS, 16, bias=False, rng=rng),
        ReLU(),
        Linear(16, 2, bias=False, rng=rng),
    )


@dataclass(frozen=True)
class Crossing:
    """``T*(L)`` of one lattice size: the crossing of the networks' mean P(ordered), its
    bootstrap ``error``, and ``probabilities`` ``(networks, temperatures, per_temperature)``."""

    size: int
    tc: float
    error: float
    temperatures: np.ndarray
    probabilities: np.ndarray

    @property
    def curve(self) -> np.ndarray:
        """Mean P(ordered) at each temperature, over networks and configurations."""
        return self.probabilities.mean(axis=(0, 2))


def train_networks(
    train: IsingSamples, networks: int, *, epochs: int = 8, lr: float = 1e-2, rng=0
) -> list[Sequential]:
    """``networks`` block-spin CNNs trained independently (own initial weights and batch
    order) on the same configurations, labelled by phase."""
    rng = np.random.default_rng(rng)
    models = []
    for _ in range(networks):
        model = block_spin_cnn(train.size, rng)
        fit(
            model,
            CrossEntropyLoss(),
            Adam(model.parameters(), lr=lr),
            train.labelled(),
            epochs=epochs,
            batch_size=50,
            rng=rng,
            quiet=True,
        )
        models.append(model)
    return models


def crossing(models, test: IsingSamples, bootstrap: int = 200, rng=0) -> Crossing:
    """Where the networks' mean P(ordered) on ``test`` falls through 1/2, and its error.

    The error is the standard deviation of the crossing over ``bootstrap`` resamplings
    of both the networks and each temperature's configurations, with replacement.

    Examples
    --------
    >>> from cnnlab.physics import sample_ising
    >>> train = sample_ising([1.2, 3.4], size=8, per_temperature=20, chains=10,
    ...                      equilibration=30, gap=2, cache=False)
    >>> test = sample_ising([1.5, 3.0], size=8, per_temperature=10, chains=5,
    ...                     equilibration=30, gap=2, cache=False)
    >>> result = crossing(train_networks(train, 2, epochs=2), test, bootstrap=10)
    >>> result.probabilities.shape
    (2, 2, 10)
    """
    rng = np.random.default_rng(rng)
    groups = []
    for model in models:
        ordered = predict_proba(model, test.spins)[:, 0].astype(np.float64)
        temperatures, by_t = _by_temperature(test.temperatures, ordered)
        groups.append(by_t)
    p = np.stack(groups)  # (networks, T, per_temperature)
    K, T, N = p.shape
    crossings = []
    for _ in range(bootstrap):
        nets = rng.integers(0, K, size=K)
        picks = rng.integers(0, N, size=(T, N))
        resampled = np.take_along_axis(p[nets], np.broadcast_to(picks, (K, T, N)), axis=2)
        crossings.append(first_crossing(temperatures, resampled.mean(axis=(0, 2))))
    crossings = np.array(crossings)
    error = float(np.nanstd(crossings)) if np.isfinite(crossings).any() else float("nan")
    tc = first_crossing(temperatures, p.mean(axis=(0, 2)))
    return Crossing(test.size, tc, error, temperatures, p)


def resized(model: Sequential, size: int) -> Sequential:
    """The same weights with blocks for lattice side ``size``: one decision rule for every L.

    >>> small = block_spin_cnn(16, rng=0)
    >>> resized(small, 32)(np.ones((1, 1, 32, 32), np.float32)).shape
    (1, 2)
    """
    model_for_size = block_spin_cnn(size)
    model_for_size.load_state_dict(model.state_dict())
    return model_for_size
