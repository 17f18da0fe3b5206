"""``fuse(model)``: a copy of a network with each ReLU + max pool replaced by one layer.

ReLU never decreases, so it commutes with a maximum: ``max(relu(a), relu(b)) =
relu(max(a, b))``. A max pool after a ReLU therefore gives the same output when it pools
first, and the ReLU then touches only the pooled array (a quarter of the elements for
2x2 windows). That is :class:`MaxPoolReLU`. The input gradients agree too: each window's
gradient reaches its first largest input element times ``relu'(largest)``, which is
zero exactly where the written order gives zero (a window whose largest element is not
positive, where every element has ``relu' = 0``). Two small differences remain, both in
values the written order does not define well: where overlapping windows meet, a zero
gradient may be ``+0.0`` instead of ``-0.0``; and a window holding NaN sends no gradient.

Nothing is reordered behind the user's back: ``Sequential`` runs its layers as
``print(model)`` shows them. :func:`fuse` returns a new model whose ``print`` shows the
fused layers, leaving the model it was given as it was.
"""

from __future__ import annotations

import copy

from .activation import ReLU
from .containers import Sequential
from .module import Module
from .pooling import MaxPool1d, MaxPool2d
from .shape import Identity


class MaxPoolReLU(Module):
    """``relu(pool(x))``: max pooling, then ReLU on the pooled array.

    Equal to ``pool(relu(x))`` (see :mod:`cnnlab.nn.fuse`) for a pool whose every
    window holds an input element; its backward is the record of this forward, replayed.

    >>> import numpy as np
    >>> layer = MaxPoolReLU(MaxPool1d(2))
    >>> layer(np.array([[[-3.0, -1.0, 2.0, 0.5]]]))
    array([[[0., 2.]]])
    """

    def __init__(self, pool: MaxPool1d | MaxPool2d):
        super().__init__()
        self.pool = pool
        self.relu = ReLU()

    def forward(self, x):
        return self.relu(self.pool(x))


def fuse(model: Module) -> Module:
    """A copy of ``model`` in which every ReLU directly followed by a max pool inside a
    ``Sequential`` becomes one :class:`MaxPoolReLU`, with an ``Identity`` in the pool's
    place (so the layers after keep their indices and state-dict keys, as in
    ``torch.ao.quantization.fuse_modules``).

    >>> from cnnlab.models import lenet5
    >>> fused = fuse(lenet5(rng=0))
    >>> fused[1], fused[2]
    (MaxPoolReLU(
      (pool): MaxPool2d(kernel_size=2, stride=2)
      (relu): ReLU()
    ), Identity())
    """
    fused = copy.deepcopy(model)
    for module in fused.modules():
        if isinstance(module, Sequential):
            layers = module.layers
            for index in range(len(layers) - 1):
                if _fusable(layers[index], layers[index + 1]):
                    layers[index], layers[index + 1] = MaxPoolReLU(layers[index + 1]), Identity()
    return fused


def _fusable(layer: Module, following: Module) -> bool:
    """A plain ReLU, then a plain max pool whose every window holds an input element.

    A dilated, padded window may hold only padding, whose ``-inf`` the written order
    keeps and ReLU would turn into 0.
    """
    if type(layer) is not ReLU or type(following) not in (MaxPool1d, MaxPool2d):
        return False
    window = following.window
    return not any(window.padding) or all(d == 1 for d in window.dilation)
