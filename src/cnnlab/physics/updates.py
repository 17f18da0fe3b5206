"""Monte Carlo updates of many Ising lattices at once: Metropolis, Wolff and Swendsen-Wang.

Spins are int8 arrays ``(C, L, L)`` of +-1: ``C`` independent chains (periodic
boundaries, J = 1), each with its own inverse temperature, so every temperature of an
experiment runs in the same array and one NumPy call updates all of them.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def neighbour_sum(spins: np.ndarray) -> np.ndarray:
    """Sum of the four nearest neighbours of every site (periodic boundaries).

    >>> neighbour_sum(np.ones((1, 4, 4), dtype=np.int8))[0, 0]
    array([4, 4, 4, 4], dtype=int8)
    """
    return (
        np.roll(spins, 1, axis=-1)
        + np.roll(spins, -1, axis=-1)
        + np.roll(spins, 1, axis=-2)
        + np.roll(spins, -1, axis=-2)
    )


def checkerboard(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The two sublattices of an even ``size x size`` lattice, as boolean masks."""
    rows, cols = np.indices((size, size))
    even = (rows + cols) % 2 == 0
    return even, ~even


def metropolis_sweep(
    spins: np.ndarray, betas: np.ndarray, rng: np.random.Generator, masks=None
) -> None:
    """One checkerboard Metropolis sweep of every chain, in place.

    A spin with neighbour sum ``h`` flips with probability ``min(1, exp(-2 b s h))``. With
    ``x = s h`` in {-4, -2, 0, 2, 4} that is 1 for ``x <= 0`` and a lookup of
    ``exp(-4b)`` or ``exp(-8b)`` otherwise, so no ``exp`` runs per site. The sites of one
    sublattice have no neighbours in it, so all of them update at once; then the other.

    Parameters
    ----------
    spins : int8 ndarray, shape ``(C, L, L)``, ``L`` even
    betas : ndarray, shape ``(C,)``
        Inverse temperature of each chain.
    rng : numpy.random.Generator
    masks : pair of boolean arrays, optional
        The sublattices (:func:`checkerboard`), computed when not given.

    Examples
    --------
    >>> spins = np.ones((3, 8, 8), dtype=np.int8)
    >>> metropolis_sweep(spins, np.full(3, 10.0), np.random.default_rng(0))
    >>> bool((spins == 1).all())   # far below Tc nothing flips
    True
    """
    if masks is None:
        masks = checkerboard(spins.shape[-1])
    betas = np.asarray(betas, dtype=np.float32).reshape(-1, 1, 1)
    p2, p4 = np.exp(-4 * betas), np.exp(-8 * betas)
    for mask in masks:
        x = spins * neighbour_sum(spins)
        r = rng.random(spins.shape, dtype=np.float32)
        flip = (r < np.where(x == 2, p2, p4)) | (x <= 0)
        flip &= mask
        np.negative(spins, out=spins, where=flip)


def fk_clusters(
    spins: np.ndarray, betas: np.ndarray, rng: np.random.Generator
) -> tuple[int, np.ndarray]:
    """Random Fortuin-Kasteleyn clusters of every chain: ``(count, labels)``.

    Equal neighbours are bonded with probability ``1 - exp(-2b)``; ``labels`` (shaped like
    ``spins``) numbers the connected clusters of bonded sites, all chains together, found
    by ``scipy.sparse.csgraph.connected_components``. Both cluster updates flip these.

    >>> count, labels = fk_clusters(np.ones((2, 4, 4), np.int8), np.full(2, 50.0),
    ...                             np.random.default_rng(0))
    >>> count, labels[0].ravel().tolist() == [0] * 16    # cold: one cluster per lattice
    (2, True)
    """
    sites = np.arange(spins.size).reshape(spins.shape)
    p_bond = (1 - np.exp(-2 * np.asarray(betas, dtype=np.float64))).reshape(-1, 1, 1)
    rows, cols = [], []
    for axis in (-1, -2):
        bonded = spins == np.roll(spins, -1, axis=axis)
        bonded &= rng.random(spins.shape) < p_bond
        rows.append(sites[bonded])
        cols.append(np.roll(sites, -1, axis=axis)[bonded])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), (spins.size,) * 2)
    count, labels = connected_components(graph.tocsr(), directed=False)
    return count, labels.reshape(spins.shape)


def wolff_update(spins: np.ndarray, betas: np.ndarray, rng: np.random.Generator) -> None:
    """One Wolff single-cluster update of every chain, in place.

    Wolff grows a cluster from a random seed site, adding each equal neighbour with
    probability ``1 - exp(-2b)``, and flips it. The grown cluster is exactly the seed's
    cluster among random bonds drawn on every equal pair (bonds elsewhere never reach it),
    so here the bonds of all chains are drawn at once (:func:`fk_clusters`) and each
    chain flips the cluster holding its seed: the same Markov chain, without a Python
    loop over sites. Near Tc the seed's cluster is large, so a few updates decorrelate a
    lattice where Metropolis needs ``~L^2.17`` sweeps (critical slowing down).

    Examples
    --------
    >>> spins = np.ones((2, 8, 8), dtype=np.int8)
    >>> wolff_update(spins, np.full(2, 50.0), np.random.default_rng(1))
    >>> spins.sum(axis=(1, 2)).tolist()    # cold: the whole lattice is one cluster, it flips
    [-64, -64]
    """
    count = spins.shape[0]
    if count == 0:
        return
    _, labels = fk_clusters(spins, betas, rng)
    flat = labels.reshape(count, -1)
    seeds = rng.integers(0, flat.shape[1], size=count)
    seed_labels = flat[np.arange(count), seeds]
    np.negative(spins, out=spins, where=(flat == seed_labels[:, None]).reshape(spins.shape))


def swendsen_wang_update(spins: np.ndarray, betas: np.ndarray, rng: np.random.Generator) -> None:
    """One Swendsen-Wang cluster update of every chain, in place.

    Every cluster of :func:`fk_clusters` flips with probability 1/2: the many-cluster
    relative of :func:`wolff_update`.

    Examples
    --------
    >>> spins = np.ones((2, 8, 8), dtype=np.int8)
    >>> swendsen_wang_update(spins, np.full(2, 10.0), np.random.default_rng(1))
    >>> [len(np.unique(s)) for s in spins]  # one cluster per lattice: it flips whole or not
    [1, 1]
    """
    if spins.shape[0] == 0:
        return
    clusters, labels = fk_clusters(spins, betas, rng)
    flips = rng.random(clusters) < 0.5
    np.negative(spins, out=spins, where=flips[labels])
