"""Equilibrium configurations of the 2-D Ising model, many temperatures at once, cached.

``sample_ising`` runs ``chains`` independent chains per temperature in one int8 array:
every sweep is a checkerboard Metropolis sweep of all chains plus, for the chains within
``cluster_window`` of Tc, a Wolff (or Swendsen-Wang) cluster update against critical
slowing down.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._validation import (
    check_array,
    check_choice,
    check_even_int,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    received,
)
from ..data import Dataset, cache_dir
from ..serialization import write_atomically
from .exact import TC
from .updates import (
    checkerboard,
    metropolis_sweep,
    neighbour_sum,
    swendsen_wang_update,
    wolff_update,
)

CACHE_VERSION = 1
CLASSES = ("ordered", "disordered")
#: Cluster updates ``sample_ising`` can add near Tc.
CLUSTER_UPDATES = {"wolff": wolff_update, "swendsen-wang": swendsen_wang_update}


@dataclass(frozen=True)
class IsingSamples:
    """Spin configurations ``(N, 1, L, L)`` float32 in {-1, +1} and their temperatures ``(N,)``.

    Examples
    --------
    >>> samples = IsingSamples(np.ones((2, 1, 4, 4), np.float32), np.array([1.0, 3.0]))
    >>> samples.magnetization(), samples.energy()
    (array([1., 1.]), array([-2., -2.]))
    >>> samples.labelled().labels   # 0: ordered (T < Tc), 1: disordered
    array([0, 1])
    """

    spins: np.ndarray
    temperatures: np.ndarray

    def __len__(self) -> int:
        return len(self.temperatures)

    @property
    def images(self) -> np.ndarray:
        """The spins, under the name a ``Dataset`` uses."""
        return self.spins

    @property
    def size(self) -> int:
        return self.spins.shape[-1]

    def magnetization(self) -> np.ndarray:
        """Magnetisation per spin of each configuration, ``(N,)`` float64."""
        return self.spins.mean(axis=(1, 2, 3), dtype=np.float64)

    def energy(self) -> np.ndarray:
        """Energy per spin of each configuration, ``-sum_<ij> s_i s_j / L^2``."""
        s = self.spins[:, 0].astype(np.float64)
        bonds = s * np.roll(s, -1, axis=-1) + s * np.roll(s, -1, axis=-2)
        return -bonds.mean(axis=(1, 2))

    def labelled(self, tc: float = TC) -> Dataset:
        """A ``Dataset`` with label 0 ("ordered") below ``tc`` and 1 ("disordered") above."""
        labels = (self.temperatures >= tc).astype(np.int64)
        return Dataset(self.spins, labels, CLASSES)


def sample_ising(
    temperatures,
    size: int = 32,
    per_temperature: int = 200,
    chains: int = 50,
    equilibration: int = 300,
    gap: int = 20,
    cluster_window: float = 0.4,
    cluster: str = "wolff",
    rng: np.random.Generator | int | None = 0,
    cache: bool | str | Path = True,
    progress: Callable[[int, int], None] | None = None,
) -> IsingSamples:
    """Equilibrium configurations of the ferromagnetic square-lattice Ising model.

    ``chains`` independent chains per temperature start cold (all +1) below Tc and hot
    (random) above it, run ``equilibration`` sweeps, then keep one configuration every
    ``gap`` sweeps until ``per_temperature`` are kept. A sweep is one checkerboard
    Metropolis sweep of every chain and, for chains with ``|T - Tc| <= cluster_window``,
    one cluster update too (Wolff's by default). Each kept configuration is multiplied by a
    random global sign, an exact symmetry that a cold-started chain below Tc never
    samples by itself at these sizes.

    Parameters
    ----------
    temperatures : sequence of positive floats
    size : int, default 32
        Lattice side ``L`` (even: the checkerboard needs two sublattices).
    per_temperature : int, default 200
    chains : int, default 50
        Independent chains per temperature (fewer when ``per_temperature`` is smaller).
    equilibration, gap : int
        Sweeps before the first kept configuration, and between kept configurations.
    cluster_window : float, default 0.4
        Temperatures this close to Tc also get cluster updates (0 switches them off).
    cluster : {"wolff", "swendsen-wang"}, default "wolff"
        The cluster update: Wolff flips the cluster of one random site, Swendsen-Wang
        flips every cluster with probability 1/2.
    rng : int, Generator or None, default 0
        The seed; same seed, same configurations.
    cache : bool or path, default True
        Keep the result in ``cache_dir() / "ising"`` (or this folder), under a name made
        from every parameter, and read it from there next time. Only an int seed caches.
    progress : callable, optional
        Called as ``progress(sweeps_done, sweeps_total)`` after every sweep.

    Returns
    -------
    IsingSamples
        Grouped by temperature, in the order given: ``per_temperature`` each.

    Examples
    --------
    >>> samples = sample_ising([1.5, 3.5], size=8, per_temperature=4, chains=2,
    ...                        equilibration=20, gap=2, cache=False)
    >>> samples.spins.shape, samples.temperatures.tolist()
    ((8, 1, 8, 8), [1.5, 1.5, 1.5, 1.5, 3.5, 3.5, 3.5, 3.5])
    >>> bool(abs(samples.magnetization()[:4]).min() > 0.8)
    True
    """
    temps = check_array("temperatures", temperatures, ndim=(0, 1), allow_complex=False)
    temps = np.atleast_1d(temps).astype(np.float64)
    if temps.size == 0 or not np.all(np.isfinite(temps)) or np.any(temps <= 0):
        raise ValueError(
            "`temperatures` must be one or more positive finite numbers. "
            + received(temperatures=temperatures)
        )
    params = {
        "version": CACHE_VERSION,
        "temperatures": [round(float(t), 10) for t in temps],
        "size": check_even_int("size", size, minimum=4),
        "per_temperature": check_positive_int("per_temperature", per_temperature),
        "chains": min(check_positive_int("chains", chains), per_temperature),
        "equilibration": check_non_negative_int("equilibration", equilibration),
        "gap": check_positive_int("gap", gap),
        "cluster_window": check_positive_float("cluster_window", cluster_window, allow_zero=True),
        "cluster": check_choice("cluster", cluster, tuple(CLUSTER_UPDATES)),
        "seed": rng if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) else None,
    }
    path = _cache_path(cache, params)
    if path is not None and path.is_file():
        with np.load(path) as stored:
            return IsingSamples(stored["spins"], stored["temperatures"])
    samples = _simulate(temps, params, np.random.default_rng(rng), progress)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.savez(buffer, spins=samples.spins, temperatures=samples.temperatures)
        write_atomically(path, buffer.getvalue())
    return samples


def _cache_path(cache: bool | str | Path, params: dict) -> Path | None:
    if cache is False or params["seed"] is None:
        return None
    folder = cache_dir() / "ising" if cache is True else Path(cache)
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:20]
    return folder / f"ising-L{params['size']}-{key}.npz"


def _simulate(temps: np.ndarray, params: dict, rng: np.random.Generator, progress) -> IsingSamples:
    size, chains, per_t = params["size"], params["chains"], params["per_temperature"]
    kept_per_chain = -(-per_t // chains)
    chain_temps = np.repeat(temps, chains)
    betas = 1.0 / chain_temps
    spins = np.ones((len(chain_temps), size, size), dtype=np.int8)
    hot = chain_temps >= TC
    spins[hot] = np.where(rng.random((int(hot.sum()), size, size)) < 0.5, 1, -1)
    critical = np.flatnonzero(np.abs(chain_temps - TC) <= params["cluster_window"])
    masks = checkerboard(size)
    cluster_update = CLUSTER_UPDATES[params["cluster"]]
    total = params["equilibration"] + kept_per_chain * params["gap"]
    kept = np.empty((kept_per_chain, *spins.shape), dtype=np.int8)
    for sweep in range(1, total + 1):
        metropolis_sweep(spins, betas, rng, masks)
        if critical.size:
            part = spins[critical]
            cluster_update(part, betas[critical], rng)
            spins[critical] = part
        after = sweep - params["equilibration"]
        if after > 0 and after % params["gap"] == 0:
            kept[after // params["gap"] - 1] = spins
        if progress is not None:
            progress(sweep, total)
    # (kept, T*chains, L, L) -> per temperature: its chains' configurations, sample-major
    kept = kept.reshape(kept_per_chain, len(temps), chains, size, size).transpose(1, 0, 2, 3, 4)
    kept = kept.reshape(len(temps), kept_per_chain * chains, size, size)[:, :per_t]
    signs = rng.choice(np.array([-1, 1], dtype=np.int8), size=(len(temps), per_t, 1, 1))
    configurations = (kept * signs).reshape(-1, 1, size, size).astype(np.float32)
    return IsingSamples(configurations, np.repeat(temps, per_t))


def energy_and_magnetization(spins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Energy and magnetisation per spin of int8 lattices ``(C, L, L)`` (for diagnostics)."""
    s = spins.astype(np.float64)
    return -(s * neighbour_sum(spins)).mean(axis=(-2, -1)) / 2, s.mean(axis=(-2, -1))


def binder_cumulant(magnetization) -> float:
    """``U = 1 - <m^4> / (3 <m^2>^2)``: 2/3 deep in the ordered phase, 0 in the disordered.

    Curves of ``U(T)`` for different lattice sizes cross near Tc.

    >>> round(binder_cumulant([1.0, -1.0]), 4)
    0.6667
    """
    m = check_array("magnetization", magnetization, ndim=1, allow_complex=False).astype(np.float64)
    return float(1 - np.mean(m**4) / (3 * np.mean(m**2) ** 2))
