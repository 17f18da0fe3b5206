"""Seeing a model run: every module call, every op call, and each module's record.

One mechanism serves the whole package. :class:`Tracer` replaces each module's
``forward`` with a wrapper that records a :class:`Call` (input, output, the calls made
inside it), and, when asked, each ``backward`` with a wrapper that shows the gradient
arriving at the module to a hook, which may replace it. It also listens to the record
of composed modules (:mod:`cnnlab.nn.recording`): each op call (``ops.add`` joining two
branches) becomes an :class:`OpCall`, and each composed call keeps its ``record``, the
graph of which call fed which. Leaving the ``with`` block puts every original method
back, also after an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .._validation import closest_names, received
from ..nn import Module, recording

BackwardHook = Callable[[str, Module, np.ndarray], "np.ndarray | None"]


@dataclass(eq=False)
class Call:
    """One call of one module's ``forward``: where it sits and what went in and out."""

    name: str
    module: Module
    depth: int  # -1 for the model itself, 0 for its direct children
    input: np.ndarray
    output: np.ndarray | None = None
    children: list[Call] = field(default_factory=list)
    error: BaseException | None = None
    record: recording.Record | None = None  # a composed module's calls, as data flow


@dataclass(eq=False)
class OpCall:
    """One call of an op of :mod:`cnnlab.nn.ops` inside a composed module's forward."""

    name: str  # "add", "concatenate", ...
    owner: Module  # the module whose forward called it
    inputs: tuple
    output: np.ndarray


class Tracer:
    """Record every module's forward call while the ``with`` block runs.

    ``calls`` holds the calls in the order they started (the model itself first),
    ``finished`` those that returned, in the order they returned, ``events`` the same
    with the op calls (:class:`OpCall`) among them, and ``failure`` the innermost call
    that raised, if one did. ``on_backward(name, module, grad_out)`` is
    called as the gradient enters a module's ``backward``; a returned array replaces it.

    >>> from cnnlab.nn import ReLU, Sequential
    >>> model = Sequential(ReLU())
    >>> with Tracer(model) as tracer:
    ...     _ = model(np.ones((1, 2)))
    >>> [(call.name, call.output.shape) for call in tracer.finished]
    [('0', (1, 2)), ('', (1, 2))]
    >>> "forward" in vars(model)  # the wrappers are gone
    False
    """

    def __init__(self, model: Module, on_backward: BackwardHook | None = None):
        self.model = check_model(model)
        self.on_backward = on_backward
        self.calls: list[Call] = []
        self.finished: list[Call] = []
        self.events: list[Call | OpCall] = []
        self.failure: Call | None = None
        self._stack: list[Call] = []
        self._saved: list[tuple[Module, str, object]] = []

    def __enter__(self) -> Tracer:
        seen: set[int] = set()
        try:
            for name, module in self.model.named_modules():
                if id(module) not in seen:  # a module shared by two parents: wrap it once
                    seen.add(id(module))
                    self._wrap(name, module)
        except BaseException:
            self._restore()
            raise
        recording.listeners.append(self._listen)
        return self

    def __exit__(self, *exc_info) -> None:
        recording.listeners.remove(self._listen)
        self._restore()

    def _listen(self, event: str, owner: Module, entry, values) -> None:
        if event == "op":
            inputs, output = values
            self.events.append(OpCall(entry.name, owner, inputs, output))
        elif event == "record":
            for call in reversed(self.finished):
                if call.module is owner:
                    call.record = entry
                    break

    def output_of(self, module: Module, name: str) -> np.ndarray:
        """The output of ``module``'s last call (``name`` is for the error message)."""
        outputs = [call.output for call in self.finished if call.module is module]
        if not outputs:
            raise ValueError(
                f"Layer '{name}' {module.short_repr()} is not used by the model's forward pass, "
                f"so it has no output to look at. {received(layer=name)}"
            )
        return outputs[-1]

    def _replace(self, module: Module, attribute: str, method: Callable) -> None:
        self._saved.append((module, attribute, vars(module).get(attribute, _ABSENT)))
        setattr(module, attribute, method)

    def _restore(self) -> None:
        while self._saved:
            module, attribute, previous = self._saved.pop()
            if previous is _ABSENT:
                vars(module).pop(attribute, None)
            else:
                setattr(module, attribute, previous)

    def _wrap(self, name: str, module: Module) -> None:
        forward = module.forward
        depth = name.count(".") if name else -1

        def traced_forward(*inputs):
            call = Call(name, module, depth, inputs[0] if len(inputs) == 1 else inputs)
            if self._stack:
                self._stack[-1].children.append(call)
            self.calls.append(call)
            self._stack.append(call)
            try:
                call.output = forward(*inputs)
            except Exception as error:
                call.error = error
                if self.failure is None:  # the first to see it is the innermost
                    self.failure = call
                raise
            finally:
                self._stack.pop()
            self.finished.append(call)
            self.events.append(call)
            return call.output

        self._replace(module, "forward", traced_forward)
        # every call must go through forward, and no output seen may be overwritten later
        self._replace(module, "forward_in_place", _never_in_place)
        if self.on_backward is not None:
            backward, hook = module.backward, self.on_backward

            def traced_backward(grad_out):
                replaced = hook(name, module, grad_out)
                return backward(grad_out if replaced is None else replaced)

            self._replace(module, "backward", traced_backward)


_ABSENT = object()


def _never_in_place(x) -> bool:
    return False


@contextmanager
def evaluating(model: Module, keep_grads: bool = False) -> Iterator[Module]:
    """Run ``model`` in evaluation mode for a while, then give back its modes and gradients.

    Inspection must not change what it inspects: batch norm keeps its running statistics,
    dropout its generator, and (``keep_grads``) every ``Parameter.grad`` its value.
    """
    modes = [(module, module.training) for module in check_model(model).modules()]
    grads = [(p, p.grad.copy()) for p in model.parameters()] if keep_grads else []
    model.eval()
    try:
        yield model
    finally:
        for module, mode in modes:
            module.training = mode
        for parameter, grad in grads:
            parameter.grad = grad


def check_model(model) -> Module:
    """Refuse anything but a cnnlab ``Module``."""
    if not isinstance(model, Module):
        raise TypeError(f"`model` must be a cnnlab Module. {received(model=model)}")
    return model


def find_layer(model: Module, layer: str | Module) -> tuple[str, Module]:
    """The dotted name and the module for ``layer``, given by name or as the module itself.

    >>> from cnnlab.nn import ReLU, Sequential
    >>> find_layer(Sequential(ReLU(), ReLU()), "1")
    ('1', ReLU())
    """
    named = [(name, module) for name, module in check_model(model).named_modules() if name]
    for name, module in named:
        if module is layer or (isinstance(layer, str) and name == layer):
            return name, module
    names = [name for name, _ in named]
    hint = closest_names(str(layer), names) if isinstance(layer, str) else []
    suggestion = f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""
    shown = ", ".join(repr(n) for n in names[:12]) + (", ..." if len(names) > 12 else "")
    raise ValueError(
        f"`layer` must be the name of a module inside the model, one of {shown}{suggestion}, "
        f"or the module itself. {received(layer=layer)}"
    )


def capture_activations(model: Module, x: np.ndarray) -> dict[str, np.ndarray]:
    """Every module's output for the input ``x``, by dotted name, in the order computed.

    The model runs once in evaluation mode (dropout off, batch norm on its running
    statistics); its modes are restored afterwards. A container's entry is the output of
    the container (for a ``Sequential``, the same array as its last layer's).

    Parameters
    ----------
    model : Module
    x : ndarray
        A batch, e.g. ``(1, C, H, W)``.

    Returns
    -------
    dict of str to ndarray
        Keys as in ``model.named_modules()`` (the model itself is left out).

    Examples
    --------
    >>> from cnnlab.models import lenet5
    >>> maps = capture_activations(lenet5(rng=0), np.zeros((1, 1, 28, 28), np.float32))
    >>> [(name, a.shape) for name, a in list(maps.items())[:3]]
    [('0', (1, 6, 28, 28)), ('1', (1, 6, 28, 28)), ('2', (1, 6, 14, 14))]
    """
    with evaluating(model), Tracer(model) as tracer:
        model(x)
    return {call.name: call.output for call in tracer.finished if call.name}
