"""Pictures of the gauge-theory experiment: accuracies side by side, and the CNN's filters."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._figure import new_figure, save_figure

COLOURS = {"cnn": "tab:blue", "dense": "tab:orange", "dense, 10x data": "tab:red"}


def gauge_accuracy(
    accuracies: dict[str, float],
    parameters: dict[str, int],
    violated,
    called_ground: dict[str, np.ndarray],
    path: str | Path,
    *,
    title: str | None = None,
) -> Path:
    """Held-out accuracy of each network (bars), and the fraction of states each calls a
    ground state against the fraction of violated plaquettes (curves).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "gauge.png")
    >>> gauge_accuracy({"cnn": 1.0, "dense": 0.5}, {"cnn": 170, "dense": 8226}, [0, 0.5],
    ...                {"cnn": np.array([1.0, 0.0]), "dense": np.array([0.5, 0.5])}, path).exists()
    True
    """
    figure = new_figure(10.0, 4.0)
    bars, curves = figure.subplots(1, 2, width_ratios=(1, 1.6))
    names = list(accuracies)
    values = [100 * accuracies[name] for name in names]
    labels = [f"{name.replace(', ', chr(10))}\n({parameters[name]} weights)" for name in names]
    drawn = bars.bar(labels, values, color=[COLOURS.get(n, "grey") for n in names])
    bars.bar_label(drawn, labels=[f"{v:.1f}%" for v in values])
    bars.axhline(50, color="grey", linestyle="--", linewidth=0.8)
    bars.text(-0.45, 52, "chance", color="grey", fontsize=8)
    bars.tick_params(axis="x", labelsize=8)
    bars.set_ylim(0, 109)
    bars.set_ylabel("held-out accuracy (%)")
    bars.set_title("ground state vs T = infinity", fontsize=10)
    violated = np.asarray(violated, dtype=np.float64)
    for name, called in called_ground.items():
        curves.plot(
            violated,
            100 * np.asarray(called),
            "o-",
            markersize=4,
            color=COLOURS.get(name, "grey"),
            label=name,
        )
    curves.set_xlabel("fraction of plaquettes violated (links flipped at random)")
    curves.set_ylabel('called "ground state" (%)')
    curves.set_ylim(-3, 103)
    curves.grid(alpha=0.3)
    curves.legend(fontsize=8)
    curves.set_title("from a ground state towards T = infinity", fontsize=10)
    if title:
        figure.suptitle(title, fontsize=11)
    return save_figure(figure, path)


def gauge_filter_responses(responses, violated, weights, path: str | Path) -> Path:
    """Each first-layer filter's weights (two link channels) above its response map to a
    pair of violated plaquettes (ringed), averaged over gauge copies, cropped to 7x7.

    Parameters
    ----------
    responses : array ``(F, L, L)``
        Change of each filter's ReLU output when the plaquettes are violated.
    violated : bool array ``(L, L)``
        The violated plaquettes, by lower-left corner (the site the 3x3 window centres on).
    weights : array ``(F, 2, KH, KW)``
        The filters.
    path : str or Path

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "filters.png")
    >>> violated = np.zeros((8, 8), bool); violated[3:5, 4] = True
    >>> gauge_filter_responses(np.zeros((2, 8, 8)), violated, np.ones((2, 2, 3, 3)), path).exists()
    True
    """
    responses, weights = np.asarray(responses), np.asarray(weights)
    count = responses.shape[0]
    figure = new_figure(1.6 * count + 0.6, 5.0)
    grid = figure.subplots(3, count, squeeze=False, height_ratios=(1, 1, 1.6))
    rows, cols = np.nonzero(violated)
    # crop to the 7x7 neighbourhood of the violations, where anything happens
    top, left = max(int(rows.mean()) - 3, 0), max(int(cols.mean()) - 3, 0)
    window = (slice(top, top + 7), slice(left, left + 7))
    rows, cols = rows - top, cols - left
    limit = np.abs(weights).max() or 1.0
    for k in range(count):
        for channel, name in enumerate(("horizontal", "vertical")):
            axes = grid[channel, k]
            axes.imshow(weights[k, channel], cmap="coolwarm", vmin=-limit, vmax=limit)
            axes.set_xticks([]), axes.set_yticks([])
            if k == 0:
                axes.set_ylabel(f"{name}\nlinks", fontsize=8)
        axes = grid[0, k]
        axes.set_title(f"filter {k}", fontsize=9)
        axes = grid[2, k]
        bound = np.abs(responses[k]).max() or 1.0
        axes.imshow(responses[k][window], cmap="PiYG", vmin=-bound, vmax=bound)
        axes.scatter(cols, rows, s=90, facecolors="none", edgecolors="black", linewidths=1.0)
        axes.set_xticks([]), axes.set_yticks([])
        axes.set_xlabel(f"{responses[k].min():+.2f} to {responses[k].max():+.2f}", fontsize=8)
        if k == 0:
            axes.set_ylabel("response to a\nviolated pair\n(green up, pink down)", fontsize=8)
    figure.suptitle(
        "CNN's first layer: 3x3 filters on the two link channels (top), and their "
        "response to two violated plaquettes (ringed; a filter whose plaquette sits "
        "off-centre in its window responds beside the ring)",
        fontsize=9,
    )
    return save_figure(figure, path)
