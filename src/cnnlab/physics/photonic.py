"""Photonic bands of a 2-D square-lattice crystal by plane-wave expansion.

For light with its electric field along the rods (TM, ``E_z``), Maxwell's equations in a
crystal of period ``a`` and permittivity ``eps(r)`` become, for each Bloch vector ``k``,

    |k + G|^2 e_G = (omega / c)^2 sum_G' eps(G - G') e_G',

a generalised Hermitian eigenproblem ``A e = lambda B e`` with ``A`` diagonal and ``B`` the
Fourier matrix of the permittivity (positive definite). Wave vectors are in units of
``2 pi / a``, so each eigenvalue is ``(omega a / 2 pi c)^2``: frequencies here are in
``omega a / 2 pi c``. Since ``A`` is diagonal and positive (``k + G = 0``, a zero-frequency
mode, is taken apart in :func:`tm_bands`), ``A e = lambda B e`` is the
ordinary Hermitian eigenproblem ``A^(-1/2) B A^(-1/2) u = (1 / lambda) u``: the eigenvalues
of ``scipy.linalg.eigh(A, B)`` (the tests check that) with no factorisation, batched over
cells, one call per wave vector.

Which matrix: ``E_z`` is continuous across every interface, so ``eps E_z`` is a product
of a continuous and a discontinuous factor and its truncated Fourier series is the plain
(Laurent) matrix ``[eps]``. That is the rule used here for TM: it converges fast, and at
long wavelengths it gives ``omega / c|k| = 1 / sqrt(<eps>)`` exactly. The inverse rule of
Ho, Chan and Soukoulis (``[1/eps]^-1`` in place of ``[eps]``) converges much more slowly
for TM: for rods of eps = 12, r = 0.2a drawn on 32x32 pixels, the TM edges (0.2808,
0.4168 with ``[eps]``, the same to 0.1% at 49 to 961 plane waves) come out 6.6% high at
121 plane waves and still 2.7% high at 961 with ``[1/eps]^-1``. TE (``H_z``),

    sum_G' (k + G).(k + G') eta(G, G') h_G' = (omega / c)^2 h_G,

uses ``eta = [eps]^-1`` (Ho-Chan-Soukoulis, the better rule there); it converges more
slowly than TM, since ``H_z``'s derivative jumps at every interface: the same rods' first
TE band at X moves by 1.5% from 121 to 441 plane waves, where TM's edges move by 0.02%.

The permittivity of a unit-cell picture (``(M, M)`` pixels, row = y, column = x) is the
piecewise-constant function the picture draws, whose exact Fourier coefficients are the
FFT's times ``sinc(m / M) sinc(n / M)``: the bands belong to exactly the picture a network
sees, with no aliasing at any number of plane waves. Rolling the picture multiplies the
coefficients by phases (a unitary change of basis), so it leaves the bands unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from .._validation import check_choice, check_positive_float, check_positive_int, received

#: Plane waves of the default basis: 11 x 11 reciprocal vectors.
PLANE_WAVES = 121
#: The corners of the irreducible Brillouin zone's boundary, in units of 2 pi / a.
CORNERS = {"Gamma": (0.0, 0.0), "X": (0.5, 0.0), "M": (0.5, 0.5)}
POLARIZATIONS = ("TM", "TE")


@dataclass(frozen=True)
class KPath:
    """Wave vectors ``(K, 2)`` in units of ``2 pi / a`` along Gamma-X-M-Gamma.

    ``distance`` is the length along the path (the x axis of a band diagram); ``ticks`` the
    indices of Gamma, X, M and the closing Gamma, named by ``labels``.
    """

    k: np.ndarray
    distance: np.ndarray
    ticks: tuple[int, ...]
    labels: tuple[str, ...] = ("Γ", "X", "M", "Γ")


def k_path(points: int = 16, *, closed: bool = False) -> KPath:
    """``points`` wave vectors along Gamma-X-M-Gamma, spaced about evenly, X and M included.

    The closing Gamma repeats the first one, so it is left out unless ``closed``.

    >>> path = k_path(16)
    >>> path.k.shape, path.ticks, path.k[path.ticks[1]].tolist(), path.k[path.ticks[2]].tolist()
    ((16, 2), (0, 5, 10, 16), [0.5, 0.0], [0.5, 0.5])
    """
    points = check_positive_int("points", points)
    if points < 4:
        raise ValueError(
            "`points` must be at least 4 (Gamma, X, M and one more). " + received(points=points)
        )
    lengths = np.array([0.5, 0.5, np.sqrt(0.5)])
    steps = np.maximum(1, np.round(points * lengths / lengths.sum())).astype(int)
    steps[2] = points - steps[0] - steps[1]
    corners = np.array([CORNERS["Gamma"], CORNERS["X"], CORNERS["M"], CORNERS["Gamma"]])
    legs = [
        start + (stop - start) * np.arange(n)[:, None] / n
        for start, stop, n in zip(corners[:-1], corners[1:], steps, strict=True)
    ]
    k = np.concatenate([*legs, corners[-1:]])
    distance = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(k, axis=0), axis=1))])
    ticks = (0, int(steps[0]), int(steps[0] + steps[1]), points)
    if not closed:
        k, distance = k[:-1], distance[:-1]
    return KPath(k, distance, ticks)


def reciprocal_vectors(plane_waves: int = PLANE_WAVES) -> np.ndarray:
    """The integer pairs ``(m, n)``, ``|m|, |n| <= N``, of ``(2N + 1)^2`` plane waves: ``(P, 2)``.

    >>> reciprocal_vectors(9).tolist()[:3]
    [[-1, -1], [0, -1], [1, -1]]
    """
    plane_waves = check_positive_int("plane_waves", plane_waves)
    side = int(round(np.sqrt(plane_waves)))
    if side * side != plane_waves or side % 2 == 0:
        raise ValueError(
            "`plane_waves` must be the square of an odd number (9, 25, 121, 441, ...). "
            + received(plane_waves=plane_waves)
        )
    order = np.arange(-(side // 2), side // 2 + 1)
    n, m = np.meshgrid(order, order, indexing="ij")
    return np.stack([m.ravel(), n.ravel()], axis=1)


def cell_fourier(cells, differences: np.ndarray) -> np.ndarray:
    """Exact Fourier coefficients of pixel pictures at integer vectors ``differences (..., 2)``.

    ``cells`` is ``(M, M)`` or ``(B, M, M)``; the result has shape ``(B?, ...)`` and is the
    coefficient of ``exp(2 pi i (m x + n y) / a)`` of the piecewise-constant cell with
    pixel centres on the grid ``(j, i) a / M`` (a half-pixel shift of the picture, which
    changes no band).
    """
    cells = np.asarray(cells, dtype=np.float64)
    side = cells.shape[-1]
    spectrum = np.fft.fft2(cells) / side**2  # (..., n mod M, m mod M)
    m, n = differences[..., 0], differences[..., 1]
    window = np.sinc(m / side) * np.sinc(n / side)
    return spectrum[..., n % side, m % side] * window


def rod_fourier(eps_rod: float, radius: float, differences: np.ndarray, eps_background=1.0):
    """Fourier coefficients of one circular rod per cell (radius in units of ``a``).

    ``eps(G) = eps_b delta_G0 + (eps_r - eps_b) f 2 J1(|G| r) / (|G| r)`` with the fill
    ``f = pi r^2`` and ``G = 2 pi (m, n) / a``.

    >>> float(rod_fourier(12.0, 0.2, np.zeros((1, 2), dtype=int))[0]).__round__(4)  # <eps>
    2.3823
    """
    eps_rod = check_positive_float("eps_rod", eps_rod)
    radius = check_positive_float("radius", radius)
    if radius >= 0.5:
        raise ValueError(
            "`radius` must be below a / 2 (rods may not touch). " + received(radius=radius)
        )
    fill = np.pi * radius**2
    x = 2 * np.pi * np.linalg.norm(differences, axis=-1) * radius
    safe = np.where(x == 0, 1.0, x)
    airy = np.where(x == 0, 1.0, 2 * special.j1(safe) / safe)
    return (eps_rod - eps_background) * fill * airy + eps_background * (x == 0)


def permittivity_matrix(coefficients: np.ndarray) -> np.ndarray:
    """Real when the coefficients are (the cell is centrosymmetric), complex otherwise."""
    if np.iscomplexobj(coefficients):
        scale = np.abs(coefficients).max()
        if np.abs(coefficients.imag).max() <= 1e-12 * scale:
            return np.ascontiguousarray(coefficients.real)
    return coefficients


def tm_bands(coefficients: np.ndarray, vectors: np.ndarray, k: np.ndarray, bands: int):
    """Lowest ``bands`` TM frequencies at each ``k``, from the matrices ``[eps(G - G')]``.

    ``coefficients`` is ``(P, P)`` or a batch ``(B, P, P)``; returns ``(B?, K, bands)``.
    The generalised problem ``A e = lambda B e`` with ``A = diag|k + G|^2`` is solved as
    ``D B D u = (1 / lambda) u`` with ``D = A^(-1/2)``: the same eigenvalues as
    ``scipy.linalg.eigh(A, B)``, for a batch of cells at once, with no factorisation.
    Where ``k + G = 0`` (G = 0 at Gamma) the mode is omega = 0 and the other modes come
    from the Schur complement of that row and column of ``B``.
    """
    eps = permittivity_matrix(coefficients)
    kinetic = np.sum((k[:, None, :] + vectors[None]) ** 2, axis=-1)  # |k + G|^2, (K, P)
    omega = np.empty((*eps.shape[:-2], len(k), bands))
    for index, row in enumerate(kinetic):
        zero = row < 1e-14
        matrix = eps[..., ~zero, :][..., :, ~zero]
        if zero.any():  # Schur complement: the constraint (B e)_0 = 0 of the omega = 0 mode
            column = eps[..., ~zero, :][..., :, zero]
            pivot = eps[..., zero, :][..., :, zero]
            matrix = matrix - column @ np.conj(np.swapaxes(column, -1, -2)) / pivot
        scale = 1 / np.sqrt(row[~zero])
        inverse = np.linalg.eigvalsh(matrix * scale[:, None] * scale[None, :])  # 1 / lambda
        found = 1 / np.sqrt(inverse[..., ::-1][..., : bands - zero.sum()])
        still = np.zeros((*found.shape[:-1], zero.sum()))  # omega = 0 first
        omega[..., index, :] = np.concatenate([still, found], axis=-1)[..., :bands]
    return omega


def te_bands(coefficients: np.ndarray, vectors: np.ndarray, k: np.ndarray, bands: int):
    """Lowest ``bands`` TE frequencies at each ``k``, with ``eta = [eps]^-1`` (inverse rule)."""
    eps = permittivity_matrix(coefficients)
    eta = np.linalg.inv(eps)[..., None, :, :]  # (B?, 1, P, P)
    q = k[:, None, :] + vectors[None]  # (K, P, 2)
    dots = q @ np.swapaxes(q, -1, -2)  # (k + G).(k + G'), (K, P, P)
    values = np.linalg.eigvalsh(dots * eta)[..., :bands]
    return np.sqrt(np.clip(values, 0, None))


def band_structure(
    cell=None,
    *,
    rod: tuple[float, float] | None = None,
    k=None,
    bands: int = 4,
    plane_waves: int = PLANE_WAVES,
    polarization: str = "TM",
) -> np.ndarray:
    """Frequencies ``omega a / 2 pi c`` of the lowest bands of a square-lattice crystal.

    Parameters
    ----------
    cell : array, shape ``(M, M)`` or ``(B, M, M)``
        Permittivity pictures of the unit cell (all values positive), or
    rod : (eps, radius)
        One circular rod of permittivity ``eps`` and radius ``radius * a`` in air, from its
        analytic Fourier transform.
    k : array ``(K, 2)``, optional
        Wave vectors in units of ``2 pi / a``; default :func:`k_path` (16 points).
    bands : int, default 4
    plane_waves : int, default 121
        ``(2N + 1)^2`` reciprocal vectors.
    polarization : {"TM", "TE"}
        TM: E along the rods (the default, fast to converge); TE: H along them, slower to
        converge with ``plane_waves``.

    Returns
    -------
    array ``(B?, K, bands)``, float64

    Examples
    --------
    >>> omega = band_structure(rod=(12.0, 0.2), k=[[0.5, 0.5], [0.5, 0.0]], bands=2)
    >>> np.round(omega, 3).tolist()  # M: top of band 1; X: bottom of band 2
    [[0.281, 0.496], [0.242, 0.417]]
    """
    polarization = check_choice("polarization", polarization, POLARIZATIONS)
    bands = check_positive_int("bands", bands)
    vectors = reciprocal_vectors(plane_waves)
    k = k_path().k if k is None else np.asarray(k, dtype=np.float64)
    if k.ndim != 2 or k.shape[1] != 2:
        raise ValueError("`k` must be an array of shape (K, 2). " + received(k_shape=k.shape))
    differences = vectors[:, None, :] - vectors[None, :, :]  # G - G', (P, P, 2)
    if (cell is None) == (rod is None):
        raise ValueError("Give exactly one of `cell` and `rod`. " + received(cell=cell, rod=rod))
    if rod is not None:
        coefficients = rod_fourier(*rod, differences)
    else:
        coefficients = cell_fourier(_check_cells(cell), differences)
    solve = tm_bands if polarization == "TM" else te_bands
    return solve(coefficients, vectors, k, min(bands, len(vectors)))


def band_edges(omega: np.ndarray) -> np.ndarray:
    """``(top of band 1, bottom of band 2)`` from ``omega (..., K, bands >= 2)``: ``(..., 2)``.

    >>> band_edges(np.array([[0.0, 0.5], [0.3, 0.4]])).tolist()
    [0.3, 0.4]
    """
    return np.stack([omega[..., 0].max(axis=-1), omega[..., 1].min(axis=-1)], axis=-1)


def _check_cells(cell) -> np.ndarray:
    cells = np.asarray(cell, dtype=np.float64)
    if cells.ndim not in (2, 3) or cells.shape[-1] != cells.shape[-2]:
        raise ValueError(
            "`cell` must be a square picture (M, M) or a batch of them (B, M, M). "
            + received(cell_shape=cells.shape)
        )
    if not np.all(np.isfinite(cells)) or np.any(cells <= 0):
        raise ValueError(
            "`cell` must hold positive finite permittivities. " + received(min=cells.min())
        )
    return cells
