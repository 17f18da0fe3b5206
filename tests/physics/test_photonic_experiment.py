"""Random unit cells, the band-edge CNN with its symmetries and controls, and the experiment."""

import importlib
import json

import numpy as np
import pytest
from rich.console import Console

from cnnlab.backend.fast import parallel
from cnnlab.cli.main import main
from cnnlab.models.photonic_net import photonic_cnn
from cnnlab.physics.photonic import band_edges, band_structure, k_path
from cnnlab.physics.photonic_cells import (
    PhotonicCells,
    gap_midgap_ratio,
    make_photonic_cells,
    random_shapes,
    roll_cells,
)
from cnnlab.physics.photonic_experiment import METHODS, run_photonic_experiment
from cnnlab.physics.photonic_regression import (
    EdgeScale,
    align_cells,
    fit_on_histogram,
    predict_edges,
    score_edges,
    shuffle_pixels,
    square_symmetries,
)

photonic_experiment = importlib.import_module("cnnlab.physics.photonic_experiment")
SMALL = {"size": 16, "plane_waves": 25, "k_points": 8, "cache": False}


@pytest.fixture(scope="module")
def small():
    return make_photonic_cells(48, rng=3, **SMALL)


def test_random_shapes_are_unchanged_by_the_squares_eight_operations_about_pixel_zero():
    shapes = random_shapes(20, 32, rng=0)
    mirrored = np.roll(shapes[:, ::-1, :], 1, axis=1)  # y -> -y about pixel 0
    np.testing.assert_array_equal(mirrored, shapes)
    np.testing.assert_array_equal(np.roll(shapes[:, :, ::-1], 1, axis=2), shapes)
    np.testing.assert_array_equal(np.swapaxes(shapes, 1, 2), shapes)


def test_fill_fractions_stay_in_their_range_and_cover_it():
    fill = random_shapes(300, 32, fill=(0.1, 0.6), rng=1).mean(axis=(1, 2))
    assert fill.min() >= 0.1 and fill.max() <= 0.6
    assert fill.min() < 0.15 and fill.max() > 0.55


def test_cells_are_two_phase_with_their_labels_those_of_the_stored_rolled_picture(small):
    assert small.cells.shape == (48, 1, 16, 16) and small.bands.shape == (48, 8, 2)
    for cell, eps in zip(small.cells[:, 0], small.eps, strict=True):
        assert set(np.unique(cell).tolist()) <= {1.0, np.float32(eps)}
    assert 4 <= small.eps.min() and small.eps.max() <= 16
    # the labels were found before the roll: the stored picture gives the same bands
    again = band_structure(small.cells[:4, 0], k=k_path(8).k, bands=2, plane_waves=25)
    np.testing.assert_allclose(again, small.bands[:4], rtol=1e-6)


def test_isolated_rods_and_connected_veins_both_occur(small):
    assert 0.15 < small.has_gap.mean() < 0.85
    np.testing.assert_allclose(small.gap, small.edges[:, 1] - small.edges[:, 0])
    assert np.all(gap_midgap_ratio(small.edges)[~small.has_gap] == 0)


def test_same_seed_same_cells_and_the_cache_returns_them(tmp_path):
    first = make_photonic_cells(6, rng=5, **{**SMALL, "cache": tmp_path})
    assert len(list(tmp_path.glob("photonic-16-*.npz"))) == 1
    again = make_photonic_cells(6, rng=5, **{**SMALL, "cache": tmp_path})
    np.testing.assert_array_equal(again.cells, first.cells)
    np.testing.assert_array_equal(again.bands, first.bands)
    fresh = make_photonic_cells(6, rng=5, **SMALL)
    np.testing.assert_array_equal(fresh.cells, first.cells)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"eps": (0.5, 4.0)}, r"`eps` must lie within"), ({"fill": (0.2, 1.5)}, "`fill` must lie")],
)
def test_make_photonic_cells_refuses_ranges_outside_the_physics(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_photonic_cells(4, **SMALL, **kwargs)


def test_alignment_makes_every_roll_of_a_cell_the_same_picture():
    cells = np.random.default_rng(0).random((50, 1, 32, 32))
    np.testing.assert_array_equal(align_cells(roll_cells(cells, 1)), align_cells(cells))


def test_predictions_are_unchanged_by_rolls_and_by_the_squares_operations():
    model, scale = photonic_cnn(rng=0), EdgeScale(np.zeros(2), np.ones(2))
    cells = np.where(random_shapes(6, 32, rng=4), 9.0, 1.0)[:, None]
    cells = roll_cells(cells + np.random.default_rng(0).random(cells.shape), 1)  # no symmetry
    predicted = predict_edges(model, scale, cells)
    assert np.ptp(predicted[:, 0]) > 1e-4  # different cells, different answers
    for image in square_symmetries(roll_cells(cells, 2)):
        np.testing.assert_allclose(predict_edges(model, scale, image), predicted, rtol=1e-5)


def test_circular_padding_makes_the_network_blind_to_rolls_by_its_stride():
    cells = np.random.default_rng(1).random((3, 1, 32, 32)).astype(np.float32)
    model = photonic_cnn(rng=0)
    rolled = np.roll(cells, (8, 16), axis=(2, 3))
    np.testing.assert_allclose(model(rolled), model(cells), rtol=1e-5, atol=1e-6)


def test_shuffled_cells_keep_each_cells_histogram():
    cells = np.random.default_rng(2).random((4, 1, 8, 8))
    shuffled = shuffle_pixels(cells, 0)
    np.testing.assert_array_equal(np.sort(shuffled.reshape(4, -1)), np.sort(cells.reshape(4, -1)))
    assert not np.array_equal(shuffled, cells)


def test_histogram_fit_is_exact_when_the_edges_follow_the_mean_permittivity(small):
    # a crystal whose edges scale as <eps>^(-1/2) is one the control can fit
    mean_eps = small.cells.reshape(len(small), -1).mean(axis=1).astype(np.float64)
    bands = (np.array([0.3, 0.4]) * mean_eps[:, None] ** -0.5)[:, None, :]  # (N, K=1, 2)
    fake = PhotonicCells(small.cells, small.eps, small.fill, bands)
    predicted = fit_on_histogram(fake)(small.cells)
    np.testing.assert_allclose(predicted, band_edges(bands), rtol=1e-6)


def test_scores_of_a_perfect_and_of_a_wrong_prediction():
    true = np.array([[0.30, 0.40], [0.35, 0.30], [0.20, 0.21]])
    perfect = score_edges(true, true)
    assert perfect.fractional == (0.0, 0.0) and perfect.gap_accuracy == 1.0
    wrong = score_edges(true, true * [1.1, 0.9])
    assert wrong.fractional == pytest.approx((0.1, 0.1))
    assert wrong.gap_accuracy == pytest.approx(2 / 3)  # the 0.20 | 0.21 gap closes


def test_experiment_writes_its_picture_and_result(tmp_path):
    result = run_photonic_experiment(
        tmp_path,
        epochs=1,
        train_cells=40,
        test_cells=24,
        plane_waves=25,
        k_points=8,
        cache=False,
        console=Console(quiet=True),
    )
    saved = json.loads((tmp_path / "result.json").read_text())
    assert (tmp_path / "photonic.png").stat().st_size > 20_000
    assert sorted(saved["scores"]) == sorted(METHODS) and saved["test_cells"] == 24
    assert result.invariance < 1e-5
    assert saved["control_ratio"] == pytest.approx(result.control_ratio)


def test_cnnlab_train_photonic_runs_the_experiment(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(  # where cnnlab train imports it when it runs
        photonic_experiment,
        "run_photonic_experiment",
        lambda out, **options: seen.append((out, options)),
    )
    assert main(["train", "photonic", "--out", str(tmp_path), "--seed", "2"]) == 0
    assert seen == [(tmp_path, {"seed": 2})]


def test_labelling_leaves_cnnlabs_thread_count_at_its_default(monkeypatch):
    # the default follows BLAS's thread count, even when first read while labelling holds it at 1
    monkeypatch.setattr(parallel, "_num_threads", None)
    expected = parallel.get_num_threads()
    monkeypatch.setattr(parallel, "_num_threads", None)
    make_photonic_cells(4, **SMALL)
    assert parallel.get_num_threads() == expected
