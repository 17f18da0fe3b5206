"""Two-beam interference fringes: images with a known spacing, and a Fourier estimate of it.

Two coherent beams of intensities I1 and I2 and phase difference delta make

    I = I1 + I2 + 2 sqrt(I1 I2) cos(delta) = I0 (1 + V cos(delta)),

with mean intensity I0 = I1 + I2 and visibility V = 2 sqrt(I1 I2) / (I1 + I2) =
(Imax - Imin) / (Imax + Imin). Two plane waves crossing at a small angle give straight
fringes, ``delta = 2 pi (x cos(theta) + y sin(theta)) / spacing + phi``; a plane wave and a
conical wave (an axicon) give circular fringes of constant spacing,
``delta = 2 pi r / spacing + phi`` with r the distance from the rings' centre, so that
"the spacing" is one number for both kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import (
    check_choice,
    check_float_array,
    check_interval,
    check_positive_float,
    check_positive_int,
    received,
)

#: Default range of fringe spacings, in pixels (on 64x64 images: 4 to 16 fringes across).
SPACING = (4.0, 16.0)
#: Default range of visibilities: from barely visible fringes to full contrast.
VISIBILITY = (0.02, 1.0)
#: The geometries ``make_fringes`` draws; "mixed" is half of each.
KINDS = ("straight", "circular", "mixed")
#: Images computed at once (bounds the memory of the float64 intermediates).
CHUNK = 512


def two_beam_intensity(i1, i2, phase):
    """``I1 + I2 + 2 sqrt(I1 I2) cos(phase)``: the intensity where two coherent beams meet.

    >>> two_beam_intensity(1.0, 1.0, np.array([0.0, np.pi]))   # full contrast: 4 and 0
    array([4., 0.])
    """
    return i1 + i2 + 2 * np.sqrt(i1 * i2) * np.cos(phase)


def fringe_visibility(i1, i2):
    """Fringe visibility ``V = 2 sqrt(I1 I2) / (I1 + I2)`` of two beams (1 when they are equal).

    >>> float(fringe_visibility(1.0, 1.0)), round(float(fringe_visibility(1.0, 0.01)), 4)
    (1.0, 0.198)
    """
    return 2 * np.sqrt(i1 * i2) / (i1 + i2)


def beam_intensities(visibility, mean_intensity=1.0):
    """The beams ``(I1, I2)``, ``I1 >= I2``, with ``I1 + I2 = mean_intensity`` and this visibility.

    >>> i1, i2 = beam_intensities(0.6)
    >>> round(float(i1), 4), round(float(i2), 4), round(float(fringe_visibility(i1, i2)), 4)
    (0.9, 0.1, 0.6)
    """
    root = np.sqrt(1 - np.square(visibility))
    return mean_intensity * (1 + root) / 2, mean_intensity * (1 - root) / 2


def spacing_to_target(spacing, spacing_range=SPACING) -> np.ndarray:
    """The regression target: log spacing, mapped so that the range ``(lo, hi)`` is [-1, 1].

    ``t = log(spacing / sqrt(lo hi)) / log(sqrt(hi / lo))``; a squared error in ``t`` is
    about a squared relative error in the spacing, the same at every spacing.

    >>> spacing_to_target([4.0, 8.0, 16.0])
    array([-1.,  0.,  1.])
    """
    lo, hi = spacing_range
    return np.log(np.asarray(spacing, dtype=np.float64) / np.sqrt(lo * hi)) / np.log(
        np.sqrt(hi / lo)
    )


def target_to_spacing(target, spacing_range=SPACING) -> np.ndarray:
    """The spacing in pixels of a regression target (the inverse of :func:`spacing_to_target`).

    >>> target_to_spacing([-1.0, 0.5])
    array([ 4.       , 11.3137085])
    """
    lo, hi = spacing_range
    return np.sqrt(lo * hi) * np.sqrt(hi / lo) ** np.asarray(target, dtype=np.float64)


def standardize(images) -> np.ndarray:
    """Each image minus its mean, over its standard deviation (a constant image becomes 0).

    >>> standardize(np.array([[[[1.0, 3.0]]]], dtype=np.float32))
    array([[[[-1.,  1.]]]], dtype=float32)
    """
    x = check_float_array("images", images)
    axes = tuple(range(1, x.ndim))
    centred = x - x.mean(axis=axes, keepdims=True)
    std = centred.std(axis=axes, keepdims=True)
    return centred / np.where(std > 0, std, 1)


@dataclass(frozen=True)
class Fringes:
    """Fringe images ``(N, 1, S, S)`` float32 and the parameters each was drawn with.

    ``spacing`` (pixels), ``visibility``, ``angle`` (radians, the fringe normal's direction;
    0 for circular fringes), ``phase`` (radians), ``centre`` ``(N, 2)`` (row, column of
    the rings' centre; the image's middle for straight fringes) and ``kind`` ("straight" or
    "circular") are ``(N,)`` arrays; ``spacing_range`` is the range the spacings came from.
    """

    images: np.ndarray
    spacing: np.ndarray
    visibility: np.ndarray
    angle: np.ndarray
    phase: np.ndarray
    centre: np.ndarray
    kind: np.ndarray
    spacing_range: tuple[float, float] = SPACING

    def __len__(self) -> int:
        return len(self.spacing)

    @property
    def size(self) -> int:
        return self.images.shape[-1]

    def targets(self) -> np.ndarray:
        """The regression targets ``(N, 1)`` float32 (:func:`spacing_to_target`)."""
        return spacing_to_target(self.spacing, self.spacing_range).astype(np.float32)[:, None]

    def training_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """``(inputs, targets)`` for :func:`cnnlab.train.fit` with ``MSELoss``.

        Inputs are the images standardised one by one (:func:`standardize`), so faint and
        clear fringes reach the network on the same scale; targets are :meth:`targets`.
        """
        return standardize(self.images), self.targets()


def make_fringes(
    n: int,
    *,
    size: int = 64,
    kind: str = "mixed",
    spacing: tuple[float, float] = SPACING,
    visibility: tuple[float, float] = VISIBILITY,
    noise: float = 0.1,
    photons: float | None = 100.0,
    rng: np.random.Generator | int | None = None,
) -> Fringes:
    """Images of two-beam interference with random spacing, tilt, phase, visibility and noise.

    Each image is ``I0 (1 + V cos(delta))`` with ``I0 = 1`` (see the module's docstring),
    sampled at pixel centres, then photon noise (Poisson counts of ``photons`` per pixel at
    ``I0``) and additive Gaussian noise of standard deviation ``noise * I0`` (camera read
    noise). The spacing and the visibility are drawn log-uniformly in their ranges (so
    faint fringes are as common as clear ones per factor of contrast); the tilt of straight
    fringes and the phase uniformly; the centre of circular fringes uniformly within
    ``size / 8`` of the middle.

    Parameters
    ----------
    n : int
        Number of images.
    size : int, default 64
        Image side in pixels.
    kind : {"straight", "circular", "mixed"}, default "mixed"
        "mixed" draws each image's geometry with probability 1/2.
    spacing : (lo, hi), default (4, 16)
        Spacing range in pixels: ``lo >= 2`` (the sampling limit) and ``hi <= size``.
    visibility : (lo, hi), default (0.02, 1)
        Visibility range, within (0, 1].
    noise : float, default 0.1
        Gaussian noise, as a fraction of the mean intensity (0 for none).
    photons : float or None, default 100
        Mean photon count per pixel; ``None`` for no photon noise.
    rng : int, Generator or None
        The seed; same seed, same images.

    Returns
    -------
    Fringes

    Examples
    --------
    >>> fringes = make_fringes(4, size=32, kind="straight", noise=0, photons=None, rng=0)
    >>> fringes.images.shape, fringes.images.dtype, fringes.kind.tolist()
    ((4, 1, 32, 32), dtype('float32'), ['straight', 'straight', 'straight', 'straight'])
    >>> bool(np.all(np.abs(fringes.images[:, 0] - 1) <= fringes.visibility[:, None, None]))
    True
    """
    n = check_positive_int("n", n)
    size = check_positive_int("size", size)
    kind = check_choice("kind", kind, KINDS)
    lo, hi = check_interval("spacing", spacing)
    if lo < 2 or hi > size:
        raise ValueError(
            f"`spacing` must lie within [2, size={size}] pixels: fringes closer than 2 pixels "
            "cannot be sampled, and wider than the image are not fringes. "
            + received(spacing=spacing)
        )
    v_lo, v_hi = check_interval("visibility", visibility)
    if v_lo <= 0 or v_hi > 1:
        raise ValueError("`visibility` must lie within (0, 1]. " + received(visibility=visibility))
    noise = check_positive_float("noise", noise, allow_zero=True)
    if photons is not None:
        photons = check_positive_float("photons", photons)
    rng = np.random.default_rng(rng)

    spacings = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    visibilities = np.exp(rng.uniform(np.log(v_lo), np.log(v_hi), n))
    phases = rng.uniform(0, 2 * np.pi, n)
    if kind == "mixed":
        circular = rng.random(n) < 0.5
    else:
        circular = np.full(n, kind == "circular")
    angles = np.where(circular, 0.0, rng.uniform(0, np.pi, n))
    middle = (size - 1) / 2
    centres = np.full((n, 2), middle)
    centres[circular] += rng.uniform(-size / 8, size / 8, (int(circular.sum()), 2))

    images = np.empty((n, 1, size, size), dtype=np.float32)
    for start in range(0, n, CHUNK):
        part = slice(start, start + CHUNK)
        distance = _distance(size, circular[part], angles[part], centres[part])
        delta = 2 * np.pi * distance / spacings[part, None, None] + phases[part, None, None]
        i1, i2 = beam_intensities(visibilities[part, None, None])
        intensity = two_beam_intensity(i1, i2, delta)  # (chunk, S, S)
        if photons is not None:
            intensity = rng.poisson(intensity * photons) / photons
        if noise > 0:
            intensity += rng.normal(0.0, noise, intensity.shape)
        images[part, 0] = intensity
    return Fringes(
        images=images,
        spacing=spacings,
        visibility=visibilities,
        angle=angles,
        phase=phases,
        centre=centres,
        kind=np.where(circular, "circular", "straight"),
        spacing_range=(lo, hi),
    )


def _distance(size: int, circular, angles, centres) -> np.ndarray:
    """Per pixel ``(n, S, S)``: distance from the rings' centre, or along the fringe normal."""
    dy = np.arange(size)[None, :, None] - centres[:, 0, None, None]
    dx = np.arange(size)[None, None, :] - centres[:, 1, None, None]
    along_normal = dx * np.cos(angles)[:, None, None] + dy * np.sin(angles)[:, None, None]
    return np.where(circular[:, None, None], np.hypot(dx, dy), along_normal)
