"""Containers: ``Sequential`` (a chain) and ``Residual`` (y = main(x) + shortcut(x)).

Both are composed modules: their ``forward`` calls their layers, and their backward is
the record of that forward replayed (:mod:`cnnlab.nn.recording`), as for any network.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..grad_mode import is_grad_enabled
from . import ops
from .in_place import apply_layers_in_place
from .module import Module


class Sequential(Module):
    """Layers applied one after another, in the order ``print(model)`` shows.

    An error inside a layer is raised again naming the layer, so a shape mistake in a
    deep network says where it happened.

    >>> from cnnlab.nn import Identity
    >>> net = Sequential(Identity(), Identity())
    >>> net(np.ones(3))
    array([1., 1., 1.])
    >>> len(net), list(dict(net.named_children()))
    (2, ['0', '1'])
    """

    def __init__(self, *layers: Module):
        super().__init__()
        for index, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(
                    f"Every layer of a Sequential must be a cnnlab Module; layer {index} is "
                    f"not. Received: layer {index} of type {type(layer).__name__}."
                )
        self.layers = list(layers)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for index, layer in enumerate(self.layers):
            yield str(index), layer

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int | slice) -> Module:
        """One layer, or for a slice a new ``Sequential`` of those layers (as torch does).

        >>> from cnnlab.nn import Identity, ReLU
        >>> Sequential(Identity(), ReLU(), Identity())[:2]
        Sequential(
          (0): Identity()
          (1): ReLU()
        )
        """
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def append(self, layer: Module) -> Sequential:
        self.layers.append(layer)
        return self

    def forward(self, x: np.ndarray) -> np.ndarray:
        return chain(x, *self.layers)


def chain(x: np.ndarray, *layers: Module, fresh: bool = False) -> np.ndarray:
    """``x`` through ``layers`` one after another, as ``Sequential`` runs them.

    Under ``no_grad()`` nothing is kept for backward, so a ReLU or batch norm overwrites
    the fresh array that the layer before it made (:mod:`cnnlab.nn.in_place`);
    ``fresh=True`` says that ``x`` is such an array too: one the caller made and needs
    no more. With gradients on every layer makes its own array.

    >>> from cnnlab.nn import ReLU
    >>> chain(np.array([-1.0, 2.0]), ReLU(), ReLU())
    array([0., 2.])
    """
    if not is_grad_enabled():
        return apply_layers_in_place(layers, x, fresh)
    for layer in layers:
        x = layer(x)
    return x


class Residual(Module):
    """``y = main(x) + shortcut(x)``; the shortcut is the identity when not given.

    Backward sends ``grad_out`` down both paths and adds what comes back.

    >>> from cnnlab.nn import Identity
    >>> block = Residual(Identity())
    >>> block(np.ones(2)), block.backward(np.ones(2))
    (array([2., 2.]), array([2., 2.]))
    """

    def __init__(self, main: Module, shortcut: Module | None = None):
        super().__init__()
        self.main = main
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x: np.ndarray) -> np.ndarray:
        y = self.main(x)
        skip = self.shortcut(x) if hasattr(self, "shortcut") else x
        if y.shape != skip.shape:
            raise ValueError(
                "The main path and the shortcut of a Residual must give the same shape. "
                f"Received: main output with shape {y.shape}, shortcut output with shape "
                f"{skip.shape}."
            )
        return ops.add(y, skip)
