"""The Ising lattice gauge theory in 2-D: spins on the links, order only in the plaquettes.

A configuration of an ``L x L`` periodic lattice is an array ``(2, L, L)`` of +-1:
channel 0 holds the horizontal link from site ``(i, j)`` to ``(i, j+1)``, channel 1 the
vertical link from ``(i, j)`` to ``(i+1, j)``. The plaquette whose lower-left corner is
``(i, j)`` is the product of its four links::

        h[i+1, j]
      +-----------+
      |           |
    v[i, j]     v[i, j+1]
      |           |
      +-----------+
         h[i, j]

The energy ``-sum of plaquettes`` is unchanged by a gauge transformation: flipping the
four links around one site. Ground states (every plaquette +1) are the all-up state under
random gauge transformations; at T = infinity the links are independent coin flips. Each
link alone is +1 or -1 with probability 1/2 in both, so the magnetisation and every
single-link statistic are the same: only products around plaquettes tell the two apart.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive_int, check_probability, received

CLASSES = ("ground state", "T = infinity")


def plaquettes(links) -> np.ndarray:
    """The plaquette products of link configurations ``(N, 2, L, L)``: ``(N, L, L)`` of +-1.

    >>> plaquettes(np.ones((1, 2, 3, 3), np.int8)).tolist()
    [[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]
    """
    links = _check_links(links)
    h, v = links[:, 0], links[:, 1]
    return h * np.roll(h, -1, axis=-2) * v * np.roll(v, -1, axis=-1)


def gauge_transform(links, signs) -> np.ndarray:
    """Links ``(N, 2, L, L)`` after flipping the links around every site with ``signs = -1``.

    ``signs`` ``(N, L, L)`` of +-1: each link is multiplied by the signs of its two ends,
    which leaves every plaquette product unchanged (each site touches two links of a
    plaquette or none).

    >>> signs = np.ones((1, 3, 3), np.int8)
    >>> signs[0, 0, 0] = -1     # flip the four links that meet at site (0, 0)
    >>> links = gauge_transform(np.ones((1, 2, 3, 3), np.int8), signs)
    >>> int((links == -1).sum()), bool((plaquettes(links) == 1).all())
    (4, True)
    """
    links = _check_links(links)
    signs = np.asarray(signs, dtype=np.int8)
    if signs.shape != (links.shape[0], *links.shape[2:]) or not np.all(np.abs(signs) == 1):
        raise ValueError(
            "`signs` must hold one +1 or -1 per site of each configuration, shape (N, L, L). "
            + received(signs_shape=signs.shape, links_shape=links.shape)
        )
    right, up = np.roll(signs, -1, axis=-1), np.roll(signs, -1, axis=-2)
    return links * np.stack([signs * right, signs * up], axis=1)


def ground_states(count: int, size: int, rng=None) -> np.ndarray:
    """``count`` ground states ``(count, 2, size, size)`` int8: random gauge transformations
    of the all-up state, so every plaquette is +1.

    >>> states = ground_states(5, 8, rng=0)
    >>> bool((plaquettes(states) == 1).all()), states.shape
    (True, (5, 2, 8, 8))
    """
    count, size = check_positive_int("count", count), check_positive_int("size", size)
    rng = np.random.default_rng(rng)
    signs = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, size, size))
    return gauge_transform(np.ones((count, 2, size, size), dtype=np.int8), signs)


def random_links(count: int, size: int, rng=None) -> np.ndarray:
    """``count`` T = infinity states ``(count, 2, size, size)`` int8: independent random links.

    >>> abs(float(plaquettes(random_links(200, 8, rng=0)).mean())) < 0.05
    True
    """
    count, size = check_positive_int("count", count), check_positive_int("size", size)
    rng = np.random.default_rng(rng)
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, 2, size, size))


def flip_links(links, probability: float, rng=None) -> np.ndarray:
    """A copy of ``links`` with each link flipped independently with ``probability``.

    Starting from a ground state this violates a fraction ``(1 - (1 - 2p)^4) / 2`` of
    the plaquettes on average: 0 at ``p = 0``, 1/2 (a random state) at ``p = 1/2``.

    >>> bool((flip_links(np.ones((1, 2, 4, 4), np.int8), 1.0) == -1).all())
    True
    """
    links = _check_links(links)
    p = check_probability("probability", probability)
    flips = np.random.default_rng(rng).random(links.shape) < p
    return np.where(flips, -links, links).astype(np.int8)


def violated_fraction(links) -> np.ndarray:
    """The fraction of plaquettes that are -1 in each configuration, ``(N,)``."""
    return (plaquettes(links) < 0).mean(axis=(-2, -1))


def _check_links(links) -> np.ndarray:
    links = check_array("links", links, ndim=4, allow_complex=False)
    if links.shape[1] != 2:
        raise ValueError(
            "`links` must have 2 channels (horizontal and vertical links), shape (N, 2, L, L). "
            + received(links_shape=links.shape)
        )
    return links
