"""Test-time augmentation: several views of one image, whose class probabilities are averaged.

The ResNeXt guesser bot averaged the softmax over 10 random views (6 perspective changes
with distortion 0.6, 3 rotations within +-15 degrees, 1 horizontal flip), after Bahat &
Shakhnarovich (arXiv:2006.16705): agreement between views is a better confidence than one
softmax. Here the views are fixed by a seeded generator, so a guess is repeatable: the
image itself, its mirror image, rotations by -15 and +15 degrees, and ``perspectives``
random perspective changes. Pixels from outside the image are black (torchvision's fill).
"""

from __future__ import annotations

import numpy as np

from ..data import affine

DISTORTION = 0.6
ROTATIONS = (-15.0, 15.0)


def perspective(image: np.ndarray, distortion: float, rng: np.random.Generator) -> np.ndarray:
    """A random perspective change of ``(C, H, W)``, as torchvision's RandomPerspective.

    Each corner moves inwards by up to ``distortion`` times half the width and height;
    the picture is warped so the corners land there.
    """
    from scipy import ndimage  # here: a plain guess need not load SciPy (a third of a second)

    _, height, width = image.shape
    dx, dy = int(distortion * (width // 2)), int(distortion * (height // 2))
    corners = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], float)
    inwards = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    moved = corners + inwards * np.stack(
        [rng.integers(0, dx + 1, 4), rng.integers(0, dy + 1, 4)], axis=1
    )
    back = _homography(moved, corners)  # output (x, y) -> input (x, y)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    points = back @ np.stack([xs.ravel(), ys.ravel(), np.ones(xs.size)])
    src_x, src_y = points[0] / points[2], points[1] / points[2]
    return np.stack(
        [
            ndimage.map_coordinates(channel, [src_y, src_x], order=1, cval=0.0).reshape(
                height, width
            )
            for channel in image
        ]
    ).astype(image.dtype)


def _homography(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 3x3 projective map taking four ``source`` points (x, y) onto ``target``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    return np.append(np.linalg.solve(np.array(rows), np.array(rhs)), 1.0).reshape(3, 3)


def views(image: np.ndarray, perspectives: int = 6, seed: int = 0) -> np.ndarray:
    """The test-time views of ``(C, H, W)``: ``(4 + perspectives, C, H, W)``.

    >>> views(np.zeros((3, 8, 8), np.float32), perspectives=2).shape
    (6, 3, 8, 8)
    """
    rng = np.random.default_rng(seed)
    batch = image[None]
    turned = [affine(batch, degrees=d)[0] for d in ROTATIONS]
    warped = [perspective(image, DISTORTION, rng) for _ in range(perspectives)]
    return np.stack([image, image[:, :, ::-1], *turned, *warped]).astype(image.dtype)


def describe(count: int) -> str:
    """The line that says how a test-time-augmented confidence was made."""
    return (
        f"(confidence averaged over {count} views: the image, its mirror image, rotations "
        f"by +-15 degrees and {count - 4} perspective changes)"
    )
