"""The Ising gauge theory's states, the two classifiers, and the experiment end to end."""

import json

import numpy as np
import pytest

from checks.cli import cnnlab
from cnnlab.models.gauge_nets import gauge_cnn, gauge_dense
from cnnlab.physics.gauge import (
    flip_links,
    gauge_transform,
    ground_states,
    plaquettes,
    random_links,
    violated_fraction,
)
from cnnlab.physics.gauge_experiment import gauge_data, train_gauge_classifier


def plaquettes_by_loop(links):
    """Oracle: each plaquette's four links multiplied one by one."""
    N, _, L, _ = links.shape
    out = np.empty((N, L, L), dtype=np.int64)
    for n in range(N):
        for i in range(L):
            for j in range(L):
                out[n, i, j] = (
                    links[n, 0, i, j]
                    * links[n, 1, i, (j + 1) % L]
                    * links[n, 0, (i + 1) % L, j]
                    * links[n, 1, i, j]
                )
    return out


def test_plaquettes_match_the_loop_over_four_links():
    links = random_links(3, 5, rng=0)
    np.testing.assert_array_equal(plaquettes(links), plaquettes_by_loop(links))


def test_every_ground_state_satisfies_every_plaquette():
    states = ground_states(50, 12, rng=1)
    assert (plaquettes(states) == 1).all()
    # and they are not all the same state: the gauge orbit is sampled
    assert len({s.tobytes() for s in states}) == 50


def test_gauge_transformations_preserve_every_plaquette():
    links = random_links(10, 8, rng=2)
    signs = np.random.default_rng(3).choice(np.array([-1, 1], np.int8), size=(10, 8, 8))
    transformed = gauge_transform(links, signs)
    np.testing.assert_array_equal(plaquettes(transformed), plaquettes(links))
    assert (transformed != links).any()


def test_infinite_temperature_plaquettes_average_to_zero():
    products = plaquettes(random_links(400, 16, rng=4)).astype(np.float64)
    # 102 400 independent +-1 plaquettes: standard error 0.003
    assert abs(products.mean()) < 0.015


def test_single_links_look_the_same_in_both_phases():
    ground, hot = ground_states(400, 16, rng=5), random_links(400, 16, rng=6)
    assert abs(ground.mean()) < 0.01 and abs(hot.mean()) < 0.01


def test_flipping_links_violates_the_expected_fraction_of_plaquettes():
    p = 0.1
    states = flip_links(ground_states(200, 16, rng=7), p, rng=8)
    expected = (1 - (1 - 2 * p) ** 4) / 2
    assert violated_fraction(states).mean() == pytest.approx(expected, abs=0.01)


def test_flipping_one_link_violates_the_two_plaquettes_that_share_it():
    links = np.ones((1, 2, 6, 6), np.int8)
    links[0, 0, 2, 3] = -1
    assert sorted(zip(*np.nonzero(plaquettes(links)[0] < 0), strict=True)) == [(1, 3), (2, 3)]


def test_links_without_two_channels_are_refused():
    with pytest.raises(ValueError, match="2 channels"):
        plaquettes(np.ones((1, 1, 4, 4)))


def test_periodic_cnn_learns_the_constraint_the_dense_network_cannot():
    rng = np.random.default_rng(0)
    train, test = gauge_data(500, 16, rng), gauge_data(200, 16, rng)
    accuracies = {}
    for name, model in (("cnn", gauge_cnn(rng=1)), ("dense", gauge_dense(16, rng=1))):
        train_gauge_classifier(model, train, epochs=10, rng=2)
        predicted = model.eval()(test.images).argmax(axis=1)
        accuracies[name] = np.mean(predicted == test.labels)
    assert accuracies["cnn"] >= 0.99
    assert accuracies["dense"] < 0.65


def test_train_gauge_writes_accuracies_pictures_and_the_states(tmp_path):
    result = cnnlab("train", "gauge", "--out", tmp_path / "gauge")
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "gauge" / "result.json").read_text())
    assert summary["accuracy"]["cnn"] >= 0.99
    for name in ("gauge_accuracy.png", "gauge_filters.png", "gauge_train.npz"):
        assert (tmp_path / "gauge" / name).exists(), name
    assert summary["size"] == 16 and summary["accuracy"]["dense"] < 0.65
    assert "held-out accuracy" in result.stdout
