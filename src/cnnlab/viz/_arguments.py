"""Checks shared by the physics figures: captioned pictures, and curves over one axis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .._validation import check_array, check_mapping, check_same_shape, received


def captioned_pictures(name: str, pictures, captions: Sequence[str], noun: str) -> np.ndarray:
    """``pictures`` ``(n, H, W)`` (a channel axis of 1 is dropped), one caption each.

    >>> captioned_pictures("cells", np.zeros((2, 1, 3, 3)), ["a", "b"], "cell").shape
    (2, 3, 3)
    """
    pictures = check_array(name, pictures, ndim=(3, 4), allow_complex=False)
    pictures = pictures.reshape(len(pictures), *pictures.shape[-2:])
    if len(captions) != len(pictures):
        raise ValueError(
            f"`captions` must hold one title per {noun} ({len(pictures)}). "
            + received(captions=captions)
        )
    return pictures


def curves_over(
    x_name: str, x, curves: Mapping[str, object], curves_name: str = "errors"
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``x`` (1-D) and each named curve, checked to have ``x``'s shape.

    >>> x, curves = curves_over("fill", [0.1, 0.2], {"CNN": [0.01, 0.02]})
    >>> x.shape, curves["CNN"].shape
    ((2,), (2,))
    """
    x = check_array(x_name, x, ndim=1, allow_complex=False)
    checked = {
        name: check_array(f"{curves_name}[{name!r}]", values, ndim=1, allow_complex=False)
        for name, values in check_mapping(curves_name, curves).items()
    }
    for name, values in checked.items():
        check_same_shape(x_name, x, f"{curves_name}[{name!r}]", values)
    return x, checked
