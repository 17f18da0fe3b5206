"""A built-in dataset that cnnlab draws itself: one geometric shape per image, no download.

Each shape is a signed distance function on coordinates where the shape fits in the unit
disc (negative inside). A batch of images is drawn at once: the pixel grid is moved into
every image's own frame (its shape's centre, rotation and radius), the distance is turned
into an anti-aliased coverage of each pixel, and coverage blends shape and background.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validation import check_choice, check_positive_float, check_positive_int, received
from ..nn.init import default_rng
from ._memory import check_fits_in_memory
from .dataset import Dataset


def _circle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.hypot(u, v) - 0.85


def _square(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.maximum(np.abs(u), np.abs(v)) - 0.68


def _triangle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    # equilateral, circumradius 1: inside all three edges, each at distance 0.5 from the centre
    edges = [np.cos(a) * u + np.sin(a) * v for a in np.deg2rad([90.0, 210.0, 330.0])]
    return np.maximum(np.maximum(edges[0], edges[1]), edges[2]) - 0.5


def _cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    au, av = np.abs(u), np.abs(v)
    bars = np.maximum(au - 0.95, av - 0.24), np.maximum(av - 0.95, au - 0.24)
    return np.minimum(*bars)


def _ring(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.abs(np.hypot(u, v) - 0.68) - 0.2


_STAR_INNER = 0.45  # radius of the star's inner corners


def _star(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    # fold every point into the wedge between an outer tip (angle 0) and the next inner corner
    # (angle pi/5); there the star is the side of one edge that holds the centre
    sector = 2 * np.pi / 5
    angle = np.mod(np.arctan2(v, u), sector)
    angle = np.minimum(angle, sector - angle)
    r = np.hypot(u, v)
    tip = np.array([1.0, 0.0])
    corner = _STAR_INNER * np.array([np.cos(sector / 2), np.sin(sector / 2)])
    edge = corner - tip
    normal = np.array([edge[1], -edge[0]]) / np.hypot(*edge)  # points away from the centre
    return normal[0] * (r * np.cos(angle) - tip[0]) + normal[1] * (r * np.sin(angle) - tip[1])


SHAPES = {
    "circle": _circle,
    "square": _square,
    "triangle": _triangle,
    "cross": _cross,
    "ring": _ring,
    "star": _star,
}
_CHUNK = 2048  # images drawn at once: bounds the memory of the (chunk, size, size) grids


def shapes(
    n: int = 1000,
    size: int = 28,
    classes: Sequence[str] = ("circle", "square", "triangle", "cross", "ring"),
    noise: float = 0.1,
    rng: np.random.Generator | int | None = 0,
) -> Dataset:
    """Images of simple shapes at random position, size, rotation and contrast.

    Each image holds one bright shape on a darker, noisy background. The labels are
    balanced (their counts differ by at most one) and shuffled.

    Parameters
    ----------
    n : int
        Number of images.
    size : int
        Height and width in pixels (at least 8).
    classes : sequence of str
        Which shapes, in label order; any of ``circle``, ``square``, ``triangle``,
        ``cross``, ``ring`` and ``star``.
    noise : float
        Standard deviation of the Gaussian pixel noise.
    rng : Generator or int
        Source of everything random: same seed, same images.

    Returns
    -------
    Dataset
        Images ``(n, 1, size, size)`` float32 in ``[0, 1]``, labels, and ``classes``.

    Examples
    --------
    >>> data = shapes(12, size=16, classes=("circle", "cross"), rng=0)
    >>> data.images.shape, data.classes, data.class_counts()
    ((12, 1, 16, 16), ('circle', 'cross'), {'circle': 6, 'cross': 6})
    """
    n = check_positive_int("n", n)
    size = check_positive_int("size", size)
    if size < 8:
        raise ValueError(f"`size` must be at least 8 pixels. {received(size=size)}")
    classes = _check_classes(classes)
    noise = check_positive_float("noise", noise, allow_zero=True)
    pixels = 4 * size * size  # bytes of one float32 image
    check_fits_in_memory(  # the images, and the drawing grids of one chunk (about 8 arrays)
        pixels * (n + 8 * min(n, _CHUNK)), f"{n} images of {size}x{size} pixels", n=n, size=size
    )
    rng = default_rng(rng)

    labels = rng.permutation(np.arange(n) % len(classes))
    radius = rng.uniform(0.25, 0.42, n) * size  # of the circle each shape fits in, in pixels
    room = np.maximum(size - 3 - 2 * radius, 0.0)  # keeps a pixel of background at the border
    centre = (radius + 1)[:, None] + rng.uniform(0, 1, (n, 2)) * room[:, None]  # (n, 2): x, y
    turn = rng.uniform(0, 2 * np.pi, n)
    background = rng.uniform(0.0, 0.35, n)
    contrast = rng.uniform(0.35, 0.65, n)

    images = np.empty((n, 1, size, size), dtype=np.float32)
    grid = np.arange(size, dtype=np.float32)
    for start in range(0, n, _CHUNK):
        part = slice(start, min(start + _CHUNK, n))
        cos, sin = (f(turn[part]).astype(np.float32)[:, None, None] for f in (np.cos, np.sin))
        r = radius[part].astype(np.float32)[:, None, None]
        dx = grid[None, None, :] - centre[part, 0].astype(np.float32)[:, None, None]
        dy = grid[None, :, None] - centre[part, 1].astype(np.float32)[:, None, None]
        u, v = (cos * dx + sin * dy) / r, (cos * dy - sin * dx) / r  # (m, size, size)
        distance = np.empty_like(u)
        for label, name in enumerate(classes):
            mine = labels[part] == label
            distance[mine] = SHAPES[name](u[mine], v[mine])
        coverage = np.clip(0.5 - distance * r, 0.0, 1.0)  # distance in pixels: 1-px soft edge
        base, gain = (a[part, None, None].astype(np.float32) for a in (background, contrast))
        picture = base + gain * coverage
        picture += noise * rng.standard_normal(picture.shape, dtype=np.float32)
        images[part, 0] = np.clip(picture, 0.0, 1.0)
    return Dataset(images, labels, classes)


def _check_classes(classes: Sequence[str]) -> tuple[str, ...]:
    if isinstance(classes, str) or not isinstance(classes, Sequence) or not classes:
        raise TypeError(
            f"`classes` must be a non-empty sequence of shape names, e.g. ('circle', 'square'). "
            f"{received(classes=classes)}"
        )
    names = tuple(check_choice("classes", name, tuple(SHAPES)) for name in classes)
    if len(set(names)) != len(names):
        raise ValueError(f"`classes` must not repeat a shape. {received(classes=classes)}")
    return names
