"""A composed module's ``forward`` written as torch code, from the calls it was traced making.

Each traced call of a composed module (a :class:`~cnnlab.export.graph.Block`) becomes a
*form*: its steps in the block's own terms (``self.conv1`` reads the input, ``add``
reads steps 4 and 5). Calls of one class with the same form share one torch forward.
Calls whose forms differ only by steps left out share one forward where those steps are
optional: the call of a child that some modules lack (a ResNet block with and without
``downsample``), or a step that a boolean attribute switches (MobileNetV2's shortcut)::

    if self.downsample is not None:         if self.use_res_connect:
        x = self.downsample(x)                  out = x + out

Other differences give the class one torch class per form (``Switch``, ``Switch2``).
:func:`forward_code` writes the lines; every op of
:mod:`cnnlab.nn.ops` becomes torch's (``ops.add`` -> ``+``, ``ops.concatenate`` ->
``torch.cat``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..nn import Module
from .graph import Block, Node
from .torch_layers import literal

Ref = tuple[str, int]  # ("in", i): the forward's input i; ("step", j): step j's output


@dataclass(frozen=True)
class Step:
    """One call inside a forward: a child module (by attribute) or an op."""

    kind: str  # "call" or "op"
    name: str  # the attribute ("conv1") or the op ("add")
    inputs: tuple[Ref | None, ...]
    arguments: tuple = ()  # an op's constant arguments, as sorted (name, value) pairs

    def key(self) -> tuple:
        return (self.kind, self.name, self.inputs, repr(self.arguments))


@dataclass(eq=False)
class Form:
    """The steps of a forward, the ref it returns, and the modules that run it."""

    steps: list[Step]
    output: Ref
    inputs: int
    modules: list[Module] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # dotted names of the traced calls
    # optional steps: index -> (the condition under which it runs, the input it passes on)
    conditions: dict[int, tuple[str, int]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)  # plain attributes the conditions read

    def key(self) -> tuple:
        return (tuple(step.key() for step in self.steps), self.output, self.inputs)

    @property
    def optional(self) -> set[str]:
        """The children that some modules lack (their steps run ``if self.x is not None``)."""
        return {self.steps[i].name for i, (c, _) in self.conditions.items() if "None" in c}


def form_of(block: Block) -> Form:
    """The form of one traced call."""
    refs: dict[int, Ref] = {value: ("in", i) for i, value in enumerate(block.inputs)}
    steps = []
    for index, step in enumerate(block.steps):
        inputs = tuple(None if v is None else refs[v] for v in step.inputs)
        if isinstance(step, Node) and step.kind == "op":
            arguments = tuple(sorted(step.arguments.items()))
            steps.append(Step("op", step.name, inputs, arguments))
        else:
            steps.append(Step("call", step.attribute, inputs))
        refs[step.output] = ("step", index)
    return Form(steps, refs[block.output], len(block.inputs), [block.module], [block.name])


def merge_forms(forms: list[Form]) -> list[Form]:
    """One form per distinct forward, merged into the fullest where the others are it
    with some steps left out: calls of children a module lacks (``self.x is None``), or a
    step that a boolean attribute switches (``self.use_res_connect``)."""
    distinct: dict[tuple, Form] = {}
    for form in forms:
        same = distinct.setdefault(form.key(), Form(form.steps, form.output, form.inputs))
        for module, name in zip(form.modules, form.blocks, strict=True):
            if not any(m is module for m in same.modules):
                same.modules.append(module)
            same.blocks.append(name)
    groups = list(distinct.values())
    if len(groups) == 1:
        return groups
    full = max(groups, key=lambda form: len(form.steps))
    conditions: dict[int, tuple[str, int]] = {}
    for form in groups:
        found = {} if form is full else _explain(full, form)
        if found is None or any(conditions.get(i, c) != c for i, c in found.items()):
            return groups  # another difference: one torch class per form
        conditions.update(found)
    flags = sorted({c.removeprefix("not ").removeprefix("self.") for c, _ in conditions.values()
                    if "None" not in c})  # fmt: skip
    merged = Form(full.steps, full.output, full.inputs, conditions=conditions, flags=flags)
    for form in groups:
        merged.modules += [m for m in form.modules if not any(m is n for n in merged.modules)]
        merged.blocks += form.blocks
    return [merged]


def _explain(full: Form, form: Form) -> dict[int, tuple[str, int]] | None:
    """The steps of ``full`` that ``form``'s modules skip, each with its condition."""
    absent = [
        {i for i, s in enumerate(full.steps) if s.kind == "call" and _lacks(module, s.name)}
        for module in form.modules
    ]
    if any(a != absent[0] for a in absent):
        return None
    found = {i: (f"self.{full.steps[i].name} is not None", 0) for i in absent[0]}
    if _same(_without(full, found), form):
        return found
    for index, step in enumerate(full.steps):  # one more step, switched by a flag?
        for passed in range(len(step.inputs)) if index not in found else ():
            if step.inputs[passed] is None or not _same(
                _without(full, {**found, index: ("", passed)}), form
            ):
                continue
            flag = _flag(full.modules, form.modules)
            if flag is not None:
                return {**found, index: (flag, passed)}
    return None


def _lacks(module: Module, name: str) -> bool:
    return not isinstance(getattr(module, name, None), Module)


def _flag(running: list[Module], skipping: list[Module]) -> str | None:
    """``self.a`` (or ``not self.a``) for a bool attribute that tells the two apart."""
    names = [n for n, v in vars(running[0]).items() if isinstance(v, bool) and n != "training"]
    for name in names:
        on = {getattr(m, name, None) for m in running}
        off = {getattr(m, name, None) for m in skipping}
        if on == {True} and off == {False}:
            return f"self.{name}"
        if on == {False} and off == {True}:
            return f"not self.{name}"
    return None


def _same(reduced: Form | None, form: Form) -> bool:
    return reduced is not None and reduced.key() == form.key()


def _without(form: Form, skipped: dict[int, tuple[str, int]]) -> Form | None:
    """``form`` with the ``skipped`` steps left out, each passing one input on."""
    renamed: dict[Ref, Ref] = {}
    steps: list[Step] = []
    for index, step in enumerate(form.steps):
        inputs = tuple(None if r is None else renamed.get(r, r) for r in step.inputs)
        if index in skipped:
            passed = inputs[skipped[index][1]]
            if passed is None:
                return None
            renamed[("step", index)] = passed
            continue
        renamed[("step", index)] = ("step", len(steps))
        steps.append(Step(step.kind, step.name, inputs, step.arguments))
    return Form(steps, renamed.get(form.output, form.output), form.inputs)


def forward_code(form: Form) -> list[str]:
    """The lines of ``def forward(...)`` for ``form`` (indented for a class body)."""
    names = ["x"] if form.inputs == 1 else [f"x{i + 1}" for i in range(form.inputs)]
    last_use = {}
    for index, step in enumerate(form.steps):
        for ref in step.inputs:
            if ref is not None:
                last_use[ref] = index
    last_use[form.output] = len(form.steps)
    variables: dict[Ref, str] = {("in", i): name for i, name in enumerate(names)}
    lines = [f"    def forward(self, {', '.join(names)}):"]
    for index, step in enumerate(form.steps):
        operands = [None if r is None else variables[r] for r in step.inputs]
        ref = ("step", index)
        if ref not in last_use:  # nothing reads it: still run, as cnnlab did
            last_use[ref] = index
        condition, passed = form.conditions.get(index, ("", 0))
        if condition and last_use.get(step.inputs[passed]) == index:  # out = x + out
            name = variables[step.inputs[passed]]
        else:
            name = _variable(step, index, step.inputs, variables, last_use)
        variables[ref] = name
        expression = _expression(step, operands)
        if not condition:
            lines.append(f"        {name} = {expression}")
        elif name == operands[passed]:
            lines.append(f"        if {condition}:")
            lines.append(f"            {name} = {expression}")
        else:
            lines.append(f"        {name} = {expression} if {condition} else {operands[passed]}")
    lines.append(f"        return {variables[form.output]}")
    return lines


def _variable(step: Step, index: int, inputs, variables: dict, last_use: dict) -> str:
    """Reuse the name of an input that dies here; else ``out``, the child's name, ``outN``."""
    for ref in inputs:
        if ref is not None and last_use.get(ref) == index:
            return variables[ref]
    live = {variables[r] for r, last in last_use.items() if last > index and r in variables}
    candidates = ["out"]
    if step.kind == "call" and step.name.isidentifier():
        candidates.append(step.name)
    candidates += [f"out{n}" for n in range(2, len(variables) + 3)]
    return next(name for name in candidates if name not in live and name != "self")


def _expression(step: Step, operands: list[str | None]) -> str:
    if step.kind == "call":
        return f"self.{step.name}({', '.join(operands)})"
    return op_code(step.name, operands, dict(step.arguments))


BINARY = {"add": "+", "subtract": "-", "multiply": "*"}
OPS = ("add", "subtract", "multiply", "concatenate", "flatten", "reshape", "mean", "sum",
       "getitem")  # fmt: skip


def op_refusal(name: str, arguments: dict) -> str:
    """Why the op call cannot be written for torch ("" when it can)."""
    if name not in OPS:
        return f"ops.{name} has no torch translation here (known: {', '.join(OPS)})"
    for key, value in arguments.items():
        if isinstance(value, np.ndarray) or (
            isinstance(value, (tuple, list)) and any(isinstance(v, np.ndarray) for v in value)
        ):
            return f"ops.{name} with an array constant ({key}) that no recorded call made"
    return ""


def op_code(name: str, operands: list[str | None], arguments: dict) -> str:
    """Torch source for one op call; ``operands`` are variable names (None: a constant)."""
    x = operands[0]
    if name in BINARY:
        a = x if x is not None else literal(arguments["a"])
        b = operands[1] if operands[1] is not None else literal(arguments["b"])
        return f"{a} {BINARY[name]} {b}"
    if name == "concatenate":
        return f"torch.cat([{', '.join(operands)}], dim={arguments['axis']})"
    if name == "flatten":
        return f"torch.flatten({x}, {arguments['start_dim']})"
    if name == "reshape":  # a 1 in the batch place was the traced batch: keep the batch
        shape = [str(n) for n in arguments["shape"]]
        if shape and shape[0] == "1":
            shape[0] = f"{x}.shape[0]"
        return f"{x}.reshape({', '.join(shape)})"
    if name in ("mean", "sum"):
        keep = ", keepdim=True" if arguments.get("keepdims") else ""
        return f"{x}.{name}(dim={literal_axes(arguments['axis'])}{keep})"
    if name == "getitem":
        return f"{x}[{index_code(arguments['index'])}]"
    raise ValueError(op_refusal(name, arguments))


def literal_axes(axis) -> str:
    return repr(tuple(axis)) if isinstance(axis, (tuple, list)) else repr(axis)


def index_code(index) -> str:
    """``(slice(None), slice(0, 1))`` as ``:, 0:1``."""
    items = index if isinstance(index, tuple) else (index,)
    parts = []
    for item in items:
        if isinstance(item, slice):
            text = ":".join("" if v is None else str(v) for v in (item.start, item.stop))
            parts.append(text + (f":{item.step}" if item.step is not None else ""))
        elif item is Ellipsis:
            parts.append("...")
        else:
            parts.append(repr(item.item() if isinstance(item, np.generic) else item))
    return ", ".join(parts) if len(items) > 1 or not isinstance(index, tuple) else parts[0] + ","
