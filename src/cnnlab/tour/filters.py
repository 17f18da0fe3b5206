"""The first part of ``cnnlab demo``: the classic filters on the built-in picture."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from .. import filters
from ..data import demo_image
from ..imageio import write_image
from ..viz import image_grid, kernel_grid

TOUR_KERNELS = (
    "mean",
    "gaussian",
    "prewitt_x",
    "prewitt_y",
    "sobel_x",
    "sobel_y",
    "laplacian",
    "sharpen",
    "emboss",
    "identity",
)


def salt_and_pepper(image: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Set a random ``fraction`` of the pixels to 0 or 1 (impulse noise)."""
    noisy = image.copy()
    hit = rng.random(image.shape) < fraction
    noisy[hit] = rng.integers(0, 2, size=int(hit.sum())).astype(image.dtype)
    return noisy


def filter_tour(
    out_dir: str | Path = "cnnlab-demo",
    size: int = 256,
    seed: int = 0,
    console: Console | None = None,
) -> tuple[dict[str, Path], list[tuple[str, str, float]]]:
    """Filter the built-in picture with the classic kernels and write the results.

    Writes one PNG per filter, ``filters.png`` (all of them side by side) and
    ``kernels.png`` (the kernels with their weights) into ``out_dir``, and prints a table.

    Returns
    -------
    files : dict of name to Path
        Every file written.
    rows : list of (name, description, milliseconds)
        What each filter shows and how long it took.

    Examples
    --------
    >>> import tempfile, io
    >>> files, rows = filter_tour(tempfile.mkdtemp(), size=64,
    ...                           console=Console(file=io.StringIO()))
    >>> sorted(files)[:3], rows[2][0]
    (['angle', 'emboss', 'filters'], 'mean')
    """
    console = console or Console()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    image = demo_image(size)
    noisy = salt_and_pepper(image, 0.05, rng)

    steps = [
        ("original", "the built-in picture", lambda: image, False),
        ("noisy", "5% salt-and-pepper noise", lambda: noisy, False),
        (
            "mean",
            "5x5 mean of the noisy picture: smears the noise",
            lambda: filters.mean(noisy, 5),
            False,
        ),
        (
            "median",
            "3x3 median of the noisy picture: removes it",
            lambda: filters.median(noisy, 3),
            False,
        ),
        ("gaussian", "Gaussian blur, sigma 2", lambda: filters.gaussian(image, 2.0), False),
    ]
    gradient: list[filters.Gradient] = []  # computed (and timed) once, at the "gx" step

    def sobel(part: str) -> np.ndarray:
        if not gradient:
            gradient.append(filters.gradient(image, operator="sobel"))
        return getattr(gradient[0], part)

    steps += [
        (
            "gx",
            "Sobel Gx: responds to vertical edges (all four parts of G)",
            lambda: sobel("gx"),
            True,
        ),
        ("gy", "Sobel Gy: responds to horizontal edges", lambda: sobel("gy"), True),
        ("magnitude", "|G| = sqrt(Gx^2 + Gy^2)", lambda: sobel("magnitude"), False),
        ("angle", "atan2(Gy, Gx), in radians", lambda: sobel("angle"), True),
        (
            "laplacian",
            "Laplacian: second derivative, edges as zero crossings",
            lambda: filters.convolve(image, filters.kernel("laplacian")),
            True,
        ),
        (
            "sharpen",
            "identity minus Laplacian",
            lambda: filters.convolve(image, filters.kernel("sharpen")),
            False,
        ),
        (
            "emboss",
            "emboss: a relief lit from the top left",
            lambda: filters.convolve(image, filters.kernel("emboss")),
            True,
        ),
    ]

    files: dict[str, Path] = {}
    rows: list[tuple[str, str, float]] = []
    results: dict[str, np.ndarray] = {}
    table = Table(title=f"cnnlab demo: filters on a {size}x{size} picture", title_justify="left")
    for column in ("picture", "what it shows", "ms", "file"):
        table.add_column(column, justify="right" if column == "ms" else "left")
    for name, description, compute, signed in steps:
        start = time.perf_counter()
        values = compute()
        elapsed = (time.perf_counter() - start) * 1e3
        results[name] = values
        files[name] = out / f"{name}.png"
        write_image(files[name], values, clip=not signed)
        table.add_row(name, description, f"{elapsed:.1f}", str(files[name]))
        rows.append((name, description, elapsed))

    signed_names = {name: signed for name, _, _, signed in steps}
    files["filters"] = image_grid(
        results,
        out / "filters.png",
        columns=4,
        signed=signed_names,
        title="Classic filters on the built-in picture",
    )
    shown = {name: filters.kernel(name) for name in TOUR_KERNELS}
    files["kernels"] = kernel_grid(shown, out / "kernels.png", columns=5)
    console.print(table)
    console.print(
        f"Wrote {len(files)} pictures into {out}/ (all filters side by side: {files['filters']})."
    )
    return files, rows
