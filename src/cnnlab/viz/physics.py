"""Physics pictures: a classifier's P(ordered) against temperature, with Tc marked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._validation import check_array, check_same_shape
from ._figure import new_figure, save_figure


def phase_probabilities(
    temperatures,
    probabilities,
    path: str | Path,
    *,
    exact_tc: float | None = None,
    estimate: float | None = None,
    error: float | None = None,
    title: str | None = None,
) -> Path:
    """Plot mean P(ordered) against temperature, the 1/2 line, the exact Tc and the estimate.

    Parameters
    ----------
    temperatures, probabilities : 1-D arrays of the same length
    path : str or Path
        Where to save (PNG, SVG, PDF, ... by suffix).
    exact_tc, estimate, error : float, optional
        Drawn as a dashed line, a dotted line and a shaded band of +- ``error``.
    title : str, optional

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "phases.png")
    >>> phase_probabilities([2.0, 2.2, 2.4], [0.9, 0.6, 0.1], path, exact_tc=2.269,
    ...                     estimate=2.28, error=0.01).exists()
    True
    """
    t = check_array("temperatures", temperatures, ndim=1, allow_complex=False)
    p = check_array("probabilities", probabilities, ndim=1, allow_complex=False)
    check_same_shape("temperatures", t, "probabilities", p)
    figure = new_figure(6.0, 4.0)
    axes = figure.add_subplot(1, 1, 1)
    axes.plot(t, p, "o-", markersize=4, label="P(ordered)")
    axes.plot(t, 1 - p, "s-", markersize=4, alpha=0.6, label="P(disordered)")
    axes.axhline(0.5, color="grey", linewidth=0.8)
    if exact_tc is not None:
        axes.axvline(exact_tc, color="black", linestyle="--", label=f"exact Tc = {exact_tc:.4f}")
    if estimate is not None and np.isfinite(estimate):
        label = f"estimate {estimate:.4f}"
        if error is not None and np.isfinite(error):
            label += f" ± {error:.4f}"
            axes.axvspan(estimate - error, estimate + error, color="tab:red", alpha=0.15)
        axes.axvline(estimate, color="tab:red", linestyle=":", label=label)
    axes.set_xlabel("temperature T / J")
    axes.set_ylabel("mean network output")
    axes.set_ylim(-0.02, 1.02)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    if title:
        axes.set_title(title)
    return save_figure(figure, path)
