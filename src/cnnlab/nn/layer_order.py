"""ReLU then max pooling runs as max pooling then ReLU: the same numbers, a quarter the work.

ReLU never decreases, so it commutes with a maximum: ``max(relu(a), relu(b)) =
relu(max(a, b))``, NaN included. A max pool after a ReLU therefore gives the same output
when it pools first, and the ReLU then touches only the pooled array (a quarter of the
elements for 2x2 windows). The gradients agree too: each window's gradient reaches its
first largest input element times ``relu'(largest)``, which is zero exactly where
PyTorch's order gives zero (a window whose largest element is not positive, where every
element has ``relu' = 0``).

:class:`~cnnlab.nn.Sequential` uses this for a ``ReLU`` followed by ``MaxPool1d`` or
``MaxPool2d`` (those classes exactly, not subclasses), and runs backward in the order
forward ran. It keeps the written order when either layer is being traced (activation
capture, saliency) or has had its methods replaced, so that every layer's recorded
output is the one its place in the network gives.
"""

from __future__ import annotations

from collections.abc import Sequence

from .activation import ReLU
from .module import Module
from .pooling import MaxPool1d, MaxPool2d

_TRACED = ("forward", "forward_in_place", "backward")  # what tracing replaces per instance


def execution_order(layers: Sequence[Module]) -> list[int]:
    """The order in which to run ``layers``: each ReLU right before a max pool runs after it.

    >>> from cnnlab.nn import Flatten
    >>> execution_order([ReLU(), MaxPool2d(2), Flatten()])
    [1, 0, 2]
    """
    order: list[int] = []
    index = 0
    while index < len(layers):
        if index + 1 < len(layers) and _pools_first(layers[index], layers[index + 1]):
            order += [index + 1, index]
            index += 2
        else:
            order.append(index)
            index += 1
    return order


def _pools_first(layer: Module, following: Module) -> bool:
    return (
        type(layer) is ReLU  # exact types: a subclass may compute something else
        and type(following) in (MaxPool1d, MaxPool2d)
        and not any(name in vars(module) for module in (layer, following) for name in _TRACED)
    )
