"""What a schematic shows: a network read from its summary as a chain of steps.

Each step turns one activation into the next: a convolution or pooling (with its window),
a flatten, a dense layer, or a residual block. Shape-keeping layers that follow a step
(activations, batch norm, dropout) become part of its label ("conv + BN + ReLU"), and
repeated identical steps collapse into one with a count ("x 3").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..inspect.summary import summary

DECORATIONS = {
    "ReLU": "ReLU",
    "LeakyReLU": "leaky ReLU",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "Softmax": "softmax",
    "LogSoftmax": "log-softmax",
    "BatchNorm1d": "BN",
    "BatchNorm2d": "BN",
    "Dropout": "dropout",
}
_SKIPPED = {"Identity"}


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
    repeat: int = 1

    @property
    def window(self) -> str:
        return "x".join(str(k) for k in self.kernel) if self.kernel else ""

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
        )


def plan(model, input_shape: tuple[int, ...]) -> tuple[tuple[int, ...], list[Step]]:
    """The input shape (without batch) and the steps of ``model``, repeats collapsed."""
    rows = summary(model, input_shape, strict=True).rows
    by_name = {row.name: row for row in rows}
    children: dict[str, list] = {}
    for row in rows:
        if row.name:
            children.setdefault(row.name.rpartition(".")[0], []).append(row)
    top = children.get("", [by_name[""]] if "" in by_name else [])
    items = [item for row in top for item in _chain(row, children)]
    steps = _collapse(_fold(items, children, by_name))
    return tuple(rows[0].input_shape[1:]), steps


def _chain(row, children) -> list:
    """The rows that run one after another inside ``row``: leaves and residual blocks."""
    if row.is_leaf or row.kind == "Residual":
        return [row]
    return [item for child in children.get(row.name, []) for item in _chain(child, children)]


def _fold(items: list, children, by_name) -> list[Step]:
    steps: list[Step] = []
    for row in items:
        if row.kind in _SKIPPED:
            continue
        if row.kind in DECORATIONS and steps:
            steps[-1].after.append(_decoration(row))
            steps[-1].output_shape = tuple(row.output_shape[1:])
            continue
        steps.append(_step(row, children, by_name))
    return steps


def _decoration(row) -> str:
    if row.kind == "Dropout":
        return f"dropout {row.module.p:g}"
    return DECORATIONS[row.kind]


def _step(row, children, by_name) -> Step:
    module = row.module
    kind = row.kind
    name = DECORATIONS.get(kind, kind)  # a layer of its own: a leading BN, an unknown kind
    step = Step("other", name, tuple(row.input_shape[1:]), tuple(row.output_shape[1:]))
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
    elif kind in ("AdaptiveAvgPool1d", "AdaptiveAvgPool2d"):
        step.family, step.name = "pool", "global avg pool"
    elif kind == "Flatten":
        step.family, step.name = "flatten", "flatten"
    elif kind == "Linear":
        step.family, step.name = "dense", "dense"
    elif kind == "Residual":
        step.family, step.name = "block", "residual block"
        for path in ("main", "shortcut"):
            path_row = by_name.get(f"{row.name}.{path}")
            if path_row is not None:
                setattr(step, path, _fold(_chain(path_row, children), children, by_name))
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
        else:
            merged.append(step)
    return merged
