"""``run_gauge_experiment``: a CNN sees the gauge theory's local constraint; a dense net does not.

Ground states and T = infinity states of the Ising gauge theory have the same statistics
link by link; only the plaquette products differ. A periodic CNN whose 3x3 windows hold
one plaquette learns that from a few hundred states; a dense network of the same inputs,
which knows neither locality nor translation, stays near chance.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.console import Console

from .._validation import check_even_int, check_positive_int
from ..data import Dataset
from ..models.gauge_nets import gauge_cnn, gauge_dense
from ..nn import CrossEntropyLoss
from ..nn.module import Module
from ..optim import Adam
from ..train import fit, predict_proba
from ..viz.gauge import gauge_accuracy, gauge_filter_responses
from .gauge import (
    CLASSES,
    flip_links,
    ground_states,
    plaquettes,
    random_links,
    violated_fraction,
)
from .storage import save_configurations

#: Link-flip probabilities that violate 0, 5%, ..., 50% of the plaquettes on average.
FLIP_PROBABILITIES = tuple((1 - (1 - 2 * np.linspace(0.0, 0.5, 11)) ** 0.25) / 2)
#: The dense network also trains on this many times more states.
MORE_DATA = 10


@dataclass(frozen=True)
class GaugeExperiment:
    """What :func:`run_gauge_experiment` measured and wrote."""

    size: int
    train_per_class: int
    accuracy: dict[str, float]
    parameters: dict[str, int]
    violated: np.ndarray
    p_ground: dict[str, np.ndarray]
    seconds: float
    plots: dict[str, Path] = field(default_factory=dict)


def gauge_data(per_class: int, size: int, rng) -> Dataset:
    """``per_class`` ground states (label 0) and as many random states (label 1), float32."""
    rng = np.random.default_rng(rng)
    links = np.concatenate(
        [ground_states(per_class, size, rng), random_links(per_class, size, rng)]
    )
    labels = np.repeat(np.array([0, 1]), per_class)
    return Dataset(links.astype(np.float32), labels, CLASSES)


def train_gauge_classifier(model: Module, train: Dataset, *, epochs: int, rng, lr: float = 1e-2):
    """Adam with cross-entropy, batches of 50; returns the training history."""
    optimizer = Adam(model.parameters(), lr=lr)
    return fit(
        model,
        CrossEntropyLoss(),
        optimizer,
        train,
        epochs=epochs,
        batch_size=50,
        rng=rng,
        quiet=True,
    )


def accuracy(model: Module, data: Dataset) -> float:
    """The fraction of ``data`` that ``model`` classifies correctly."""
    return float(np.mean(predict_proba(model, data.images).argmax(axis=1) == data.labels))


def first_layer_responses(model: Module, size: int, copies: int = 200, rng=0):
    """The first layer's change of ReLU output when one link of a ground state is flipped.

    Flipping the horizontal link at ``(size // 2, size // 2)`` violates the two plaquettes
    that share it (on a torus violations come in pairs). The response is averaged over
    ``copies`` random gauge transformations, which leave only what depends on the
    plaquettes. Returns ``(maps (filters, L, L), violated (L, L) bool)``.
    """
    rng = np.random.default_rng(rng)
    ground = ground_states(copies, size, rng)
    broken = ground.copy()
    broken[:, 0, size // 2, size // 2] *= -1
    conv, relu = model[0], model[1]
    with_violation = relu(conv(broken.astype(np.float32))).mean(axis=0)
    without = relu(conv(ground.astype(np.float32))).mean(axis=0)
    return with_violation - without, plaquettes(broken[:1])[0] < 0


def run_gauge_experiment(
    out: str | Path = "cnnlab-gauge",
    *,
    size: int = 16,
    train_per_class: int = 500,
    test_per_class: int = 500,
    epochs: int = 10,
    seed: int = 0,
    quiet: bool = False,
    console: Console | None = None,
) -> GaugeExperiment:
    """Train :func:`~cnnlab.models.gauge_nets.gauge_cnn` and ``gauge_dense`` on the same states.

    The dense network also trains once on ``MORE_DATA`` times as many states. Writes into
    ``out``: ``gauge_accuracy.png`` (held-out accuracy of each, and the
    fraction called "ground state" as more plaquettes are violated), ``gauge_filters.png``
    (the first layer's response to a pair of violated plaquettes), ``gauge_train.npz``
    (the training states, :func:`~cnnlab.physics.storage.save_configurations`) and
    ``result.json``.

    Examples
    --------
    >>> import tempfile
    >>> result = run_gauge_experiment(tempfile.mkdtemp(), size=8, train_per_class=100,
    ...                               test_per_class=50, epochs=2, quiet=True)
    >>> sorted(result.accuracy)
    ['cnn', 'dense', 'dense, 10x data']
    """
    size = check_even_int("size", size, minimum=4)
    train_per_class = check_positive_int("train_per_class", train_per_class)
    test_per_class = check_positive_int("test_per_class", test_per_class)
    console = console if console is not None else Console(quiet=quiet)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    train, test = gauge_data(train_per_class, size, rng), gauge_data(test_per_class, size, rng)
    temperatures = np.where(train.labels == 0, 0.0, np.inf)
    save_configurations(
        out / "gauge_train.npz",
        train.images.astype(np.int8),
        temperatures,
        model="ising gauge theory",
        size=size,
        per_class=train_per_class,
        seed=seed,
        classes=list(CLASSES),
    )
    models = {
        "cnn": gauge_cnn(rng=rng),
        "dense": gauge_dense(size, rng=rng),
        f"dense, {MORE_DATA}x data": gauge_dense(size, rng=rng),
    }
    data = {name: train for name in models}
    data[f"dense, {MORE_DATA}x data"] = gauge_data(MORE_DATA * train_per_class, size, rng)
    accuracies, p_ground = {}, {}
    flips = [
        flip_links(ground_states(test_per_class, size, rng), p, rng) for p in FLIP_PROBABILITIES
    ]
    violated = np.array([violated_fraction(states).mean() for states in flips])
    for name, model in models.items():
        train_gauge_classifier(model, data[name], epochs=epochs, rng=rng)
        accuracies[name] = accuracy(model, test)
        p_ground[name] = np.array(
            [np.mean(predict_proba(model, s.astype(np.float32)).argmax(axis=1) == 0) for s in flips]
        )
        console.print(
            f"{name:>19}: {model.num_parameters():5d} parameters, held-out accuracy "
            f"{100 * accuracies[name]:5.1f}% ({len(data[name])} training states, {size}x{size})"
        )
    responses, violated_map = first_layer_responses(models["cnn"], size, rng=seed)
    seconds = time.perf_counter() - start
    parameters = {name: model.num_parameters() for name, model in models.items()}
    plots = {
        "accuracy": gauge_accuracy(
            accuracies,
            parameters,
            violated,
            p_ground,
            out / "gauge_accuracy.png",
            title=f"Ising gauge theory {size}x{size}: {2 * train_per_class} training states",
        ),
        "filters": gauge_filter_responses(
            responses, violated_map, models["cnn"][0].weight.data, out / "gauge_filters.png"
        ),
    }
    result = GaugeExperiment(
        size, train_per_class, accuracies, parameters, violated, p_ground, seconds, plots
    )
    (out / "result.json").write_text(
        json.dumps(
            {
                "size": size,
                "train_states": 2 * train_per_class,
                "test_states": 2 * test_per_class,
                "accuracy": accuracies,
                "parameters": parameters,
                "seconds": seconds,
                "violated_fraction": violated.tolist(),
                "called_ground_state": {k: v.tolist() for k, v in p_ground.items()},
            },
            indent=2,
        )
    )
    console.print(f"{seconds:.0f} s; pictures: {plots['accuracy']}, {plots['filters']}")
    return result
