"""What a schematic shows: a network read from the record of one forward pass.

Each step turns one activation into the next: a convolution or pooling (with its window),
a flatten, a dense layer, or a block with branches. A composed module's record says which
call fed which (:mod:`cnnlab.nn.recording`): calls in a row become steps in a row, and
paths that leave one value and meet again at an ``ops.add`` become a residual block (the
longer path in its box, the other on the skip arc; an empty one is the identity), or at
an ``ops.concatenate`` a block of side-by-side branches. Shape-keeping layers that follow
a step (activations, batch norm, dropout) become part of its label ("conv + BN + ReLU"),
and repeated identical steps collapse into one with a count ("x 3").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import check_shape
from ..inspect.tracing import Call, Tracer, check_model, evaluating

DECORATIONS = {
    "ReLU": "ReLU",
    "LeakyReLU": "leaky ReLU",
    "ELU": "ELU",
    "GELU": "GELU",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "Softmax": "softmax",
    "LogSoftmax": "log-softmax",
    "BatchNorm1d": "BN",
    "BatchNorm2d": "BN",
    "Dropout": "dropout",
}
_SKIPPED = {"Identity"}
JOIN_NAMES = {"add": "residual block", "concatenate": "branches, concatenated"}


@dataclass
class Step:
    """One arrow of the drawing: what it does and the activation it makes."""

    family: str  # "conv", "pool", "flatten", "dense", "block" or "other": colour and connector
    name: str  # "conv", "max pool", "dense", ...
    input_shape: tuple[int, ...]  # one example's, without the batch axis
    output_shape: tuple[int, ...]
    details: list[str] = field(default_factory=list)  # "stride 2", "groups=32"
    after: list[str] = field(default_factory=list)  # folded layers: "BN", "ReLU"
    kernel: tuple[int, ...] | None = None  # window drawn as a small box
    out_channels: int | None = None
    main: list[Step] = field(default_factory=list)  # a residual block's two paths
    shortcut: list[Step] = field(default_factory=list)
    branches: list[list[Step]] = field(default_factory=list)  # concatenated paths
    repeat: int = 1
    modules: list = field(default_factory=list)  # the layers drawn as this step, in order

    @property
    def window(self) -> str:
        return "x".join(str(k) for k in self.kernel) if self.kernel else ""

    @property
    def has_skip(self) -> bool:
        """A residual block: drawn with its skip connection as an arc."""
        return self.family == "block" and not self.branches

    def label(self) -> list[str]:
        """The lines under the arrow: the kind of layer, its options, what follows it."""
        lines = [self.name + (f" x {self.repeat}" if self.repeat > 1 else "")]
        if self.details:
            lines.append(", ".join(self.details))
        if self.after:
            lines.append(("then " if self.family == "block" else "+ ") + " + ".join(self.after))
        return lines

    def one_line(self) -> str:
        """The step in a line, window and width included: ``conv 3x3, 128, groups=32 + BN``."""
        parts = [f"{self.name} {self.window}".strip()]
        if self.out_channels is not None and self.family == "conv":
            parts.append(str(self.out_channels))
        text = ", ".join(parts + self.details)
        return " + ".join([text, *self.after])

    def signature(self) -> tuple:
        return (
            self.one_line(),
            self.input_shape,
            self.output_shape,
            tuple(s.signature() for s in self.main),
            tuple(s.signature() for s in self.shortcut),
            tuple(tuple(s.signature() for s in b) for b in self.branches),
        )


@dataclass
class Item:
    """One leaf call (a layer, an op) or a fork of paths, before folding into steps."""

    kind: str  # "Conv2d", "ops.flatten", or "fork"
    module: object
    input_shape: tuple[int, ...]  # without the batch axis
    output_shape: tuple[int, ...]
    paths: list[list[Item]] = field(default_factory=list)  # a fork's, longest first
    join: str = ""  # the op that joins them: "add", "concatenate"


def plan(model, input_shape: tuple[int, ...]) -> tuple[tuple[int, ...], list[Step]]:
    """The input shape (without batch) and the steps of ``model``, repeats collapsed."""
    check_model(model)
    input_shape = check_shape("input_shape", input_shape)
    x = np.zeros((1, *input_shape), dtype=np.float32)
    with evaluating(model), Tracer(model) as tracer:
        model(x)
    steps = _collapse(_fold(_items(tracer.calls[0])))
    return tuple(input_shape), steps


def _items(call: Call) -> list[Item]:
    """The calls inside ``call`` in the order data flows: leaves, ops and forks."""
    if call.record is not None:
        items = _read_record(call)
        if items is not None:
            return items
    return [Item(type(call.module).__name__, call.module, *_shapes(call.input, call.output))]


def _shapes(x, y) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(np.shape(x)[1:]), tuple(np.shape(y)[1:])


def _read_record(call: Call) -> list[Item] | None:
    """Chains and forks of a composed call's record; None for a graph of another kind."""
    record = call.record
    entries = record.entries
    shapes = dict(zip(record.inputs, record.input_shapes, strict=True))
    shapes.update({entry.output: entry.shape for entry in entries})
    children = iter(call.children)
    units = []  # the items of each entry
    for entry in entries:
        if entry.module is not None:
            units.append(_items(next(children)))
        else:
            first = next((n for n in entry.inputs if n is not None), None)
            in_shape = shapes.get(first, ())[1:]
            units.append([Item(f"ops.{entry.name}", None, in_shape, entry.shape[1:])])
    producer = {entry.output: index for index, entry in enumerate(entries)}
    used = [n for entry in entries for n in entry.inputs if n is not None]
    items, current, index = [], record.inputs[0], 0
    while index < len(entries):
        entry, inputs = entries[index], _tracked(entries[index])
        if inputs == [current] and used.count(current) == 1:
            items += units[index]
            current, index = entry.output, index + 1
            continue
        join = next((k for k in range(index, len(entries)) if len(_tracked(entries[k])) > 1), None)
        if join is None:
            return None
        paths, covered = [], 0
        for node in _tracked(entries[join]):
            path = []
            while node != current:
                k = producer.get(node)
                if k is None or k < index or len(_tracked(entries[k])) != 1:
                    return None
                path, node, covered = units[k] + path, _tracked(entries[k])[0], covered + 1
            paths.append(path)
        if covered != join - index:  # a call between fork and join on no path
            return None
        paths.sort(key=len, reverse=True)
        in_shape, out_shape = shapes[current][1:], entries[join].shape[1:]
        items.append(Item("fork", None, in_shape, out_shape, paths, entries[join].name))
        current, index = entries[join].output, join + 1
    return items if current == record.output else None


def _tracked(entry) -> list[int]:
    return [node for node in entry.inputs if node is not None]


def _fold(items: list[Item]) -> list[Step]:
    steps: list[Step] = []
    for item in items:
        if item.kind in _SKIPPED:
            continue
        if item.kind in DECORATIONS and steps:
            steps[-1].after.append(_decoration(item))
            steps[-1].modules.append(item.module)
            steps[-1].output_shape = item.output_shape
            continue
        steps.append(_step(item))
    return steps


def _decoration(item: Item) -> str:
    if item.kind == "Dropout":
        return f"dropout {item.module.p:g}"
    return DECORATIONS[item.kind]


def _step(item: Item) -> Step:
    module, kind = item.module, item.kind
    name = DECORATIONS.get(kind, kind)  # a layer of its own: a leading BN, an unknown kind
    step = Step("other", name, item.input_shape, item.output_shape)
    step.modules = [item.module] if item.module is not None else []
    if kind in ("Conv1d", "Conv2d"):
        step.family, step.name, step.kernel = "conv", "conv", module.kernel_size
        step.out_channels = module.out_channels
        step.details = _window_details(module.stride, module.dilation, None)
        if module.groups > 1:
            step.details.append(f"groups={module.groups}")
    elif kind in ("MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"):
        window = module.window
        step.family, step.kernel = "pool", window.kernel_size
        step.name = "max pool" if kind.startswith("Max") else "avg pool"
        step.details = _window_details(window.stride, window.dilation, window.kernel_size)
    elif kind in ("AdaptiveAvgPool1d", "AdaptiveAvgPool2d") or kind == "ops.mean":
        whole = all(n == 1 for n in item.output_shape[1:])
        step.family, step.name = "pool", "global avg pool" if whole else "adaptive avg pool"
    elif kind in ("Flatten", "ops.flatten"):
        step.family, step.name = "flatten", "flatten"
    elif kind == "Linear":
        step.family, step.name = "dense", "dense"
    elif kind == "fork":
        step.family = "block"
        step.name = JOIN_NAMES.get(item.join, f"branches, joined by {item.join}")
        paths = [_fold(path) for path in item.paths]
        step.modules = [m for path in paths for s in path for m in s.modules]
        if item.join == "add" and len(paths) == 2:
            step.main, step.shortcut = paths
        else:
            step.branches = paths
    elif kind.startswith("ops."):
        step.name = kind[4:]
    return step


def _window_details(stride, dilation, default_stride) -> list[str]:
    details = []
    if any(s != 1 for s in stride) and tuple(stride) != tuple(default_stride or ()):
        details.append(f"stride {_size(stride)}")
    if any(d != 1 for d in dilation):
        details.append(f"dilation {_size(dilation)}")
    return details


def _size(values: tuple[int, ...]) -> str:
    """``2`` for (2, 2), ``1x2`` for (1, 2)."""
    return str(values[0]) if len(set(values)) == 1 else "x".join(str(v) for v in values)


def _collapse(steps: list[Step]) -> list[Step]:
    """Merge runs of identical steps (same layers, same shapes) into one with a count."""
    merged: list[Step] = []
    for step in steps:
        if merged and merged[-1].signature() == step.signature():
            merged[-1].repeat += 1
            merged[-1].modules += step.modules
        else:
            merged.append(step)
    return merged
