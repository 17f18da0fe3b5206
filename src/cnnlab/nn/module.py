"""Module: the base of every layer and every network.

The contract (Torch7's, written once here):

- ``forward(x)`` computes the output and keeps only what ``backward`` needs;
- ``backward(grad_out)`` returns the gradient with respect to the input and adds (``+=``)
  into each ``Parameter.grad``. A built-in layer writes its own; a module that does not
  (a network built from children and :mod:`cnnlab.nn.ops`) gets it from the record of
  its forward (:mod:`cnnlab.nn.recording`);
- parameters, buffers and sub-modules are ordinary attributes, found by walking
  ``vars(self)``, so ``state_dict()`` keys read like PyTorch's (``features.0.weight``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from .._validation import received
from .parameter import Parameter
from .recording import call_module, replay


class Module:
    """Base class of cnnlab layers.

    Subclasses set parameters (``Parameter``), buffers (arrays named in
    ``register_buffer``) and sub-modules as attributes, and define ``forward``. A network
    calls its children (and :mod:`cnnlab.nn.ops`) in ``forward`` and needs no backward:

    >>> from cnnlab.nn import Linear, ops
    >>> class TwoBranches(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.left, self.right = Linear(3, 2, rng=0), Linear(3, 2, rng=1)
    ...     def forward(self, x):
    ...         return ops.add(self.left(x), self.right(x))
    >>> net = TwoBranches()
    >>> net(np.ones((1, 3))).shape, net.backward(np.ones((1, 2))).shape
    ((1, 2), (1, 3))

    A layer computes its own gradients in ``backward``:

    >>> class Scale(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.weight = Parameter(np.array([2.0]))
    ...     def forward(self, x):
    ...         self.x = x
    ...         return self.weight.data * x
    ...     def backward(self, grad_out):
    ...         self.weight.grad += np.sum(grad_out * self.x, keepdims=True).reshape(1)
    ...         return grad_out * self.weight.data
    >>> m = Scale()
    >>> m(np.array([1.0, 3.0]))
    array([2., 6.])
    >>> m.backward(np.ones(2)), m.weight.grad
    (array([2., 2.]), array([4.]))
    >>> list(m.state_dict())
    ['weight']
    """

    def __init__(self) -> None:
        self.training = True
        self._buffer_names: list[str] = []

    # -- the contract ---------------------------------------------------------------
    def __call__(self, *inputs):
        return call_module(self, inputs)

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise TypeError(f"{type(self).__name__} does not define forward().")

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """Replay the record of the last forward in reverse (a composed module's backward)."""
        return replay(self, grad_out)

    backward.replays_record = True  # a subclass that defines backward is a leaf

    def no_forward_error(self) -> RuntimeError:
        """The error of a ``backward()`` with no forward pass to differentiate."""
        return RuntimeError(
            f"{type(self).__name__}.backward() was called without a forward() to "
            "differentiate: call the layer on an input first, outside no_grad()."
        )

    def prepare_second_call(self) -> None:
        """Called before this layer runs again within one recorded forward pass.

        A layer whose forward reuses scratch buffers from its previous call replaces them
        here, so that the earlier call's backward still finds its own. By default: nothing.
        """

    def forward_in_place(self, x: np.ndarray) -> bool:
        """Overwrite ``x`` with this layer's output if the layer can; say whether it did.

        Only containers call it, on a fresh array that nobody else holds (see
        :mod:`cnnlab.nn.in_place`). By default a layer cannot.
        """
        return False

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """Only the parameter gradients: for a network whose input needs no gradient.

        Training calls this instead of :meth:`backward`, since the data is not trained:
        a convolution or linear layer then skips its input gradient (PyTorch skips it for
        an input that does not require grad), and ``Sequential`` asks this of its first
        layer. By default it runs :meth:`backward` and drops the input gradient; a
        composed module replays its record, asking the same of the calls that read its
        input.
        """
        if getattr(type(self).backward, "replays_record", False):
            replay(self, grad_out, parameters_only=True)
        else:
            self.backward(grad_out)

    # -- walking the tree -----------------------------------------------------------
    def register_buffer(self, name: str, value: np.ndarray) -> None:
        """Keep ``value`` as state that is saved and loaded but not trained."""
        setattr(self, name, value)
        if name not in self._buffer_names:
            self._buffer_names.append(name)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every descendant, depth first, with dotted names."""
        yield prefix, self
        for name, child in self.named_children():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        for module_name, module in self.named_modules(prefix):
            for name, value in vars(module).items():
                if isinstance(value, Parameter):
                    yield (f"{module_name}.{name}" if module_name else name), value

    def parameters(self) -> Iterator[Parameter]:
        for _, parameter in self.named_parameters():
            yield parameter

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, np.ndarray]]:
        for module_name, module in self.named_modules(prefix):
            for name in module._buffer_names:
                yield (f"{module_name}.{name}" if module_name else name), getattr(module, name)

    # -- state ----------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Parameters and buffers by PyTorch's key names, in PyTorch's order (copies)."""
        state: dict[str, np.ndarray] = {}
        for module_name, module in self.named_modules():
            dotted = f"{module_name}." if module_name else ""
            for name, value in vars(module).items():
                if isinstance(value, Parameter):
                    state[dotted + name] = value.data.copy()
            for name in module._buffer_names:
                state[dotted + name] = np.array(getattr(module, name), copy=True)
        return state

    def state_shapes(self) -> dict[str, tuple[int, ...]]:
        """The shape of each :meth:`state_dict` entry, by the same names, copying nothing.

        >>> from cnnlab.nn import Linear
        >>> Linear(3, 2, rng=0).state_shapes()
        {'weight': (2, 3), 'bias': (2,)}
        """
        shapes = {}
        for name, (owner, attribute) in _state_owners(self).items():
            value = getattr(owner, attribute)
            shapes[name] = np.shape(value.data if isinstance(value, Parameter) else value)
        return shapes

    def load_state_dict(self, state: Mapping[str, np.ndarray], strict: bool = True) -> None:
        """Copy values from ``state`` into this module, keeping each array's dtype.

        Refuses (``ValueError``) a state whose names or shapes differ from the model's,
        with a message listing every difference. ``strict=False`` ignores missing and
        unexpected names but never a shape mismatch.
        """
        problems = shape_problems(self.state_shapes(), state, strict)
        if problems:
            raise ValueError(
                f"The state does not match {type(self).__name__}:\n  " + "\n  ".join(problems)
            )
        for name, (owner, attribute) in _state_owners(self).items():
            if name not in state:
                continue
            value = np.asarray(state[name])
            current = getattr(owner, attribute)
            if isinstance(current, Parameter):
                np.copyto(current.data, value, casting="unsafe")
            else:
                setattr(owner, attribute, value.astype(np.asarray(current).dtype, copy=True))

    def zero_grad(self) -> None:
        for parameter in self.parameters():
            parameter.zero_grad()

    def train(self, mode: bool = True) -> Module:
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        return self.train(False)

    def to(self, dtype) -> Module:
        """Convert every parameter and floating-point buffer to ``dtype`` (in place).

        ``model.to(np.float64)`` is how gradient checks run in double precision.
        """
        dtype = np.dtype(dtype)
        if not np.issubdtype(dtype, np.floating):
            raise TypeError(f"`dtype` must be a floating-point type. {received(dtype=dtype)}")
        for module in self.modules():
            for value in vars(module).values():
                if isinstance(value, Parameter):
                    value.astype(dtype)
            for name in module._buffer_names:
                buffer = np.asarray(getattr(module, name))
                if np.issubdtype(buffer.dtype, np.floating):
                    setattr(module, name, buffer.astype(dtype))
        return self

    def num_parameters(self) -> int:
        return sum(p.size for p in self.parameters())

    # -- printing -------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's one-line repr."""
        return ""

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in children:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        lines.append(")")
        return "\n".join(lines)

    def short_repr(self) -> str:
        """One line naming this module, for error messages: ``Conv2d(6 -> 16, ...)``."""
        if any(True for _ in self.named_children()):
            return type(self).__name__
        return f"{type(self).__name__}({self.extra_repr()})"


def _state_owners(module: Module) -> dict[str, tuple[Module, str]]:
    owners: dict[str, tuple[Module, str]] = {}
    for module_name, sub in module.named_modules():
        dotted = f"{module_name}." if module_name else ""
        for name, value in vars(sub).items():
            if isinstance(value, Parameter):
                owners[dotted + name] = (sub, name)
        for name in sub._buffer_names:
            owners[dotted + name] = (sub, name)
    return owners


def shape_problems(
    expected: Mapping[str, tuple[int, ...]], state: Mapping[str, object], strict: bool = True
) -> list[str]:
    """Every difference between the names and shapes a model expects and a state holds."""
    problems = []
    if strict:
        problems += [
            f"missing: {name} {tuple(shape)}"
            for name, shape in expected.items()
            if name not in state
        ]
        problems += [
            f"unexpected: {name} {tuple(np.shape(state[name]))}"
            for name in state
            if name not in expected
        ]
    for name, shape in expected.items():
        if name in state and tuple(np.shape(state[name])) != tuple(shape):
            problems.append(
                f"shape of {name}: model has {tuple(shape)}, state has "
                f"{tuple(np.shape(state[name]))}"
            )
    return problems
