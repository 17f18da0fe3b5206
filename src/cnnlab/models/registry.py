"""The architectures by name, for the command line and saved model descriptions."""

from __future__ import annotations

from typing import Any

from .._validation import check_choice
from ..nn import Module
from .lenet import lenet5
from .vgg import small_vgg

ARCHITECTURES = {"lenet5": lenet5, "small_vgg": small_vgg}


def build_model(name: str, **kwargs: Any) -> Module:
    """Build the architecture called ``name`` with keyword arguments of its function.

    >>> import numpy as np
    >>> build_model("lenet5", num_classes=3, input_size=32)(np.zeros((1, 1, 32, 32))).shape
    (1, 3)
    """
    name = check_choice("model", name, tuple(ARCHITECTURES))
    return ARCHITECTURES[name](**kwargs)
