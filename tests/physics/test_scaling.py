"""Finite-size scaling fits, the block-spin CNN, .npz files, `cnnlab train ising --sizes`."""

import json

import numpy as np
import pytest

from checks.cli import cnnlab
from cnnlab.physics import sample_ising
from cnnlab.physics.fss import block_spin_cnn, resized
from cnnlab.physics.scaling import best_collapse, collapse_quality, fit_crossings
from cnnlab.physics.storage import load_configurations, save_configurations

SIZES = np.array([16, 24, 32, 48, 64])


def synthetic_crossings(tc, a, nu, noise, seed):
    rng = np.random.default_rng(seed)
    return tc + a * SIZES ** (-1 / nu) + rng.normal(0, noise, len(SIZES))


@pytest.mark.parametrize("seed", range(5))
def test_fit_with_nu_fixed_recovers_tc_within_its_error(seed):
    t_star = synthetic_crossings(2.269, 0.9, 1.0, 0.002, seed)
    fit = fit_crossings(SIZES, t_star, np.full(5, 0.002), nu=1.0)
    assert abs(fit.tc - 2.269) < 3 * fit.tc_error
    assert fit.tc_error < 0.005 and fit.nu == 1.0 and fit.nu_error == 0.0


@pytest.mark.parametrize("nu", [0.8, 1.0, 1.3])
def test_fit_with_nu_free_recovers_tc_and_nu(nu):
    t_star = synthetic_crossings(2.269, 2.0, nu, 0.0005, seed=1)
    fit = fit_crossings(SIZES, t_star, np.full(5, 0.0005))
    assert fit.tc == pytest.approx(2.269, abs=0.01)
    assert fit.nu == pytest.approx(nu, abs=0.15)
    assert abs(fit.nu - nu) < 3 * fit.nu_error + 0.02


def test_fit_without_noise_is_exact():
    fit = fit_crossings(SIZES, 2.3 - 0.5 * SIZES**-0.8)
    assert (fit.tc, fit.a, fit.nu) == pytest.approx((2.3, -0.5, 1.25), rel=1e-5)


def test_free_nu_with_three_sizes_is_refused():
    with pytest.raises(ValueError, match="at least 4 sizes"):
        fit_crossings([16, 32, 64], [2.3, 2.29, 2.28])


def logistic_curves(tc, nu, temperatures):
    return {int(L): 1 / (1 + np.exp((temperatures - tc) * L ** (1 / nu) / 0.8)) for L in SIZES}


@pytest.mark.parametrize("nu", [0.8, 1.0, 1.25])
def test_collapse_quality_is_best_at_the_true_nu(nu):
    temperatures = np.linspace(2.0, 2.6, 301)  # resolves even the sharpest curve (L = 64)
    curves = logistic_curves(2.269, nu, temperatures)
    best, _, qualities = best_collapse(temperatures, curves, 2.269)
    assert best == pytest.approx(nu, abs=0.02)
    assert qualities.min() < 1e-4 < collapse_quality(temperatures, curves, 2.269, nu + 0.3)


def test_block_spin_cnn_decision_ignores_the_overall_size_of_the_spins():
    model = block_spin_cnn(16, rng=0)
    x = np.random.default_rng(1).normal(size=(4, 1, 16, 16)).astype(np.float32)
    logits, shrunk = model(x), model(0.3 * x)
    np.testing.assert_allclose(shrunk, 0.3 * logits, rtol=1e-4, atol=1e-6)


def test_resized_network_keeps_the_weights_and_takes_the_new_size():
    small = block_spin_cnn(16, rng=0)
    large = resized(small, 32)
    for (name, a), (_, b) in zip(small.named_parameters(), large.named_parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data, err_msg=name)
    # a 32x32 lattice made of 2x2 copies of each 16x16 site has the same block spins
    x = np.random.default_rng(2).choice([-1.0, 1.0], size=(2, 1, 16, 16)).astype(np.float32)
    doubled = x.repeat(2, axis=2).repeat(2, axis=3)
    assert large(doubled).shape == (2, 2)


def test_configurations_round_trip_through_npz_with_their_parameters(tmp_path):
    samples = sample_ising([1.5, 3.5], size=8, per_temperature=3, chains=3, equilibration=5,
                           gap=1, cache=False)  # fmt: skip
    path = save_configurations(tmp_path / "ising.npz", samples.spins, samples.temperatures,
                               model="ising", size=8, seed=0)  # fmt: skip
    stored = load_configurations(path)
    np.testing.assert_array_equal(stored.configurations, samples.spins)
    np.testing.assert_array_equal(stored.temperatures, samples.temperatures)
    assert stored.parameters == {"model": "ising", "size": 8, "seed": 0}
    with np.load(path, allow_pickle=False) as raw:  # plain arrays: any framework reads them
        assert sorted(raw.files) == ["configurations", "parameters", "temperatures"]


def test_infinite_temperatures_round_trip(tmp_path):
    path = save_configurations(tmp_path / "g.npz", np.ones((2, 2, 4, 4), np.int8), [0.0, np.inf])
    assert load_configurations(path).temperatures.tolist() == [0.0, np.inf]


def test_save_refuses_a_temperature_count_that_does_not_match(tmp_path):
    with pytest.raises(ValueError, match="one temperature per configuration"):
        save_configurations(tmp_path / "x.npz", np.ones((3, 1, 4, 4)), [1.0, 2.0])


def test_load_refuses_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="Received: path="):
        load_configurations(tmp_path / "missing.npz")


def test_train_ising_sizes_fits_tc_and_draws_both_pictures(tmp_path):
    result = cnnlab("train", "ising", "--sizes", "8", "12", "16", "--out", tmp_path / "fss",
                    env={"CNNLAB_DATA": str(tmp_path / "cache")})  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "fss" / "result.json").read_text())
    assert summary["sizes"] == [8, 12, 16]
    assert 2.0 < summary["fits"]["nu_fixed"]["tc"] < 2.5
    for name in ("crossings.png", "collapse.png", "ising-L8.npz", "ising-L16.npz"):
        assert (tmp_path / "fss" / name).exists(), name
    assert "2.2692" in result.stdout and "nu" in result.stdout
