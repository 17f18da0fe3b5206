"""Composition: a forward pass is recorded call by call, and backward replays the record.

A module whose class defines no ``backward`` is *composed*: its ``forward`` calls child
modules and the array ops of :mod:`cnnlab.nn.ops`, and Python decides which calls happen
(``if``, ``for``). While that forward runs, every call adds one :class:`Entry` to a
:class:`Record`: which values went in, which came out, and how a gradient goes back
through it (a child module's own ``backward``, or the op's backward written beside it).
This is not a scalar autograd: the record holds one entry per module or op call.

Every value gets a number, a *node*: the forward's inputs first, then each call's
output. ``backward(grad_out)`` walks the entries in reverse and keeps one gradient per
node; a value used twice receives two gradients, which are added::

    forward                     nodes       backward: the record reversed
    h = self.conv(x)            x: 0, h: 1  grad[2] = grad_out
    y = ops.add(h, x)           y: 2        add:  grad[1] += grad[2];  grad[0] += grad[2]
    return y                                conv: grad[0] += conv.backward(grad[1])
                                            return grad[0]

Three details make a module called twice in one forward work: arrays are known by their
``id()`` while the forward runs (the record keeps them alive, so no ``id`` is reused);
each entry keeps the attributes its module's forward wrote (its cache), which are put
back just before that entry's backward; and a layer called a second time is first told
so (``Module.prepare_second_call``), to leave the scratch buffers of its first call alone.

Built-in layers define ``backward`` and are leaves: their forward is one entry.
Under :func:`~cnnlab.grad_mode.no_grad` nothing is recorded.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from itertools import compress
from operator import is_not
from typing import TYPE_CHECKING, Any

import numpy as np

from ..grad_mode import is_grad_enabled
from .parameter import Parameter

if TYPE_CHECKING:
    from .module import Module

Backward = Callable[[np.ndarray], tuple]


@dataclass(eq=False, slots=True)
class Entry:
    """One call in a forward pass: a child module's or an op's."""

    caller: Module | str  # the module whose forward made the call; or the op's name
    module: Module | None  # None for an op
    inputs: tuple[int | None, ...]  # a node per input; None for a constant
    output: int
    shape: tuple[int, ...]  # of the output
    backward: Backward | None = None  # an op's: gradient -> one gradient per input
    state: dict | None = None  # what the module's forward wrote
    arguments: dict | None = None  # an op's constants ({"axis": 1}), kept while traced

    @property
    def name(self) -> str:
        """The child's attribute name in its caller ("conv1", "0"), or the op's ("add")."""
        return self.caller if self.module is None else _child_name(self.caller, self.module)


class Record:
    """The calls one forward pass of ``owner`` made, in order."""

    def __init__(self, owner: Module, inputs: tuple):
        self.owner = owner
        self.entries: list[Entry] = []
        self._nodes: dict[int, int] = {}  # id(array) -> its newest node, while forward runs
        self._alive: list[Any] = []  # keeps those arrays, so that no id is reused
        self.inputs = tuple(self._new_node(x) for x in inputs)
        self.input_shapes = tuple(np.shape(x) for x in inputs)
        self.output: int | None = None

    def _new_node(self, value) -> int:
        """The next node number, for ``value``; only an array can be found by it later."""
        node = len(self._alive)
        self._alive.append(value)
        if isinstance(value, np.ndarray):
            self._nodes[id(value)] = node
        return node

    def node_of(self, value) -> int | None:
        """The node of ``value``, or None for a value no recorded call made (or no array)."""
        return self._nodes.get(id(value))

    def nodes_of(self, inputs: tuple) -> tuple[int | None, ...]:
        """The node of each input; an array no recorded call made is refused."""
        nodes = tuple(map(self._nodes.get, map(id, inputs)))
        if None in nodes:
            _check_inputs_recorded(self, inputs)
        return nodes

    def add(self, caller, module, nodes: tuple, output, backward=None, state=None) -> Entry:
        """Note a call that read ``nodes`` and returned ``output`` (a new node)."""
        node = len(self._alive)
        self._alive.append(output)
        if isinstance(output, np.ndarray):  # only an array is found by its id later
            self._nodes[id(output)] = node
            shape = output.shape
        else:
            shape = np.shape(output)
        entry = Entry(caller, module, nodes, node, shape, backward, state)
        self.entries.append(entry)
        return entry

    def finish(self, output) -> None:
        """Note which node the forward returned; let go of the arrays."""
        self.output = self.node_of(output)
        self.output_type = type(output).__name__
        self._nodes, self._alive = {}, []

    def check_replayable(self) -> None:
        if self.output is None:
            raise TypeError(
                f"{type(self.owner).__name__}.forward() returned a value that no recorded "
                "call made, so its backward cannot be replayed. Compute it with child "
                "modules and cnnlab.nn.ops (ops.add(a, b), not a + b), or define backward(). "
                f"Received: a {self.output_type} from forward()."
            )


# -- the stack of modules running now ---------------------------------------------------
class _Running(threading.local):
    """This thread's modules running now, innermost last: ``(module, its record or None)``.

    The record is None inside a leaf, or under no_grad. ``called`` holds the ids of the
    modules the whole forward pass has called so far.
    """

    def __init__(self) -> None:
        self.stack: list[tuple[Module, Record | None]] = []
        self.called: set[int] = set()


_running = _Running()
#: Callbacks ``(event, owner, entry, values)`` that inspection registers (see Tracer).
listeners: list[Callable] = []


def is_composed(module: Module) -> bool:
    """Whether ``module`` gets its backward from the record (its class defines none)."""
    return getattr(type(module).backward, "replays_record", False)


def call_module(module: Module, inputs: tuple):
    """``module(*inputs)``: run its forward, recorded into the caller's record if any."""
    stack = _running.stack
    parent, record = stack[-1] if stack else (None, None)
    composed = getattr(type(module).backward, "replays_record", False)  # is_composed()
    if record is not None:  # a call inside a recorded forward: noted, whatever the grad mode
        called = _running.called
        if id(module) in called:
            module.prepare_second_call()
        else:
            called.add(id(module))
        grad_enabled = is_grad_enabled() if composed else True  # a leaf records nothing itself
        before = vars(module).copy()
    else:
        if parent is None:
            _running.called = set()
        grad_enabled = is_grad_enabled()
        before = None if grad_enabled else vars(module).copy()
    own = Record(module, inputs) if composed and grad_enabled else None
    stack.append((module, own))
    try:
        nodes = record.nodes_of(inputs) if record is not None else None
        output = module.forward(*inputs)
        if own is not None:
            own.finish(output)
            module._record = own
            for listener in listeners:
                listener("record", module, own, ())
    except (ValueError, TypeError) as error:
        if parent is None:
            raise
        name = _child_name(parent, module)
        where = f"layer {name} ({module.short_repr()}) in {type(parent).__name__}"
        raise _named(error, where) from error
    finally:
        stack.pop()
    if record is not None:
        state = _written(module, before)
        record.add(parent, module, nodes, output, None, state)
    elif not grad_enabled:
        _let_go_of_caches(module, before)
    return output


def _written(module: Module, before: dict) -> dict:
    """The attributes ``module``'s forward wrote (its cache): those it added, and those it
    bound to another object than in ``before`` (a copy of its attributes); not buffers.
    """
    attributes = vars(module)
    if list(attributes) == list(before):  # the same names in the same order: side by side
        moved = map(is_not, attributes.values(), before.values())
        written = dict(compress(attributes.items(), moved))
    else:
        written = {k: v for k, v in attributes.items() if before.get(k, _ABSENT) is not v}
    for name in module._buffer_names:
        written.pop(name, None)
    return written


def _let_go_of_caches(module: Module, before: dict) -> None:
    """Under ``no_grad()`` a layer keeps nothing for backward: what its forward cached goes.

    What the forward wrote (arrays, contexts) is set back to None, so an inference pass
    holds each activation only while the next layer reads it; buffers, parameters,
    sub-modules and plain settings (numbers, strings) stay. A backward after it then
    finds no forward to differentiate, as the layers' own checks say.
    """
    for key, value in list(vars(module).items()):
        if before.get(key, _ABSENT) is value or value is None or key in module._buffer_names:
            continue
        if isinstance(value, (Parameter, bool, int, float, str)) or hasattr(value, "forward"):
            continue
        setattr(module, key, None)


def recorded_op(function: Callable) -> Callable:
    """Make ``function`` an op: it returns ``(output, backward)``; the op returns ``output``.

    The op's inputs are its positional arguments (a list of arrays counts as several);
    ``backward(grad)`` returns one gradient per input, ``None`` where there is none.
    The entry keeps the op's other arguments by name (``axis``, ``shape``, a number
    added), so that an export can write the same call again.
    """
    name = function.__name__
    signature = inspect.signature(function)

    @wraps(function)
    def op(*args, **kwargs):
        stack = _running.stack
        owner, record = stack[-1] if stack else (None, None)
        try:
            output, backward = function(*args, **kwargs)
        except (ValueError, TypeError) as error:
            if owner is None:
                raise
            raise _named(error, f"ops.{name} in {type(owner).__name__}") from error
        if record is not None:
            inputs = tuple(x for arg in args for x in (arg if isinstance(arg, list) else [arg]))
            nodes = tuple(map(record._nodes.get, map(id, inputs)))
            entry = record.add(name, None, nodes, output, backward=backward)
            if listeners:  # someone traces this forward (an export): keep the constants too
                entry.arguments = _constant_arguments(record, signature, args, kwargs)
            for listener in listeners:
                listener("op", owner, entry, (inputs, output))
        return output

    return op


def _constant_arguments(record: Record, signature, args: tuple, kwargs: dict) -> dict:
    """An op call's arguments by name, less its array inputs (recorded, or lists of them)."""
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return {
        name: value
        for name, value in bound.arguments.items()
        if record.node_of(value) is None
        and not (isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value))
    }


# -- backward: the record replayed -------------------------------------------------------
def replay(module: Module, grad_out: np.ndarray, parameters_only: bool = False):
    """Send ``grad_out`` back through ``module``'s last recorded forward.

    Returns the gradient for each input of that forward (one array for one input), or
    nothing when ``parameters_only``: then calls that read only the forward's own inputs
    compute just their parameter gradients (``Module.backward_parameters``).
    """
    record = vars(module).get("_record")
    if record is None:
        raise module.no_forward_error()
    record.check_replayable()
    roots = {*record.inputs, None}  # None: a constant input
    grads = {record.output: grad_out}
    for entry in reversed(record.entries):
        grad = grads.pop(entry.output, None)
        if grad is None:  # nothing used this output
            continue
        skip_inputs = parameters_only and roots.issuperset(entry.inputs)
        child = entry.module
        if child is None:  # an op
            if skip_inputs:
                continue
            input_grads = entry.backward(grad)
        else:
            if entry.state:  # this call's cache, if the module was called again since
                vars(child).update(entry.state)
            if skip_inputs:
                child.backward_parameters(grad)
                continue
            input_grads = child.backward(grad)
            if not isinstance(input_grads, tuple):
                input_grads = (input_grads,)
        for node, input_grad in zip(entry.inputs, input_grads, strict=False):
            if node is not None and input_grad is not None:
                grads[node] = input_grad if node not in grads else grads[node] + input_grad
    if parameters_only:
        return None
    results = tuple(
        grads[node] if node in grads else np.zeros(shape, dtype=grad_out.dtype)
        for node, shape in zip(record.inputs, record.input_shapes, strict=True)
    )
    return results[0] if len(results) == 1 else results


# -- errors -------------------------------------------------------------------------------
_ABSENT = object()


def _child_name(owner: Module, child: Module) -> str:
    for name, module in owner.named_children():
        if module is child:
            return name
    return type(child).__name__


def _named(error: Exception, where: str) -> Exception:
    """``error`` again, its message prefixed with the call that failed."""
    try:
        return type(error)(f"{where}: {error}")
    except Exception:  # an exception class with another signature
        return ValueError(f"{where}: {error}")


def _check_inputs_recorded(record: Record, inputs: tuple) -> None:
    for value in inputs:
        if isinstance(value, np.ndarray) and record.node_of(value) is None:
            raise ValueError(
                "Its input was not made by a recorded call, so no "
                "gradient could reach what it was computed from. NumPy arithmetic on a "
                "module's output (a + b, x.reshape(...)) is not recorded: use cnnlab.nn.ops "
                f"(ops.add(a, b), ops.reshape(x, shape)). {_received_input(value)}"
            )


def _received_input(value: np.ndarray) -> str:
    return f"Received: an array with shape {value.shape} and dtype {value.dtype}."
