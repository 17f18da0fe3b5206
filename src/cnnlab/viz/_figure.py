"""A figure that renders without a display or a pyplot backend."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    """A matplotlib ``Figure`` drawn by the Agg canvas, so no GUI or global state is touched."""
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def check_figure_path(path: str | Path, name: str = "path") -> Path:
    """Check that a picture can be saved at ``path``: a file name with a format's suffix.

    A folder is refused (matplotlib would write ``path.png`` beside it), and so is a name
    without the suffix of a format matplotlib writes.

    >>> check_figure_path("net", name="-o")
    Traceback (most recent call last):
    ...
    ValueError: `-o` must end in a picture format matplotlib writes, such as .svg, .png or .pdf. \
Received: -o='net'.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"`{name}` must name a file, but {path} is a folder.")
    if path.suffix.lower().lstrip(".") not in FigureCanvasAgg.get_supported_filetypes():
        raise ValueError(
            f"`{name}` must end in a picture format matplotlib writes, such as .svg, .png or "
            f".pdf. Received: {name}='{path}'."
        )
    return path


def save_figure(figure: Figure, path: str | Path, dpi: int = 110) -> Path:
    """Save ``figure`` at ``path``, in the format its suffix names (`check_figure_path`)."""
    path = check_figure_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi)
    return path
