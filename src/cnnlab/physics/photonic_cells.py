"""Random two-phase unit cells of square-lattice photonic crystals, with their TM band edges.

A cell is a ``size x size`` picture of the permittivity: background ``eps = 1`` (air) and
one inclusion material. Its shape is a random Fourier sum thresholded at the level that
fills the wanted fraction,

    s(x, y) = sum_{m, n <= modes} c_mn cos(2 pi m x / a) cos(2 pi n y / a),   c_mn = c_nm,

which is unchanged by the 8 symmetry operations of the square about the cell's origin
(x -> -x, y -> -y, x <-> y), so that Gamma-X-M-Gamma holds the band edges of the whole
zone. The bands are found with the origin on pixel (0, 0), where the permittivity's
Fourier coefficients are real (a real symmetric eigenproblem, several times faster than a
complex one); then the origin moves to a random pixel (a roll, which changes no band). Few
modes draw isolated rods, which open TM gaps; more modes draw connected veins, which do
not: the point of the experiment is that the picture's shape, not its mean, decides.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from .._validation import check_interval, check_positive_int, received
from ..backend import parallel_for, single_threaded_blas
from ..data import cache_dir
from ..serialization import write_atomically
from .photonic import PLANE_WAVES, band_edges, band_structure, k_path

#: Default ranges: inclusion permittivity and fill fraction.
EPS_RANGE = (4.0, 16.0)
FILL_RANGE = (0.1, 0.6)
#: Cells labelled per call of the solver (bounds the memory of the (B, P, P) matrices).
CHUNK = 64
CACHE_VERSION = 1


@dataclass(frozen=True)
class PhotonicCells:
    """Unit-cell pictures and their lowest two TM bands along Gamma-X-M-Gamma.

    ``cells`` ``(N, 1, M, M)`` float32 permittivities; ``eps`` and ``fill`` ``(N,)`` the
    inclusion's permittivity and area fraction; ``bands`` ``(N, K, 2)`` in
    ``omega a / 2 pi c`` at the wave vectors of ``k_path(K)``.
    """

    cells: np.ndarray
    eps: np.ndarray
    fill: np.ndarray
    bands: np.ndarray

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, index) -> PhotonicCells:
        return PhotonicCells(
            self.cells[index], self.eps[index], self.fill[index], self.bands[index]
        )

    @property
    def edges(self) -> np.ndarray:
        """``(N, 2)``: the top of band 1 and the bottom of band 2."""
        return band_edges(self.bands)

    @property
    def gap(self) -> np.ndarray:
        """Bottom of band 2 minus top of band 1 (negative: the bands overlap, no gap)."""
        return gap_of(self.edges)

    @property
    def has_gap(self) -> np.ndarray:
        return self.gap > 0


def gap_of(edges: np.ndarray) -> np.ndarray:
    """Gap width from band edges ``(..., 2)``."""
    return edges[..., 1] - edges[..., 0]


def gap_midgap_ratio(edges: np.ndarray) -> np.ndarray:
    """Gap over midgap frequency ``2 (w2 - w1) / (w2 + w1)``, clipped at 0 (no gap).

    >>> float(gap_midgap_ratio(np.array([0.3, 0.5])))
    0.5
    """
    edges = np.asarray(edges, dtype=np.float64)
    return np.maximum(0.0, 2 * gap_of(edges) / edges.sum(axis=-1))


def random_shapes(count: int, size: int = 32, *, fill=FILL_RANGE, rng=None) -> np.ndarray:
    """``count`` boolean ``(size, size)`` inclusions, symmetric under the 8 operations about (0, 0).

    The fill fraction of each is drawn uniformly in ``fill`` (it is met to within the 8
    pixels that share a value by symmetry); 1 to 3 Fourier modes per axis, at random.

    >>> shapes = random_shapes(3, 16, rng=0)
    >>> shapes.shape, bool(np.all(shapes == np.swapaxes(shapes, 1, 2)))
    ((3, 16, 16), True)
    """
    count = check_positive_int("count", count)
    size = check_positive_int("size", size)
    low, high = _check_range("fill", fill, 0.0, 1.0)
    rng = np.random.default_rng(rng)
    # min(i, size - i): cosines equal to the bit at mirrored pixels, so ties stay ties
    x = np.minimum(np.arange(size), size - np.arange(size)) / size
    shapes = np.empty((count, size, size), dtype=bool)
    modes = rng.integers(1, 4, count)
    # keep the drawn fill away from the range's ends by the rounding of the symmetric threshold
    margin = min(8 / size**2, (high - low) / 4)
    targets = rng.uniform(low + margin, high - margin, count)
    for index in range(count):
        order = np.arange(modes[index] + 1)
        waves = np.cos(2 * np.pi * order[:, None] * x[None, :])  # (modes + 1, size)
        amplitude = rng.normal(size=(len(order), len(order))) / (1 + np.add.outer(order, order))
        amplitude[0, 0] = 0.0
        amplitude = amplitude + amplitude.T  # c_mn = c_nm: symmetric under x <-> y
        field = waves.T @ amplitude @ waves  # (y, x)
        field = field + field.T  # exactly symmetric under x <-> y, not just to rounding
        level = np.quantile(field, 1 - targets[index])
        shapes[index] = field > level
    return shapes


def roll_cells(cells: np.ndarray, rng=None) -> np.ndarray:
    """Each picture ``(..., M, M)`` of a batch rolled by its own random shift (periodic).

    >>> rolled = roll_cells(np.eye(4)[None], rng=0)
    >>> float(rolled.sum()), bool(np.all(rolled.sum(axis=-1) == 1))
    (4.0, True)
    """
    rng = np.random.default_rng(rng)
    rows, cols = cells.shape[-2:]
    flat = cells.reshape(-1, rows, cols)
    out = np.empty_like(flat)
    for index, (dy, dx) in enumerate(rng.integers(0, (rows, cols), (len(flat), 2))):
        out[index] = np.roll(flat[index], (dy, dx), axis=(0, 1))
    return out.reshape(cells.shape)


def make_photonic_cells(
    count: int,
    size: int = 32,
    *,
    eps=EPS_RANGE,
    fill=FILL_RANGE,
    plane_waves: int = PLANE_WAVES,
    k_points: int = 16,
    rng: np.random.Generator | int | None = 0,
    cache: bool | str | Path = True,
    progress: Callable[[int, int], None] | None = None,
) -> PhotonicCells:
    """Random two-phase cells (air and an inclusion) labelled with their TM bands 1 and 2.

    Parameters
    ----------
    count : int
    size : int, default 32
        Pixels per side of the cell.
    eps : (low, high), default (4, 16)
        The inclusion's permittivity, drawn uniformly per cell (the background is 1).
    fill : (low, high), default (0.1, 0.6)
        The inclusion's area fraction.
    plane_waves, k_points : int
        The solver's basis (:func:`~cnnlab.physics.photonic.band_structure`) and the number
        of wave vectors along Gamma-X-M-Gamma.
    rng : int, Generator or None, default 0
    cache : bool or path, default True
        Keep the result in ``cache_dir() / "photonic"`` (or this folder) under a name made
        from every parameter, and read it from there next time. Only an int seed caches.
    progress : callable, optional
        Called as ``progress(cells_done, count)``.

    Examples
    --------
    >>> data = make_photonic_cells(4, 16, plane_waves=25, k_points=8, cache=False)
    >>> data.cells.shape, data.bands.shape, data.edges.shape
    ((4, 1, 16, 16), (4, 8, 2), (4, 2))
    """
    params = {
        "version": CACHE_VERSION,
        "count": check_positive_int("count", count),
        "size": check_positive_int("size", size),
        "eps": list(_check_range("eps", eps, 1.0, np.inf)),
        "fill": list(_check_range("fill", fill, 0.0, 1.0)),
        "plane_waves": check_positive_int("plane_waves", plane_waves),
        "k_points": check_positive_int("k_points", k_points),
        "seed": int(rng) if _is_seed(rng) else None,
    }
    path = _cache_path(cache, params)
    if path is not None and path.is_file():
        with np.load(path) as stored:
            return PhotonicCells(*(stored[name] for name in ("cells", "eps", "fill", "bands")))
    rng = np.random.default_rng(rng)
    shapes = random_shapes(count, size, fill=fill, rng=rng)
    eps_inclusion = rng.uniform(*params["eps"], count)
    cells = np.where(shapes, eps_inclusion[:, None, None], 1.0)
    k = k_path(k_points).k
    bands = np.empty((count, len(k), 2))

    def solve(start: int, stop: int, part: int) -> None:
        bands[start:stop] = band_structure(cells[start:stop], k=k, bands=2, plane_waves=plane_waves)

    # one part per thread, each with BLAS on one thread: LAPACK's own threads on these
    # small matrices contend, ten times slower on a busy machine
    with single_threaded_blas():
        for start in range(0, count, CHUNK):
            stop = min(start + CHUNK, count)
            parallel_for(partial(_shifted, solve, start), stop - start)
            if progress is not None:
                progress(stop, count)
    cells = roll_cells(cells, rng)
    data = PhotonicCells(
        cells[:, None].astype(np.float32), eps_inclusion, shapes.mean(axis=(1, 2)), bands
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.savez(buffer, cells=data.cells, eps=data.eps, fill=data.fill, bands=data.bands)
        write_atomically(path, buffer.getvalue())
    return data


def _is_seed(rng) -> bool:
    return isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)


def _shifted(function, offset: int, start: int, stop: int, part: int) -> None:
    function(offset + start, offset + stop, part)


def _cache_path(cache: bool | str | Path, params: dict) -> Path | None:
    if cache is False or params["seed"] is None:
        return None
    folder = cache_dir() / "photonic" if cache is True else Path(cache)
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:20]
    return folder / f"photonic-{params['size']}-{key}.npz"


def _check_range(name: str, value, low: float, high: float) -> tuple[float, float]:
    lo, hi = check_interval(name, value)
    if lo < low or hi > high:
        raise ValueError(
            f"`{name}` must lie within [{low:g}, {high:g}]. " + received(**{name: value})
        )
    return lo, hi
