"""The names of the 1000 ImageNet classes, in the order of the networks' outputs.

The short names are torchvision's (``_IMAGENET_CATEGORIES``, BSD-3-Clause; see
``imagenet_classes.LICENSE``), the labels the ResNeXt guesser bot printed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def imagenet_classes() -> tuple[str, ...]:
    """The 1000 ImageNet class names; index ``i`` names output ``i``.

    >>> names = imagenet_classes()
    >>> len(names), names[722], names[862]
    (1000, 'ping-pong ball', 'torch')
    """
    text = resources.files(__package__).joinpath("imagenet_classes.txt").read_text("utf-8")
    return tuple(text.splitlines())
