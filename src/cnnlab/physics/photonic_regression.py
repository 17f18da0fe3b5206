"""Band edges from a unit cell's picture: the CNN, its symmetries, and the intensity-only controls.

The network regresses the logarithms of the two edges (top of band 1, bottom of band 2),
standardised: a squared error in ``log omega`` is a squared fractional error at every
frequency. Every symmetry of the lattice (a roll of the periodic cell, the square's 8
rotations and mirrors) maps a cell to one with the same band edges. The predictions undo
rolls exactly: every picture is rolled to a canonical origin before the network sees it
(:func:`align_cells`). Training turns and mirrors every cell at random in every batch
(augmentation), and :func:`predict_edges` averages over the 8 rotations and mirrors
(symmetrisation): its prediction is exactly invariant under the lattice's symmetries.

The controls see only the histogram of the picture: a least-squares fit of the log edges
on ``<eps>`` and ``<1/eps>`` (which, for two phases, fix the inclusion's permittivity and
its fill fraction), and the same CNN trained and tested on cells whose pixels are shuffled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Console

from .._validation import check_positive_float, check_positive_int
from ..models.photonic_net import photonic_cnn
from ..nn import MSELoss
from ..nn.module import Module
from ..optim import Adam, CosineAnnealingLR
from ..train import History, fit
from ..train.evaluate import training_mode
from .photonic_cells import PhotonicCells, gap_of

#: Pixel scale of the network's input: permittivities 1-16 become 0-1.
EPS_SCALE = 15.0


def square_symmetries(cells: np.ndarray) -> list[np.ndarray]:
    """The 8 images of ``cells (..., M, M)`` under the square's rotations and mirrors.

    >>> [image.tolist() for image in square_symmetries(np.array([[1, 2], [3, 4]]))][:2]
    [[[1, 2], [3, 4]], [[2, 4], [1, 3]]]
    """
    rotations = [np.rot90(cells, turn, axes=(-2, -1)) for turn in range(4)]
    return rotations + [np.swapaxes(image, -1, -2) for image in rotations]


def align_cells(cells: np.ndarray) -> np.ndarray:
    """Each picture ``(..., M, M)`` rolled to a canonical origin: invariance to rolls.

    Along each axis the roll sets the phase of the first Fourier harmonic of the
    picture's profile, rounded to the pixel, to zero; rolling the input first changes that
    phase by whole pixels, so the aligned picture is the same. A cell with a centre of
    symmetry on a pixel ends with it at pixel 0 or ``M / 2``, far from a rounding
    boundary. Where the first harmonic vanishes (it does for some symmetric binary cells)
    the second or else the fourth sets the phase: the aligned picture is then fixed up to
    a roll by ``M / 2`` or ``M / 4``, which :func:`~cnnlab.models.photonic_net.photonic_cnn`
    (total stride 8) does not see on 32x32 cells.

    >>> cell = np.zeros((8, 8)); cell[2:4, 5] = 1
    >>> bool(np.array_equal(align_cells(cell), align_cells(np.roll(cell, (3, 1), (0, 1)))))
    True
    """
    size = cells.shape[-1]
    flat = cells.reshape(-1, size, size)
    index = np.arange(size)
    rows = (index[None, :] + _phase_shift(flat.sum(axis=2, dtype=np.float64))[:, None]) % size
    cols = (index[None, :] + _phase_shift(flat.sum(axis=1, dtype=np.float64))[:, None]) % size
    aligned = flat[np.arange(len(flat))[:, None, None], rows[:, :, None], cols[:, None, :]]
    return aligned.reshape(cells.shape)


def _phase_shift(profiles: np.ndarray) -> np.ndarray:
    """The roll ``(N,)`` that zeroes the phase of each profile's first non-vanishing harmonic."""
    size = profiles.shape[-1]
    shift = np.zeros(len(profiles), dtype=int)
    found = np.zeros(len(profiles), dtype=bool)
    for harmonic in (1, 2, 4):
        wave = np.exp(-2j * np.pi * harmonic * np.arange(size) / size)
        amplitude = profiles @ wave
        usable = ~found & (np.abs(amplitude) > 1e-9 * np.abs(profiles).sum(axis=1))
        phase = np.rint(-np.angle(amplitude) * size / (2 * np.pi * harmonic)).astype(int)
        shift[usable] = phase[usable]
        found |= usable
    return shift


def random_symmetry(cells: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each cell of a batch ``(N, C, M, M)`` under its own random rotation or mirror, aligned.

    (A roll would change nothing after :func:`align_cells`.)
    """
    out = np.empty_like(cells)
    for index, (turn, mirror) in enumerate(rng.integers(0, (4, 2), (len(cells), 2))):
        image = np.rot90(cells[index], turn, axes=(-2, -1))
        out[index] = np.swapaxes(image, -1, -2) if mirror else image
    return align_cells(out)


def shuffle_pixels(cells: np.ndarray, rng=None) -> np.ndarray:
    """Each picture's pixels in a random order: the same histogram, no shape."""
    rng = np.random.default_rng(rng)
    flat = cells.reshape(len(cells), -1)
    order = np.argsort(rng.random(flat.shape), axis=1)
    return np.take_along_axis(flat, order, axis=1).reshape(cells.shape)


@dataclass(frozen=True)
class EdgeScale:
    """The standardisation of ``log(edges)``: ``target = (log(edge) - mean) / std``."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def of(cls, edges: np.ndarray) -> EdgeScale:
        logs = np.log(edges)
        return cls(logs.mean(axis=0), logs.std(axis=0))

    def target(self, edges: np.ndarray) -> np.ndarray:
        return ((np.log(edges) - self.mean) / self.std).astype(np.float32)

    def edges(self, target: np.ndarray) -> np.ndarray:
        return np.exp(np.asarray(target, dtype=np.float64) * self.std + self.mean)


def network_input(cells: np.ndarray) -> np.ndarray:
    """Permittivity pictures aligned (:func:`align_cells`) and scaled: ``(eps - 1) / 15``."""
    cells = align_cells(np.asarray(cells, dtype=np.float32))
    return ((cells - 1) / EPS_SCALE).astype(np.float32)


def train_edge_regressor(
    train: PhotonicCells,
    *,
    epochs: int = 20,
    batch_size: int = 32,
    lr: float = 2e-3,
    augment: bool = True,
    rng: np.random.Generator | int | None = 0,
    quiet: bool = True,
    console: Console | None = None,
) -> tuple[Module, EdgeScale, History]:
    """Train :func:`~cnnlab.models.photonic_net.photonic_cnn` on the cells' log band edges.

    Adam with a cosine schedule from ``lr`` to 0; with ``augment``, every training cell is
    turned or mirrored at random in every batch (a symmetry of its labels), then aligned.

    Returns
    -------
    (model, scale, history)

    Examples
    --------
    >>> from cnnlab.physics.photonic_cells import make_photonic_cells
    >>> data = make_photonic_cells(16, 16, plane_waves=25, k_points=8, cache=False)
    >>> model, scale, history = train_edge_regressor(data, epochs=1)
    >>> predict_edges(model, scale, data.cells[:3]).shape
    (3, 2)
    """
    if not isinstance(train, PhotonicCells):
        raise TypeError(
            "`train` must be PhotonicCells (from make_photonic_cells). "
            f"Received: train of type {type(train).__name__}."
        )
    epochs = check_positive_int("epochs", epochs)
    rng = np.random.default_rng(rng)
    scale = EdgeScale.of(train.edges)
    model = photonic_cnn(2, rng)
    optimizer = Adam(model.parameters(), lr=check_positive_float("lr", lr))
    history = fit(
        model,
        MSELoss(),
        optimizer,
        (network_input(train.cells), scale.target(train.edges)),
        epochs=epochs,
        batch_size=batch_size,
        rng=rng,
        scheduler=CosineAnnealingLR(optimizer, epochs),
        transform=random_symmetry if augment else None,
        quiet=quiet,
        console=console,
    )
    return model, scale, history


def predict_edges(
    model: Module, scale: EdgeScale, cells, *, symmetrise: bool = True, batch_size: int = 256
) -> np.ndarray:
    """Band edges ``(N, 2)`` that ``model`` reads off ``cells (N, 1, M, M)`` (permittivities).

    Each cell is aligned first (:func:`align_cells`), so a rolled cell gets exactly the
    same prediction. With ``symmetrise`` the prediction is the mean over the 8 rotations
    and mirrors of each cell (of the standardised log edges), the same for all 8.
    """
    cells = np.asarray(cells, dtype=np.float32)
    operations = square_symmetries(cells)[: 8 if symmetrise else 1]
    images = [network_input(image) for image in operations]
    with training_mode(model, False):
        targets = [
            np.concatenate([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
            for x in images
        ]
    return scale.edges(np.mean(targets, axis=0))


def fit_on_histogram(train: PhotonicCells, degree: int = 4):
    """The intensity-only fit: a polynomial in ``log <eps>`` and ``log <1/eps>`` for each log edge.

    Returns a function ``cells -> edges (N, 2)``.
    """
    degree = check_positive_int("degree", degree)

    def features(cells) -> np.ndarray:
        flat = np.asarray(cells, dtype=np.float64).reshape(len(cells), -1)
        u, v = np.log(flat.mean(axis=1)), np.log((1 / flat).mean(axis=1))
        return np.stack([u**i * v**j for i in range(degree + 1) for j in range(degree + 1 - i)], 1)

    coefficients, *_ = np.linalg.lstsq(features(train.cells), np.log(train.edges), rcond=None)
    return lambda cells: np.exp(features(cells) @ coefficients)


@dataclass(frozen=True)
class EdgeScores:
    """How well predicted band edges match the true ones.

    ``fractional`` ``(2,)``: the mean of ``|predicted / true - 1|`` for the top of band 1
    and the bottom of band 2; ``r2`` ``(2,)``: their coefficients of determination;
    ``gap_accuracy``: the fraction of cells whose gap / no-gap the predicted edges call
    right; ``gap_error``: the mean absolute error of the gap (in ``omega a / 2 pi c``).
    """

    fractional: tuple[float, float]
    r2: tuple[float, float]
    gap_accuracy: float
    gap_error: float


def score_edges(true: np.ndarray, predicted: np.ndarray) -> EdgeScores:
    """:class:`EdgeScores` of ``predicted`` against ``true``, both ``(N, 2)``.

    >>> score_edges(np.array([[0.3, 0.4], [0.3, 0.2]]), np.array([[0.3, 0.4], [0.3, 0.2]])).r2
    (1.0, 1.0)
    """
    true, predicted = np.asarray(true, np.float64), np.asarray(predicted, np.float64)
    fractional = np.mean(np.abs(predicted / true - 1), axis=0)
    residual = np.sum((predicted - true) ** 2, axis=0)
    total = np.sum((true - true.mean(axis=0)) ** 2, axis=0)
    r2 = 1 - residual / np.where(total > 0, total, 1.0)
    accuracy = np.mean((gap_of(predicted) > 0) == (gap_of(true) > 0))
    gap_error = np.mean(np.abs(gap_of(predicted) - gap_of(true)))
    return EdgeScores(
        (float(fractional[0]), float(fractional[1])),
        (float(r2[0]), float(r2[1])),
        float(accuracy),
        float(gap_error),
    )
