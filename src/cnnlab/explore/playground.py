"""The filter playground: a kernel of the library, or one typed in, on the current input.

The numbers are :mod:`cnnlab.filters`' on the input's first channel (in [0, 1], before
the model's normalisation), with the library's default boundary mode, ``reflect``.
"""

from __future__ import annotations

import numpy as np

from .. import filters
from .._validation import received
from .images import grey_png, png, scaled
from .pictures import number_grid

MODE = "reflect"  # filters.apply's default, and `cnnlab filter --kernel-file`'s
TYPED_SIZES = (3, 5)  # a typed-in kernel is 3x3 or 5x5
SMALL = 64  # values travel as JSON up to 64x64


class Playground:
    """The last filter result of a session; its picture for ``/api/filter.png``."""

    def __init__(self):
        self.version = 0
        self.picture = png(np.zeros((1, 1), np.uint8))

    def run(self, image: np.ndarray, request: dict) -> dict:
        """Apply the filter ``request`` names (see API.md) to ``image`` ``(H, W)``."""
        result, angle, name, stretched = _filtered(image, request)
        low, high = float(result.min()), float(result.max())
        answer = {"name": name, "mode": MODE, "min": low, "max": high,
                  "shape": list(result.shape)}  # fmt: skip
        if max(result.shape) <= SMALL:
            answer["values"] = result.tolist()
            if angle is not None:
                answer["angle"] = angle.tolist()
        self.picture = grey_png(result) if stretched else png(scaled(result, 0.0, 1.0))
        self.version += 1
        answer["version"] = self.version
        return answer


def _filtered(image: np.ndarray, request: dict):
    """The result, the gradient's angle (or None), a name, and whether its picture spans
    its own range (signed responses, the gradient's magnitude) rather than [0, 1]."""
    if "kernel" in request:
        kernel = _typed_kernel(request["kernel"])
        return filters.convolve(image, kernel, mode=MODE), None, "kernel", True
    name = request.get("name")
    params = {k: v for k, v in request.items() if k != "name"}
    if name == "gradient":
        operator = params.pop("operator", "sobel")
        if params:
            raise ValueError(f"The gradient takes only `operator`. {received(**params)}")
        if operator not in filters.GRADIENT_OPERATORS:
            raise ValueError(
                f"`operator` must be one of {', '.join(filters.GRADIENT_OPERATORS)}. "
                f"{received(operator=operator)}"
            )
        g = filters.gradient(image, operator=operator, mode=MODE)
        return g.magnitude, g.angle, "gradient", True
    if name not in filters.FILTERS:
        raise ValueError(
            f'The filter is {{"name": one of {", ".join(filters.FILTERS)}, gradient}} or '
            f'{{"kernel": [[...]]}}. {received(name=name)}'
        )
    for key in ("size",):
        if key in params and (not isinstance(params[key], int) or isinstance(params[key], bool)):
            raise ValueError(f"`{key}` must be an integer. {received(**{key: params[key]})}")
    if "size" in params and not 1 <= params["size"] <= 15:
        raise ValueError(f"`size` must be in 1..15. {received(size=params['size'])}")
    result = filters.apply(image, name, mode=MODE, **params)
    return result, None, name, filters.is_signed(name)


def _typed_kernel(kernel) -> np.ndarray:
    array = number_grid(kernel)
    if array is None or array.shape not in {(n, n) for n in TYPED_SIZES}:
        raise ValueError(
            f"`kernel` must be a 3x3 or 5x5 grid of numbers. {received(kernel=kernel)}"
        )
    return array
