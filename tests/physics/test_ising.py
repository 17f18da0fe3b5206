"""The Ising sampler against exact results: Onsager's energy, Yang's magnetisation, Binder."""

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from cnnlab.physics import (
    TC,
    binder_cumulant,
    onsager_energy,
    sample_ising,
    swendsen_wang_update,
    wolff_update,
    yang_magnetization,
)
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


@pytest.mark.parametrize("cluster", ["wolff", "swendsen-wang"])
def test_binder_cumulants_of_two_sizes_cross_near_tc(cluster):
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
            cluster=cluster,
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


def _exact_4x4(temperature):
    """<E> and <|m|> per spin of the 4x4 periodic lattice, by summing all 2^16 states."""
    states = (np.arange(2**16)[:, None] >> np.arange(16)) & 1
    s = (2 * states - 1).reshape(-1, 4, 4).astype(np.float64)
    energy = -(s * np.roll(s, 1, 1) + s * np.roll(s, 1, 2)).sum(axis=(1, 2))
    weights = np.exp(-(energy - energy.min()) / temperature)
    weights /= weights.sum()
    return weights @ energy / 16, weights @ np.abs(s.mean(axis=(1, 2)))


@pytest.mark.parametrize("update", [wolff_update, swendsen_wang_update])
def test_cluster_updates_alone_sample_the_exact_4x4_distribution(update):
    # no Metropolis at all: the cluster update by itself must leave Boltzmann invariant
    temperature, chains = 2.5, 2000
    rng = np.random.default_rng(7)
    spins = np.where(rng.random((chains, 4, 4)) < 0.5, 1, -1).astype(np.int8)
    betas = np.full(chains, 1 / temperature)
    energies, magnetizations = [], []
    for step in range(60):
        update(spins, betas, rng)
        if step >= 20:
            s = spins.astype(np.float64)
            energies.append(-(s * np.roll(s, 1, 1) + s * np.roll(s, 1, 2)).sum(axis=(1, 2)) / 16)
            magnetizations.append(np.abs(s.mean(axis=(1, 2))))
    exact_energy, exact_m = _exact_4x4(temperature)
    # 2000 chains x 40 correlated updates: standard errors are about 0.005
    assert np.mean(energies) == pytest.approx(exact_energy, abs=0.02)
    assert np.mean(magnetizations) == pytest.approx(exact_m, abs=0.02)


def test_wolff_at_infinite_temperature_flips_exactly_the_seed_site():
    spins = np.ones((50, 6, 6), dtype=np.int8)
    wolff_update(spins, np.zeros(50), np.random.default_rng(0))  # no bonds form at beta = 0
    assert ((spins == -1).sum(axis=(1, 2)) == 1).all()


def test_wolff_flips_one_connected_cluster_of_equal_spins():
    rng = np.random.default_rng(4)
    before = np.where(rng.random((200, 8, 8)) < 0.5, 1, -1).astype(np.int8)
    after = before.copy()
    wolff_update(after, np.full(200, 1 / 2.0), rng)
    for old, new in zip(before, after):
        flipped = old != new
        assert flipped.any()
        assert len(np.unique(old[flipped])) == 1  # a cluster holds one spin value
        assert _connected_on_torus(flipped)


def _connected_on_torus(mask):
    """Whether the True sites form one component with periodic nearest-neighbour steps."""
    sites = np.flatnonzero(mask)
    index = np.arange(mask.size).reshape(mask.shape)
    edges = [
        (
            index[mask & np.roll(mask, -1, axis)],
            np.roll(index, -1, axis)[mask & np.roll(mask, -1, axis)],
        )
        for axis in (0, 1)
    ]
    rows = np.concatenate([e[0] for e in edges])
    cols = np.concatenate([e[1] for e in edges])
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(mask.size, mask.size))
    _, labels = connected_components(graph, directed=False)
    return len(np.unique(labels[sites])) == 1


def test_unknown_cluster_update_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="cluster.*wolff"):
        sample_ising([2.0], size=8, cluster="wolf", cache=False)
