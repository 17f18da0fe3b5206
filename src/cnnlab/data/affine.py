"""Affine warps of image batches: rotation, translation, scale and shear, by bilinear sampling.

An output pixel ``p`` takes its value from the input at ``A^-1 (p - c - t) + c``, where ``c``
is the image centre, ``A`` the 2x2 matrix of rotation, shear and scale, and ``t`` the shift:
the output grid is mapped back (inverse mapping), so every output pixel gets exactly one
value and none is left empty. Coordinates are ``(x, y)`` with ``y`` pointing down; pixel
centres sit at integer positions. Input from outside the image reads as ``fill``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._validation import check_real, received
from .transforms import Transform, check_images, check_range, check_rng


def affine_matrices(
    degrees: np.ndarray, scale: np.ndarray, shear_x: np.ndarray, shear_y: np.ndarray
) -> np.ndarray:
    """Forward matrices ``(N, 2, 2)`` acting on ``(x, y)``: rotation @ shear * scale.

    Positive ``degrees`` turn the picture counter-clockwise as it is displayed (row 0 on
    top), like ``np.rot90``; ``shear_x`` (degrees) slants vertical lines, ``shear_y``
    horizontal ones.
    """
    theta, sx, sy = np.deg2rad(degrees), np.tan(np.deg2rad(shear_x)), np.tan(np.deg2rad(shear_y))
    cos, sin = np.cos(theta), np.sin(theta)
    rotation = np.stack([np.stack([cos, sin], -1), np.stack([-sin, cos], -1)], -2)
    one = np.ones_like(sx)
    shear = np.stack([np.stack([one + sx * sy, sx], -1), np.stack([sy, one], -1)], -2)
    return rotation @ shear * np.asarray(scale)[..., None, None]


def warp(images: np.ndarray, matrices: np.ndarray, shifts: np.ndarray, fill: float = 0.0):
    """Apply one affine map per image by inverse mapping and bilinear sampling.

    Parameters
    ----------
    images : ndarray, shape ``(N, C, H, W)``
    matrices : ndarray, shape ``(N, 2, 2)``
        Forward maps about the image centre, acting on ``(x, y)``.
    shifts : ndarray, shape ``(N, 2)``
        Translations ``(tx, ty)`` in pixels, applied after the matrix.
    fill : float
        Value read from outside the input.

    Returns
    -------
    ndarray, shape ``(N, C, H, W)``, the dtype of ``images``
    """
    N, C, H, W = images.shape
    cx, cy = (W - 1) / 2, (H - 1) / 2
    ys, xs = np.mgrid[0:H, 0:W].reshape(2, 1, H * W)
    u = xs - cx - shifts[:, :1]  # (N, H*W): output position relative to the centre
    v = ys - cy - shifts[:, 1:]
    inverse = np.linalg.inv(matrices)
    src_x = inverse[:, 0, :1] * u + inverse[:, 0, 1:] * v + cx
    src_y = inverse[:, 1, :1] * u + inverse[:, 1, 1:] * v + cy
    # a one-pixel frame of `fill` around the input makes every neighbour outside read `fill`
    padded = np.pad(images, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=fill)
    flat = padded.reshape(N, C, (H + 2) * (W + 2))
    src_x, src_y = np.clip(src_x, -1, W), np.clip(src_y, -1, H)
    x0 = np.clip(np.floor(src_x), -1, W - 1).astype(np.intp)
    y0 = np.clip(np.floor(src_y), -1, H - 1).astype(np.intp)
    wx = (src_x - x0).astype(images.dtype)[:, None, :]  # (N, 1, H*W)
    wy = (src_y - y0).astype(images.dtype)[:, None, :]
    top_left = (y0 + 1) * (W + 2) + (x0 + 1)  # index in the padded, flattened image

    def at(offset: int) -> np.ndarray:
        return np.take_along_axis(flat, (top_left + offset)[:, None, :], axis=2)

    top = at(0) + wx * (at(1) - at(0))
    bottom = at(W + 2) + wx * (at(W + 3) - at(W + 2))
    return (top + wy * (bottom - top)).reshape(N, C, H, W)


def affine(
    images: np.ndarray,
    degrees: float = 0.0,
    translate: tuple[float, float] = (0.0, 0.0),
    scale: float = 1.0,
    shear: tuple[float, float] = (0.0, 0.0),
    fill: float = 0.0,
) -> np.ndarray:
    """Rotate, shift, scale and shear every image of a batch by the same amounts.

    Parameters
    ----------
    images : ndarray, shape ``(N, C, H, W)``
    degrees : float
        Counter-clockwise rotation about the centre, as displayed.
    translate : (float, float)
        Shift ``(right, down)`` in pixels.
    scale : float
        Magnification about the centre.
    shear : (float, float)
        Shear angles ``(x, y)`` in degrees.
    fill : float
        Value of pixels that come from outside the input.

    Examples
    --------
    >>> x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    >>> bool(np.allclose(affine(x, degrees=90), np.rot90(x, axes=(2, 3)), atol=1e-5))
    True
    """
    images = check_images(images)
    N = len(images)
    tx, ty = (check_real("translate", t) for t in _pair("translate", translate))
    shear_x, shear_y = (check_real("shear", s) for s in _pair("shear", shear))
    matrices = affine_matrices(
        np.full(N, check_real("degrees", degrees)),
        np.full(N, _positive_scale(scale)),
        np.full(N, shear_x),
        np.full(N, shear_y),
    )
    return warp(images, matrices, np.tile([tx, ty], (N, 1)), check_real("fill", fill))


def _pair(name: str, value: Any) -> tuple:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"`{name}` must be a pair of numbers. {received(**{name: value})}")
    return tuple(value)


def _positive_scale(value: Any) -> float:
    scale = check_real("scale", value)
    if scale <= 0:
        raise ValueError(f"`scale` must be positive. {received(scale=value)}")
    return scale


class RandomAffine(Transform):
    """Random rotation, translation, scale and shear, drawn per image (torchvision's names).

    Parameters
    ----------
    degrees : float or (float, float)
        Rotation range in degrees; a number ``d`` means ``(-d, d)``.
    translate : (float, float), optional
        Largest shift as a fraction of width and of height: ``tx`` is drawn from
        ``(-a W, a W)`` and ``ty`` from ``(-b H, b H)``.
    scale : (float, float), optional
        Range of the magnification.
    shear : float or (float, float) or (float, float, float, float), optional
        Shear range in degrees: ``s`` means x-shear in ``(-s, s)``, a pair an x-shear
        range, four numbers x- and y-shear ranges.
    fill : float
        Value of pixels that come from outside the input.

    Examples
    --------
    >>> t = RandomAffine(degrees=15, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=5)
    >>> t(np.ones((4, 1, 28, 28), dtype=np.float32), np.random.default_rng(0)).shape
    (4, 1, 28, 28)
    """

    def __init__(
        self,
        degrees: float | tuple[float, float] = 0,
        translate: tuple[float, float] | None = None,
        scale: tuple[float, float] | None = None,
        shear: float | tuple[float, ...] | None = None,
        fill: float = 0.0,
    ) -> None:
        self.degrees = check_range("degrees", degrees, symmetric=True)
        self.translate = None if translate is None else _fractions(translate)
        self.scale = None if scale is None else check_range("scale", scale)
        if self.scale is not None and self.scale[0] <= 0:
            raise ValueError(f"`scale` must hold positive numbers. {received(scale=scale)}")
        self.shear = None if shear is None else _shear_ranges(shear)
        self.fill = check_real("fill", fill)

    def __call__(self, images: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        images = check_images(images)
        rng = check_rng(rng, "RandomAffine")
        N, _, H, W = images.shape
        degrees = rng.uniform(*self.degrees, size=N)
        a, b = self.translate or (0.0, 0.0)
        shifts = np.stack([rng.uniform(-a, a, N) * W, rng.uniform(-b, b, N) * H], axis=1)
        scale = rng.uniform(*self.scale, size=N) if self.scale else np.ones(N)
        x_range, y_range = self.shear or ((0.0, 0.0), (0.0, 0.0))
        shear_x, shear_y = rng.uniform(*x_range, size=N), rng.uniform(*y_range, size=N)
        matrices = affine_matrices(degrees, scale, shear_x, shear_y)
        return warp(images, matrices, shifts, self.fill)


def _fractions(translate: Any) -> tuple[float, float]:
    message = (
        "`translate` must be a pair (a, b) of fractions in [0, 1] of the width and height. "
        f"{received(translate=translate)}"
    )
    if not isinstance(translate, (tuple, list)) or len(translate) != 2:
        raise TypeError(message)
    if any(isinstance(t, bool) or not isinstance(t, numbers.Real) for t in translate):
        raise TypeError(message)
    if not all(0 <= t <= 1 for t in translate):
        raise ValueError(message)
    return float(translate[0]), float(translate[1])


def _shear_ranges(shear: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    if isinstance(shear, (tuple, list)) and len(shear) == 4:
        return check_range("shear[:2]", shear[:2]), check_range("shear[2:]", shear[2:])
    return check_range("shear", shear, symmetric=True), (0.0, 0.0)
