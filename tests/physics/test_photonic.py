"""The plane-wave solver against reference band gaps, exact limits and its own symmetries."""

import numpy as np
import pytest
import scipy.linalg

from cnnlab.physics.photonic import (
    band_edges,
    band_structure,
    cell_fourier,
    k_path,
    reciprocal_vectors,
    rod_fourier,
    te_bands,
    tm_bands,
)

X, M = [0.5, 0.0], [0.5, 0.5]


def rod_picture(eps, radius, size=32):
    """One rod centred on pixel (0, 0) of a size x size cell."""
    index = np.arange(size)
    distance = np.minimum(index, size - index) / size
    return np.where(np.hypot(distance[:, None], distance[None, :]) < radius, eps, 1.0)


def stripes(eps=9.0, width=8, size=32):
    cell = np.ones((size, size))
    cell[:, :width] = eps
    return cell


@pytest.mark.parametrize(
    ("eps", "reference"),
    [(12.0, (0.2826, 0.4193)), (8.9, (0.322, 0.443))],
    ids=["MPB-tutorial-rods", "alumina-rods"],
)
def test_tm_gap_of_a_square_lattice_of_rods_matches_the_references_within_one_percent(
    eps, reference
):
    # MPB's tutorial (resolution 32) and Joannopoulos et al., ch. 5; measured errors at 121
    # plane waves: -0.67% / -0.46% (eps 12), +0.14% / -0.08% (eps 8.9)
    analytic = band_edges(band_structure(rod=(eps, 0.2), bands=2, plane_waves=81))
    picture = band_edges(band_structure(rod_picture(eps, 0.2), bands=2, plane_waves=81))
    np.testing.assert_allclose(analytic, reference, rtol=0.01)
    np.testing.assert_allclose(picture, reference, rtol=0.01)


def test_band_edges_of_rods_lie_at_m_and_x():
    bands = band_structure(rod=(12.0, 0.2), bands=2, plane_waves=49)
    path = k_path()
    assert np.argmax(bands[:, 0]) == path.ticks[2]  # top of band 1 at M
    assert np.argmin(bands[:, 1]) == path.ticks[1]  # bottom of band 2 at X


@pytest.mark.parametrize("polarization", ["TM", "TE"])
def test_quarter_wave_stack_has_its_band_edges_at_two_and_four_ninths(polarization):
    # eps 9 over a / 4 and air over 3a / 4: equal optical paths, gap 1/3 +- 1/9 at X
    omega = band_structure(stripes(), k=[X], bands=2, plane_waves=81, polarization=polarization)
    np.testing.assert_allclose(omega[0], [2 / 9, 4 / 9], rtol=0.005)


def test_long_wavelength_tm_speed_is_one_over_root_mean_eps():
    cell = np.random.default_rng(0).uniform(1, 10, (16, 16))
    k = np.array([[1e-3, 0.0], [0.0, 2e-3], [1e-3, 1e-3]])
    omega = band_structure(cell, k=k, bands=1, plane_waves=49)[:, 0]
    np.testing.assert_allclose(omega / np.linalg.norm(k, axis=1), cell.mean() ** -0.5, rtol=1e-5)


@pytest.mark.parametrize("polarization", ["TM", "TE"])
def test_homogeneous_cell_gives_the_light_line_folded_into_the_zone(polarization):
    k = np.array([[0.0, 0.0], X, M, [0.2, 0.1]])
    omega = band_structure(
        np.full((8, 8), 4.0), k=k, bands=6, plane_waves=25, polarization=polarization
    )
    vectors = reciprocal_vectors(25)
    light = np.sort(np.linalg.norm(k[:, None] + vectors[None], axis=-1), axis=1)[:, :6] / 2
    np.testing.assert_allclose(omega, light, atol=1e-12)


def test_scaling_eps_by_s_scales_every_frequency_by_one_over_root_s():
    cell = np.where(np.random.default_rng(1).random((16, 16)) < 0.4, 6.0, 1.0)
    omega = band_structure(cell, bands=3, plane_waves=49)
    np.testing.assert_allclose(
        band_structure(2.5 * cell, bands=3, plane_waves=49), omega / np.sqrt(2.5)
    )


def test_rolling_the_picture_changes_no_band():
    cell = np.random.default_rng(2).uniform(1, 8, (16, 16))  # no symmetry: complex matrices
    omega = band_structure(cell, bands=3, plane_waves=49)
    rolled = band_structure(np.roll(cell, (3, -5), axis=(0, 1)), bands=3, plane_waves=49)
    np.testing.assert_allclose(rolled, omega, rtol=1e-10)


def test_rotations_and_mirrors_of_a_square_symmetric_cell_leave_its_band_edges_unchanged():
    cell = np.maximum(
        rod_picture(10.0, 0.25, 16), np.roll(rod_picture(3.0, 0.1, 16), (8, 8), (0, 1))
    )
    cell = np.roll(cell, (5, 3), axis=(0, 1))  # square-symmetric about pixel (5, 3)
    edges = band_edges(band_structure(cell, plane_waves=49))
    for image in (
        np.rot90(cell),
        np.rot90(cell, 2),
        np.fliplr(cell),
        cell.T,
        np.flipud(np.rot90(cell)),
    ):
        np.testing.assert_allclose(
            band_edges(band_structure(image, plane_waves=49)), edges, rtol=1e-9
        )


def test_half_turn_of_any_cell_leaves_every_band_unchanged():
    cell = np.random.default_rng(6).uniform(1, 8, (16, 16))  # omega(-k) = omega(k)
    omega = band_structure(cell, bands=3, plane_waves=49)
    np.testing.assert_allclose(
        band_structure(np.rot90(cell, 2), bands=3, plane_waves=49), omega, rtol=1e-9
    )


def test_rod_edges_change_by_under_half_a_percent_from_121_to_441_plane_waves():
    k = np.array([M, X])
    for eps in (12.0, 8.9):
        coarse = band_structure(rod=(eps, 0.2), k=k, bands=2, plane_waves=121)
        fine = band_structure(rod=(eps, 0.2), k=k, bands=2, plane_waves=441)
        np.testing.assert_array_less(np.abs(coarse / fine - 1), 0.005)


@pytest.mark.parametrize("k", [[0.0, 0.0], [0.3, 0.1]], ids=["Gamma", "general"])
def test_tm_bands_equal_scipys_generalised_hermitian_eigenvalues(k):
    cell = np.random.default_rng(3).uniform(1, 12, (8, 8))
    vectors = reciprocal_vectors(25)
    eps = cell_fourier(cell, vectors[:, None] - vectors[None])
    kinetic = np.diag(np.sum((np.array(k) + vectors) ** 2, axis=1))
    expected = np.sqrt(np.clip(scipy.linalg.eigh(kinetic, eps, eigvals_only=True)[:5], 0, None))
    np.testing.assert_allclose(tm_bands(eps, vectors, np.array([k]), 5)[0], expected, atol=1e-10)


def test_te_bands_equal_the_eigenvalues_of_the_inverse_rule_matrix():
    cell = np.random.default_rng(4).uniform(1, 12, (8, 8))
    vectors = reciprocal_vectors(25)
    eps = cell_fourier(cell, vectors[:, None] - vectors[None])
    q = np.array([0.2, 0.4]) + vectors
    matrix = (q @ q.T) * np.linalg.inv(eps)
    expected = np.sqrt(np.linalg.eigvalsh(matrix)[:4])
    np.testing.assert_allclose(
        te_bands(eps, vectors, np.array([[0.2, 0.4]]), 4)[0], expected, rtol=1e-10
    )


def test_picture_coefficients_are_those_of_the_piecewise_constant_cell():
    cell = np.random.default_rng(5).uniform(1, 5, (4, 4))
    m, n = 3, -2  # beyond the FFT's own range: the exact integral over the 16 squares
    x0 = np.arange(4)[None, :] / 4 - 1 / 8  # pixel (i, j) covers [x0, x0 + 1/4), centre j / 4
    y0 = np.arange(4)[:, None] / 4 - 1 / 8

    def integral(frequency, start):
        return (
            np.exp(-2j * np.pi * frequency * (start + 0.25))
            - np.exp(-2j * np.pi * frequency * start)
        ) / (-2j * np.pi * frequency)

    exact = np.sum(cell * integral(m, x0) * integral(n, y0))
    assert cell_fourier(cell, np.array([m, n])) == pytest.approx(exact, abs=1e-12)


def test_rod_coefficients_agree_with_a_fine_picture_of_the_rod():
    differences = np.array([[0, 0], [1, 0], [1, 1], [2, 1]])
    analytic = rod_fourier(12.0, 0.2, differences)
    picture = cell_fourier(rod_picture(12.0, 0.2, 512), differences).real
    np.testing.assert_allclose(picture, analytic, atol=2e-3)


def test_k_path_runs_gamma_x_m_gamma_with_its_corners_on_the_points():
    path = k_path(16, closed=True)
    assert path.k.shape == (17, 2)
    np.testing.assert_allclose(path.k[list(path.ticks)], [[0, 0], X, M, [0, 0]])
    np.testing.assert_allclose(path.distance[-1], 1 + np.sqrt(0.5))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"cell": np.ones((8, 8)), "plane_waves": 100}, ValueError, "square of an odd number"),
        ({"cell": -np.ones((8, 8))}, ValueError, "positive finite permittivities"),
        ({"cell": np.ones((8, 6))}, ValueError, "square picture"),
        ({"cell": np.ones((8, 8)), "rod": (12.0, 0.2)}, ValueError, "exactly one of"),
        ({"rod": (12.0, 0.6)}, ValueError, "below a / 2"),
        ({"cell": np.ones((8, 8)), "polarization": "TX"}, ValueError, "polarization"),
        ({"cell": np.ones((8, 8)), "k": [0.1, 0.2]}, ValueError, r"shape \(K, 2\)"),
    ],
)
def test_band_structure_refuses_bad_arguments_naming_them(kwargs, error, match):
    with pytest.raises(error, match=match):
        band_structure(**kwargs)
