"""ReLU then max pooling runs as max pooling then ReLU: the same numbers, a quarter the work.

ReLU never decreases, so it commutes with a maximum: ``max(relu(a), relu(b)) =
relu(max(a, b))``. A max pool after a ReLU therefore gives the same output when it pools
first, and the ReLU then touches only the pooled array (a quarter of the elements for
2x2 windows). The input gradients agree too: each window's gradient reaches its first
largest input element times ``relu'(largest)``, which is zero exactly where the written
order gives zero (a window whose largest element is not positive, where every element
has ``relu' = 0``). Two small differences remain, both in values the written order
does not define well: where overlapping windows meet, a zero gradient may be ``+0.0``
instead of ``-0.0``; and a window holding NaN sends no gradient (in either order its
``NaN == NaN`` comparison fails, so neither matches PyTorch there).

:class:`~cnnlab.nn.Sequential` uses this for a ``ReLU`` followed by ``MaxPool1d`` or
``MaxPool2d`` (those classes exactly, not subclasses) when every window holds at least
one input element (no padding, or no dilation: a dilated window may hold only padding,
whose ``-inf`` the written order keeps and ReLU would turn into 0). Backward runs over
the layers the forward ran, in reverse. The written order is kept when either layer is
being traced (activation capture, saliency) or has had its methods replaced, so that
every layer's recorded output is the one its place in the network gives.
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
        and _windows_hold_input(following)
        and not any(name in vars(module) for module in (layer, following) for name in _TRACED)
    )


def _windows_hold_input(pool: MaxPool1d | MaxPool2d) -> bool:
    """Whether every window holds an input element (padding is at most half the kernel)."""
    window = pool.window
    return not any(window.padding) or all(d == 1 for d in window.dilation)
