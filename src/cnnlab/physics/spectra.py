"""Synthetic 1-D spectra: Gaussian, Lorentzian and Voigt lines on a sloping, noisy baseline.

Two tasks, after Schuetzke et al. (npj Comput. Mater. 2023): tell the line shape of a
single peak (``task="shape"``), or count 1 to 3 Gaussian peaks (``task="count"``).

A Gaussian line is Doppler (inhomogeneous) broadening, a Lorentzian lifetime or pressure
(homogeneous) broadening, and a Voigt line their convolution, both at once. Every profile
here is parametrised by its centre and its full width at half maximum (FWHM) and is
``height`` at its centre, so the shape is all that tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import voigt_profile

from .._validation import (
    check_array,
    check_choice,
    check_positive_float,
    check_positive_int,
    check_probability,
    received,
)
from ..data import Dataset
from ..nn.init import default_rng

TASKS = ("shape", "count")
SHAPES = ("Gaussian", "Lorentzian", "Voigt")
COUNTS = ("1 peak", "2 peaks", "3 peaks")

#: The Olivero-Longbothum approximation of a Voigt FWHM from its parts (accurate to 0.02%):
#: ``f_V = 0.5346 f_L + sqrt(0.2166 f_L^2 + f_G^2)``.
_OLIVERO_L, _OLIVERO_LL = 0.5346, 0.2166
_FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


def gaussian(x, centre: float, fwhm: float, height: float = 1.0) -> np.ndarray:
    """``height * exp(-4 ln2 (x - centre)^2 / fwhm^2)``: a Gaussian line (Doppler broadening).

    >>> gaussian(np.array([0.0, 1.0, 2.0]), centre=1.0, fwhm=2.0).round(3)
    array([0.5, 1. , 0.5])
    """
    u = (np.asarray(x, dtype=np.float64) - centre) / fwhm
    return height * np.exp(-4.0 * np.log(2.0) * u * u)


def lorentzian(x, centre: float, fwhm: float, height: float = 1.0) -> np.ndarray:
    """``height / (1 + 4 (x - centre)^2 / fwhm^2)``: a Lorentzian line (lifetime broadening).

    >>> lorentzian(np.array([0.0, 1.0, 2.0]), centre=1.0, fwhm=2.0)
    array([0.5, 1. , 0.5])
    """
    u = (np.asarray(x, dtype=np.float64) - centre) / fwhm
    return height / (1.0 + 4.0 * u * u)


def voigt_widths(fwhm, lorentz_fraction: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The Gaussian and Lorentzian FWHMs ``(f_G, f_L)`` of a Voigt line of total ``fwhm``.

    ``lorentz_fraction`` is ``f_L / (f_G + f_L)``: 0 is a pure Gaussian, 1 a pure
    Lorentzian, and the default 1/2 gives both parts the same width, so both shape the
    line as much. The two are scaled together until the Olivero-Longbothum total width
    equals ``fwhm``.

    >>> f_gauss, f_lorentz = voigt_widths(1.0)
    >>> round(float(f_gauss), 4), round(float(f_lorentz), 4)
    (0.6107, 0.6107)
    """
    r = check_probability("lorentz_fraction", lorentz_fraction)
    scale = np.asarray(fwhm, dtype=np.float64) / (
        _OLIVERO_L * r + np.sqrt(_OLIVERO_LL * r * r + (1.0 - r) ** 2)
    )
    return (1.0 - r) * scale, r * scale


def voigt(
    x, centre: float, fwhm: float, height: float = 1.0, *, lorentz_fraction: float = 0.5
) -> np.ndarray:
    """A Voigt line: a Gaussian convolved with a Lorentzian, of total ``fwhm`` and peak ``height``.

    The parts' widths come from :func:`voigt_widths`; the profile itself is
    ``scipy.special.voigt_profile`` (the real part of the Faddeeva function), divided by
    its value at the centre.

    >>> x = np.array([-1.0, 0.0, 1.0])
    >>> voigt(x, 0.0, 2.0).round(4)                      # half height at +-fwhm/2
    array([0.5, 1. , 0.5])
    >>> np.allclose(voigt(x, 0.0, 2.0, lorentz_fraction=0.0), gaussian(x, 0.0, 2.0))
    True
    """
    f_gauss, f_lorentz = voigt_widths(fwhm, lorentz_fraction)
    sigma, gamma = f_gauss / _FWHM_PER_SIGMA, f_lorentz / 2.0
    u = np.asarray(x, dtype=np.float64) - centre
    return height * voigt_profile(u, sigma, gamma) / voigt_profile(0.0, sigma, gamma)


PROFILES = {"Gaussian": gaussian, "Lorentzian": lorentzian, "Voigt": voigt}


@dataclass(frozen=True)
class Spectra:
    """Normalised spectra ``(N, 1, L)`` float32, their labels, and what was drawn for each.

    ``centres``, ``fwhms`` and ``heights`` are ``(N, P)`` in points (before normalising;
    NaN where a spectrum has fewer than ``P`` peaks); ``offsets`` and ``slopes`` the
    baseline ``offset + slope * (x - L/2) / L``; ``sigmas`` the noise's standard deviation.

    Examples
    --------
    >>> data = make_spectra(6, length=64, rng=0)
    >>> data.spectra.shape, data.classes, data.labels.tolist()
    ((6, 1, 64), ('Gaussian', 'Lorentzian', 'Voigt'), [0, 2, 2, 1, 0, 1])
    >>> data.labelled().sample_shape
    (1, 64)
    """

    spectra: np.ndarray
    labels: np.ndarray
    classes: tuple[str, ...]
    task: str
    centres: np.ndarray
    fwhms: np.ndarray
    heights: np.ndarray
    offsets: np.ndarray
    slopes: np.ndarray
    sigmas: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def images(self) -> np.ndarray:
        """The spectra, under the name a ``Dataset`` uses."""
        return self.spectra

    @property
    def length(self) -> int:
        return self.spectra.shape[-1]

    def labelled(self) -> Dataset:
        """A ``Dataset`` of the spectra with their class labels."""
        return Dataset(self.spectra, self.labels, self.classes)


def make_spectra(
    n: int,
    *,
    task: str = "shape",
    noise: float = 0.02,
    length: int = 256,
    rng: np.random.Generator | int | None = None,
) -> Spectra:
    """Draw ``n`` spectra for a task, balanced over its three classes.

    Each spectrum is ``L = length`` points ``x = 0, 1, ..., L-1``. In units of ``L / 256``
    a peak's centre is drawn from U[64, 192] (the random shift), its FWHM from U[8, 24],
    and its height from U[0.5, 1.5]. The baseline is ``offset + slope * (x - L/2) / L``
    with ``offset`` and ``slope`` from U[-0.05, 0.05] and U[-0.1, 0.1]; the noise is
    Gaussian with standard deviation ``noise`` times the (tallest) peak's height. Last,
    each spectrum is normalised: its median subtracted, then divided by its maximum.

    Parameters
    ----------
    n : int
        Number of spectra; the labels are ``0, 1, 2, 0, 1, 2, ...`` shuffled.
    task : {"shape", "count"}
        ``"shape"``: one Gaussian, Lorentzian or Voigt line (:func:`voigt` with equal
        Gaussian and Lorentzian widths). ``"count"``: 1, 2 or 3 Gaussian lines whose
        centres lie at least the larger of their two FWHMs apart.
    noise : float, default 0.02
        Noise standard deviation relative to the peak height (0 for none).
    length : int, default 256
        Points per spectrum, at least 32.
    rng : Generator or int, optional
        Same seed, same spectra.

    Returns
    -------
    Spectra

    Examples
    --------
    >>> data = make_spectra(300, task="count", noise=0.05, rng=1)
    >>> data.classes, np.bincount(data.labels).tolist()
    (('1 peak', '2 peaks', '3 peaks'), [100, 100, 100])
    >>> float(np.median(data.spectra[0])), float(data.spectra[0].max())
    (0.0, 1.0)
    """
    n = check_positive_int("n", n)
    task = check_choice("task", task, TASKS)
    noise = check_positive_float("noise", noise, allow_zero=True)
    length = check_positive_int("length", length)
    if length < 32:
        raise ValueError(f"`length` must be at least 32 points. {received(length=length)}")
    rng = default_rng(rng)
    scale = length / 256.0
    labels = rng.permutation(np.arange(n) % 3).astype(np.int64)
    peaks = labels + 1 if task == "count" else np.ones(n, dtype=np.int64)
    fwhms = _masked(rng.uniform(8.0, 24.0, (n, peaks.max())) * scale, peaks)
    heights = _masked(rng.uniform(0.5, 1.5, (n, peaks.max())), peaks)
    centres = _separated_centres(rng, fwhms, 64.0 * scale, 192.0 * scale)
    offsets = rng.uniform(-0.05, 0.05, n)
    slopes = rng.uniform(-0.1, 0.1, n)
    sigmas = noise * np.nanmax(heights, axis=1)

    x = np.arange(length, dtype=np.float64)
    clean = offsets[:, None] + slopes[:, None] * (x - length / 2) / length
    if task == "shape":
        for label, name in enumerate(SHAPES):
            rows = np.flatnonzero(labels == label)
            clean[rows] += PROFILES[name](x, centres[rows], fwhms[rows], heights[rows])
    else:
        lines = gaussian(x, centres[..., None], fwhms[..., None], heights[..., None])
        clean += np.nansum(lines, axis=1)  # (N, P, L) -> (N, L); absent peaks are NaN
    noisy = clean + sigmas[:, None] * rng.standard_normal((n, length))
    spectra = normalise(noisy)[:, None, :].astype(np.float32)
    classes = SHAPES if task == "shape" else COUNTS
    return Spectra(spectra, labels, classes, task, centres, fwhms, heights, offsets, slopes, sigmas)


def normalise(spectra) -> np.ndarray:
    """Subtract each spectrum's median, then divide by its maximum (along the last axis).

    The network then sees the line's shape, not its height or the baseline's offset.

    >>> normalise(np.array([[2.0, 1.0, 2.0, 6.0]]))
    array([[ 0.  , -0.25,  0.  ,  1.  ]])
    """
    s = check_array("spectra", spectra, min_ndim=1, finite=True, allow_complex=False)
    s = s - np.median(s, axis=-1, keepdims=True)
    top = s.max(axis=-1, keepdims=True)
    if np.any(top <= 0):
        raise ValueError(
            "`spectra` must each rise above their median to be normalised. "
            + received(spectra=np.asarray(spectra))
        )
    return s / top


def _masked(values: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """NaN in the columns past each row's number of peaks."""
    return np.where(np.arange(values.shape[1]) < peaks[:, None], values, np.nan)


def _separated_centres(
    rng: np.random.Generator, fwhms: np.ndarray, lo: float, hi: float
) -> np.ndarray:
    """Centres in U[lo, hi], redrawn until every pair is at least its larger FWHM apart."""
    centres = np.where(np.isnan(fwhms), np.nan, 0.0)
    redraw = np.ones(len(fwhms), dtype=bool)
    while redraw.any():
        rows = np.flatnonzero(redraw)
        draws = rng.uniform(lo, hi, fwhms[rows].shape)
        centres[rows] = np.where(np.isnan(fwhms[rows]), np.nan, draws)
        gaps = np.abs(centres[:, :, None] - centres[:, None, :])
        needed = np.fmax(fwhms[:, :, None], fwhms[:, None, :])
        # NaN (an absent peak) compares False; a peak is never too close to itself
        too_close = (gaps < needed) & ~np.eye(fwhms.shape[1], dtype=bool)
        redraw = too_close.any(axis=(1, 2))
    return centres
