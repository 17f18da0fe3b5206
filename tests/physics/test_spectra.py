"""Spectra: line profiles against their closed forms, the generator, the 1-D CNN learning them."""

import json

import numpy as np
import pytest
from scipy.special import voigt_profile
from scipy.stats import cauchy, norm

from cnnlab.models.spectra_net import spectra_cnn
from cnnlab.physics.spectra import (
    SHAPES,
    gaussian,
    lorentzian,
    make_spectra,
    normalise,
    voigt,
    voigt_widths,
)
from cnnlab.physics.spectra_experiment import (
    check_noise_levels,
    confusion_matrix,
    run_spectra_experiment,
    train_spectra_cnn,
)
from cnnlab.physics.spectra_fit import fit_line_shapes
from cnnlab.train import predict_proba

PROFILES = {"Gaussian": gaussian, "Lorentzian": lorentzian, "Voigt": voigt}
X = np.linspace(-200.0, 200.0, 400_001)  # fine enough to measure widths to 1e-5


def measured_fwhm(x, y):
    """Width of the region above half the maximum, with linear interpolation at both edges."""
    half = y.max() / 2
    above = np.flatnonzero(y >= half)
    lo, hi = above[0], above[-1]
    left = np.interp(half, [y[lo - 1], y[lo]], [x[lo - 1], x[lo]])
    right = np.interp(half, [y[hi + 1], y[hi]], [x[hi + 1], x[hi]])
    return right - left


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("fwhm", [3.0, 8.0, 24.0])
def test_each_profile_has_the_fwhm_and_height_it_was_asked_for(shape, fwhm):
    y = PROFILES[shape](X, 1.5, fwhm, 0.7)
    assert y.max() == pytest.approx(0.7, rel=1e-6)
    assert X[y.argmax()] == pytest.approx(1.5, abs=1e-3)
    # the Voigt width comes from the Olivero-Longbothum formula, good to 0.02 %
    assert measured_fwhm(X, y) == pytest.approx(fwhm, rel=3e-4 if shape == "Voigt" else 1e-5)


def test_gaussian_and_lorentzian_are_the_normal_and_cauchy_densities_scaled_to_height():
    sigma = 5.0 / (2 * np.sqrt(2 * np.log(2)))
    np.testing.assert_allclose(
        gaussian(X, 2.0, 5.0),
        norm.pdf(X, 2.0, sigma) / norm.pdf(0, 0, sigma),
        rtol=1e-12,
        atol=1e-300,
    )
    np.testing.assert_allclose(
        lorentzian(X, 2.0, 5.0), cauchy.pdf(X, 2.0, 2.5) / cauchy.pdf(0, 0, 2.5), rtol=1e-12
    )


def test_area_over_peak_height_is_each_shapes_known_constant():
    fwhm, dx = 10.0, X[1] - X[0]
    # a Gaussian's area is sqrt(pi / (4 ln 2)) * fwhm * height, a Lorentzian's pi/2 * fwhm
    # * height (its tails beyond +-200 hold 2/pi * fwhm/2 / 200 of it)
    assert gaussian(X, 0, fwhm).sum() * dx == pytest.approx(np.sqrt(np.pi / np.log(16)) * fwhm)
    tail = 2 / np.pi * np.arctan(fwhm / 2 / 200)
    lorentz_area = lorentzian(X, 0, fwhm).sum() * dx
    assert lorentz_area == pytest.approx(np.pi / 2 * fwhm * (1 - tail), rel=1e-6)
    # a Voigt line has unit area before it is scaled to height 1: area = 1 / V(0)
    f_gauss, f_lorentz = voigt_widths(fwhm)
    sigma, gamma = f_gauss / (2 * np.sqrt(2 * np.log(2))), f_lorentz / 2
    voigt_area = voigt(X, 0, fwhm).sum() * dx
    tail = 2 / np.pi * np.arctan(gamma / 200)  # the Lorentzian wings dominate far out
    assert voigt_area == pytest.approx((1 - tail) / voigt_profile(0, sigma, gamma), rel=1e-4)


def test_voigt_with_no_lorentzian_part_is_the_gaussian_and_with_no_gaussian_the_lorentzian():
    np.testing.assert_allclose(
        voigt(X, 3, 7, 2, lorentz_fraction=0), gaussian(X, 3, 7, 2), atol=1e-300
    )
    np.testing.assert_allclose(
        voigt(X, 3, 7, 2, lorentz_fraction=1), lorentzian(X, 3, 7, 2), rtol=1e-4
    )


def test_default_voigt_is_a_genuine_mixture_with_equal_gaussian_and_lorentzian_widths():
    f_gauss, f_lorentz = voigt_widths(10.0)
    assert f_gauss == pytest.approx(f_lorentz)
    y = voigt(X, 0, 10.0)
    far = np.abs(X) > 30  # the wings: heavier than a Gaussian's, lighter than a Lorentzian's
    assert np.all(gaussian(X, 0, 10.0)[far] < y[far])
    assert np.all(y[far] < lorentzian(X, 0, 10.0)[far])


@pytest.mark.parametrize("task", ["shape", "count"])
def test_spectra_are_float32_with_median_zero_and_maximum_one(task):
    data = make_spectra(60, task=task, noise=0.05, length=128, rng=0)
    assert data.spectra.shape == (60, 1, 128) and data.spectra.dtype == np.float32
    assert data.labels.dtype == np.int64 and len(data) == 60
    np.testing.assert_allclose(np.median(data.spectra, axis=-1), 0, atol=1e-6)
    np.testing.assert_allclose(data.spectra.max(axis=-1), 1, rtol=1e-6)
    dataset = data.labelled()
    assert dataset.classes == data.classes and dataset.sample_shape == (1, 128)
    np.testing.assert_array_equal(dataset.labels, data.labels)


def test_drawn_parameters_lie_in_their_ranges_scaled_to_the_length():
    data = make_spectra(300, length=512, rng=1)
    assert data.centres.shape == data.fwhms.shape == data.heights.shape == (300, 1)
    assert np.all((128 <= data.centres) & (data.centres <= 384))
    assert np.all((16 <= data.fwhms) & (data.fwhms <= 48))
    assert np.all((0.5 <= data.heights) & (data.heights <= 1.5))
    assert np.all(np.abs(data.offsets) <= 0.05) and np.all(np.abs(data.slopes) <= 0.1)
    np.testing.assert_allclose(data.sigmas, 0.02 * data.heights[:, 0])


def test_noise_free_spectrum_is_its_line_on_the_baseline_normalised():
    data = make_spectra(3, noise=0, rng=2)
    x = np.arange(256.0)
    for i in range(3):
        shape = PROFILES[data.classes[data.labels[i]]]
        line = shape(x, data.centres[i, 0], data.fwhms[i, 0], data.heights[i, 0])
        clean = line + data.offsets[i] + data.slopes[i] * (x - 128) / 256
        np.testing.assert_allclose(data.spectra[i, 0], normalise(clean), atol=1e-6)


def test_same_seed_gives_the_same_spectra_and_another_seed_others():
    a, b = make_spectra(20, task="count", rng=7), make_spectra(20, task="count", rng=7)
    np.testing.assert_array_equal(a.spectra, b.spectra)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.spectra, make_spectra(20, task="count", rng=8).spectra)


@pytest.mark.parametrize("n", [3, 100, 301])
def test_classes_are_balanced_to_within_one(n):
    counts = np.bincount(make_spectra(n, rng=0).labels, minlength=3)
    assert counts.max() - counts.min() <= 1 and counts.sum() == n


def test_counted_peaks_are_at_least_the_larger_fwhm_apart_and_inside_the_window():
    data = make_spectra(600, task="count", rng=3)
    peaks = (~np.isnan(data.centres)).sum(axis=1)
    np.testing.assert_array_equal(peaks, data.labels + 1)
    c, w = data.centres, data.fwhms
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        both = ~np.isnan(c[:, i]) & ~np.isnan(c[:, j])
        gap = np.abs(c[both, i] - c[both, j])
        assert np.all(gap >= np.maximum(w[both, i], w[both, j]))
    assert np.nanmin(c) >= 64 and np.nanmax(c) <= 192


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"task": "shapes"}, ValueError, r"`task` must be one of 'shape', 'count' \(did you"),
        ({"noise": -0.1}, ValueError, r"`noise` must be a non-negative number. Received: noise="),
        ({"noise": "high"}, TypeError, r"`noise` must be a non-negative number"),
        ({"length": 16}, ValueError, r"`length` must be at least 32 points. Received: length=16"),
        ({"length": 2.5}, TypeError, r"`length` must be a positive int. Received: length=2.5"),
        ({"rng": "seed"}, TypeError, r"`rng` must be a numpy.random.Generator"),
    ],
)
def test_bad_generator_arguments_are_named_in_the_error(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_spectra(10, **kwargs)


def test_bad_count_and_flat_spectrum_are_refused_clearly():
    with pytest.raises(ValueError, match=r"`n` must be a positive int. Received: n=0"):
        make_spectra(0)
    with pytest.raises(ValueError, match="must each rise above their median"):
        normalise(np.ones((2, 8)))
    with pytest.raises(ValueError, match=r"`lorentz_fraction` must be a probability in \[0, 1\]"):
        voigt(X, 0, 5, lorentz_fraction=1.5)
    with pytest.raises(ValueError, match="distinct non-negative numbers"):
        check_noise_levels([0.02, 0.02])


def test_least_squares_fit_tells_the_shapes_apart_at_low_noise():
    data = make_spectra(30, noise=0.02, rng=4)
    assert np.mean(fit_line_shapes(data.spectra).argmin(axis=1) == data.labels) >= 0.95


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    counts = confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 1]])


def test_spectra_cnn_gives_logits_for_any_length_and_class_count():
    assert spectra_cnn(rng=0)(np.zeros((4, 1, 256), np.float32)).shape == (4, 3)
    assert spectra_cnn(5, rng=0)(np.zeros((2, 1, 100), np.float32)).shape == (2, 5)
    with pytest.raises(ValueError, match="`num_classes` must be a positive int"):
        spectra_cnn(0)


def test_a_short_training_run_counts_peaks_far_above_chance():
    model, history = train_spectra_cnn("count", train_size=2400, epochs=4, rng=0)
    test = make_spectra(300, task="count", noise=0.02, rng=99)
    accuracy = np.mean(predict_proba(model, test.spectra).argmax(axis=1) == test.labels)
    assert accuracy > 0.8  # chance is 1/3
    assert history.train_loss[-1] < history.train_loss[0]


def test_experiment_writes_its_result_and_picture(tmp_path):
    result = run_spectra_experiment(
        tmp_path, epochs=1, train_size=90, test_size=30, baseline_size=6, quiet=True
    )
    stored = json.loads((tmp_path / "result.json").read_text())
    assert stored["task"] == "shape" and stored["classes"] == list(SHAPES)
    assert stored["accuracy"] == {"0.02": result.accuracy[0.02], "0.05": result.accuracy[0.05]}
    assert set(stored["least_squares_accuracy"]) == {"0.02", "0.05"}
    assert np.array(stored["confusion"]["0.05"]).sum() == 30
    assert result.plot == tmp_path / "spectra.png" and result.plot.stat().st_size > 10_000


def test_experiment_refuses_bad_settings_before_writing_anything(tmp_path):
    out = tmp_path / "never"
    with pytest.raises(ValueError, match=r"`task` must be one of 'shape', 'count'"):
        run_spectra_experiment(out, task="colour", quiet=True)
    with pytest.raises(ValueError, match=r"`epochs` must be a positive int. Received: epochs=0"):
        run_spectra_experiment(out, epochs=0, quiet=True)
    with pytest.raises(TypeError, match=r"`noise_levels` must be a sequence"):
        run_spectra_experiment(out, noise_levels=0.05, quiet=True)
    assert not out.exists()
