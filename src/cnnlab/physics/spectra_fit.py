"""The classical answer to the line-shape task: fit every shape by least squares, keep the best.

This is what a spectroscopist would do, and nearly the best anyone can do when the
candidate shapes are known exactly; the CNN of :mod:`cnnlab.physics.spectra_experiment`
is measured against it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import curve_fit

from .._validation import check_array
from .spectra import PROFILES, SHAPES


def fit_line_shapes(spectra) -> np.ndarray:
    """Fit each of :data:`SHAPES` plus a straight baseline to each spectrum; the best one wins.

    Each fit (``scipy.optimize.curve_fit``) has five free parameters: the line's centre,
    FWHM and height, and the baseline's offset and slope. It starts from the highest
    point, the number of points above half the maximum, height 1 and a flat baseline.
    A fit that fails to converge counts as infinitely bad.

    Parameters
    ----------
    spectra : array, shape ``(N, L)`` or ``(N, 1, L)``
        Normalised spectra, as :func:`make_spectra` makes them.

    Returns
    -------
    ndarray of float64, shape ``(N, 3)``
        Sum of squared residuals of each shape (columns in the order of :data:`SHAPES`);
        ``argmin(axis=1)`` is the predicted class.

    Examples
    --------
    >>> from cnnlab.physics.spectra import make_spectra
    >>> data = make_spectra(6, noise=0.02, rng=0)
    >>> residuals = fit_line_shapes(data.spectra)
    >>> bool((residuals.argmin(axis=1) == data.labels).all())
    True
    """
    s = check_array("spectra", spectra, ndim=(2, 3), finite=True, allow_complex=False)
    s = s.reshape(len(s), -1).astype(np.float64)
    length = s.shape[1]
    x = np.arange(length, dtype=np.float64)
    residuals = np.full((len(s), len(SHAPES)), np.inf)
    for i, y in enumerate(s):
        start = [float(np.argmax(y)), max(float(np.sum(y > 0.5)), 2.0), 1.0, 0.0, 0.0]
        for j, name in enumerate(SHAPES):
            model = _line_on_baseline(PROFILES[name], length)
            try:
                params, _ = curve_fit(model, x, y, p0=start, maxfev=2000)
            except RuntimeError:  # no convergence within maxfev
                continue
            residuals[i, j] = np.sum((model(x, *params) - y) ** 2)
    return residuals


def _line_on_baseline(profile, length: int):
    def model(x, centre, fwhm, height, offset, slope):
        return profile(x, centre, fwhm, height) + offset + slope * (x - length / 2) / length

    return model
