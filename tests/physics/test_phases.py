"""The Carrasquilla-Melko experiment, small: a CNN trained far from Tc finds it."""

import numpy as np
import pytest

from cnnlab.physics import sample_ising
from cnnlab.physics.phases import estimate_tc, first_crossing


def test_cnn_trained_far_from_tc_crosses_one_half_near_tc():
    # L = 16, 360 training and 440 test lattices: about 2 s. Measured crossings for seeds
    # 0-2 were 2.28-2.33 (the finite-size shift is upward); the bound is looser.
    train = sample_ising([1.0, 1.4, 1.8, 2.8, 3.2, 3.6], size=16, per_temperature=60, chains=20,
                         equilibration=100, gap=10, rng=0, cache=False)  # fmt: skip
    temperatures = np.round(np.arange(1.8, 2.81, 0.1), 2)
    test = sample_ising(temperatures, size=16, per_temperature=40, chains=20,
                        equilibration=150, gap=10, rng=10, cache=False)  # fmt: skip
    result = estimate_tc(train, test, epochs=15, batch_size=10, lr=1e-2, bootstrap=50, rng=0)
    assert 2.1 < result.tc < 2.5
    assert 0 < result.error < 0.1
    assert result.probabilities[0] > 0.9 and result.probabilities[-1] < 0.1


def test_first_crossing_interpolates_between_neighbours():
    assert first_crossing([1, 2, 3, 4], [1.0, 0.8, 0.4, 0.0]) == pytest.approx(2.75)
    assert np.isnan(first_crossing([1, 2], [0.9, 0.8]))


def test_estimate_tc_refuses_plain_arrays():
    with pytest.raises(TypeError, match="`train` must be IsingSamples"):
        estimate_tc(np.zeros((2, 1, 4, 4)), None)
