"""Containers: ``Sequential`` (a chain) and ``Residual`` (y = f(x) + shortcut(x))."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .in_place import apply_layer
from .layer_order import execution_order
from .module import Module


class Sequential(Module):
    """Layers applied one after another; backward runs them in reverse.

    An error inside a layer is raised again naming the layer, so a shape mistake in a
    deep network says where it happened. A ReLU followed by a max pool runs after it, on
    the pooled array: the same result for less work (:mod:`~cnnlab.nn.layer_order`).

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

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def append(self, layer: Module) -> Sequential:
        self.layers.append(layer)
        return self

    def forward(self, x: np.ndarray) -> np.ndarray:
        fresh = False  # x is the caller's: never overwritten
        order = execution_order(self.layers)
        self._ran = [self.layers[index] for index in order]
        for index in order:
            layer = self.layers[index]
            try:
                x, fresh = apply_layer(layer, x, fresh)
            except (ValueError, TypeError) as error:
                raise type(error)(
                    f"layer {index} ({layer.short_repr()}) in Sequential: {error}"
                ) from error
        return x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        for layer in reversed(self._layers_ran()):
            grad_out = layer.backward(grad_out)
        return grad_out

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """Every layer's parameter gradients; the first layer's input gradient is skipped."""
        layers = self._layers_ran()
        for layer in reversed(layers[1:]):
            grad_out = layer.backward(grad_out)
        if layers:
            layers[0].backward_parameters(grad_out)

    def _layers_ran(self) -> list[Module]:
        """The layers of the last forward, in the order it ran them (else as written)."""
        return getattr(self, "_ran", None) or self.layers


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
        return y + skip

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        grad_skip = self.shortcut.backward(grad_out) if hasattr(self, "shortcut") else grad_out
        return self.main.backward(grad_out) + grad_skip
