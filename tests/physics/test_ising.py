"""The Ising sampler against exact results: Onsager's energy, Yang's magnetisation, Binder."""

import numpy as np
import pytest

from cnnlab.physics import TC, binder_cumulant, onsager_energy, sample_ising, yang_magnetization
from cnnlab.physics.phases import first_crossing


@pytest.fixture(scope="module")
def away_from_tc():
    return sample_ising(
        [1.5, 2.0, 3.0],
        size=24,
        per_temperature=200,
        chains=20,
        equilibration=150,
        gap=10,
        rng=3,
        cache=False,
    )


@pytest.mark.parametrize("temperature", [1.5, 2.0, 3.0])
def test_energy_per_spin_matches_onsager_away_from_tc(away_from_tc, temperature):
    # L = 24 is many correlation lengths here: finite-size shifts are below 0.01, and the
    # statistical error of 200 configurations is about 0.005
    energy = away_from_tc.energy()[away_from_tc.temperatures == temperature].mean()
    assert energy == pytest.approx(onsager_energy(temperature), abs=0.025)


@pytest.mark.parametrize("temperature", [1.5, 2.0])
def test_magnetization_matches_yang_below_tc(away_from_tc, temperature):
    m = np.abs(away_from_tc.magnetization()[away_from_tc.temperatures == temperature]).mean()
    assert m == pytest.approx(yang_magnetization(temperature), abs=0.01)


def test_magnetization_is_small_above_tc(away_from_tc):
    # finite lattices keep |m| ~ sqrt(chi T) / L above Tc, not exactly Yang's 0
    m = np.abs(away_from_tc.magnetization()[away_from_tc.temperatures == 3.0]).mean()
    assert m < 0.2


def test_binder_cumulants_of_two_sizes_cross_near_tc():
    temperatures = np.array([2.1, 2.2, 2.3, 2.4])
    cumulants = {}
    for size in (8, 16):
        samples = sample_ising(
            temperatures,
            size=size,
            per_temperature=600,
            chains=60,
            equilibration=60,
            gap=4,
            rng=0,
            cache=False,
        )
        m = samples.magnetization()
        at = [m[samples.temperatures == t] for t in temperatures]
        cumulants[size] = np.array([binder_cumulant(values) for values in at])
    crossing = first_crossing(temperatures, cumulants[16] - cumulants[8], level=0.0)
    assert 2.15 < crossing < 2.40
    assert abs(crossing - TC) < 0.13


def test_same_seed_gives_the_same_configurations():
    kwargs = dict(size=8, per_temperature=6, chains=3, equilibration=10, gap=2, cache=False)
    a = sample_ising([2.0, 2.3], rng=5, **kwargs)
    b = sample_ising([2.0, 2.3], rng=5, **kwargs)
    c = sample_ising([2.0, 2.3], rng=6, **kwargs)
    np.testing.assert_array_equal(a.spins, b.spins)
    assert not np.array_equal(a.spins, c.spins)


def test_configurations_are_float32_spins_grouped_by_temperature():
    samples = sample_ising(
        [1.2, 3.3], size=6, per_temperature=5, chains=2, equilibration=5, gap=1, cache=False
    )
    assert samples.spins.shape == (10, 1, 6, 6) and samples.spins.dtype == np.float32
    assert set(np.unique(samples.spins).tolist()) <= {-1.0, 1.0}
    assert samples.temperatures.tolist() == [1.2] * 5 + [3.3] * 5


def test_ordered_configurations_come_with_both_global_signs():
    samples = sample_ising(
        [1.0], size=8, per_temperature=200, chains=20, equilibration=20, gap=2, rng=1, cache=False
    )
    m = samples.magnetization()
    assert np.all(np.abs(m) > 0.9)
    assert 0.35 < np.mean(m > 0) < 0.65


def test_cache_returns_the_stored_result_without_simulating(tmp_path):
    kwargs = dict(size=8, per_temperature=4, chains=2, equilibration=5, gap=1, rng=2)
    first = sample_ising([2.0], cache=tmp_path, **kwargs)
    (stored,) = tmp_path.glob("*.npz")
    second = sample_ising([2.0], cache=tmp_path, **kwargs)
    np.testing.assert_array_equal(first.spins, second.spins)
    third = sample_ising([2.0], cache=tmp_path, **{**kwargs, "gap": 2})
    assert len(list(tmp_path.glob("*.npz"))) == 2 and third.spins.shape == first.spins.shape
    assert stored.exists()


def test_cache_default_folder_follows_cnnlab_data(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path))
    sample_ising([2.0], size=4, per_temperature=2, chains=1, equilibration=1, gap=1, rng=0)
    assert len(list((tmp_path / "ising").glob("*.npz"))) == 1


def test_odd_lattice_size_is_refused():
    with pytest.raises(ValueError, match=r"`size` must be an even int >= 4. Received: size=7."):
        sample_ising([2.0], size=7, cache=False)


def test_non_positive_temperature_is_refused():
    with pytest.raises(ValueError, match="`temperatures` must be one or more positive finite"):
        sample_ising([2.0, 0.0], size=8, cache=False)


def test_onsager_energy_is_minus_root_two_at_tc():
    assert onsager_energy(TC) == pytest.approx(-np.sqrt(2), abs=1e-9)
    assert TC == pytest.approx(2.269185, abs=1e-6)
