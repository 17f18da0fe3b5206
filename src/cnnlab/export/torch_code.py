"""A cnnlab model as a standalone PyTorch file (``model.py``) and its ``model.safetensors``.

The file is plain ``torch.nn`` code: a ``Sequential`` becomes ``nn.Sequential``, every
other composed module a torch class with the same child names, whose ``forward`` is
written from the calls it was traced making (:mod:`cnnlab.export.torch_forward`), and
``build()`` puts the layers together with their constructor arguments. The weights are
cnnlab's ``state_dict`` under the same keys, batch-norm statistics and
``num_batches_tracked`` included, so torch's ``load_state_dict(strict=True)`` takes them.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import nn as cnn
from ..nn.recording import is_composed
from ..serialization import save
from .graph import Graph, trace_graph
from .torch_forward import Form, form_of, forward_code, merge_forms, op_refusal
from .torch_layers import layer_code, refusal
from .torch_loader import LOADER

RESERVED = {"nn", "torch", "json", "build", "load_weights", "read_safetensors", "DTYPES"}


def to_torch(
    model: cnn.Module, directory: str | os.PathLike, input_shape: tuple[int, ...]
) -> dict[str, Path]:
    """Write ``model`` as PyTorch code and weights into ``directory``.

    Parameters
    ----------
    model : Module
        Any cnnlab model whose layers all have a ``torch.nn`` twin.
    directory : str or path-like
        Created if missing; ``model.py`` and ``model.safetensors`` are written there.
    input_shape : tuple of int
        One example's shape without the batch, e.g. ``(1, 28, 28)``: the model runs once
        on it to see which calls its forward makes.

    Returns
    -------
    dict
        ``{"code": .../model.py, "weights": .../model.safetensors}``.

    Examples
    --------
    >>> import tempfile
    >>> from cnnlab.models import lenet5
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = to_torch(lenet5(rng=0), folder, (1, 28, 28))
    ...     code = paths["code"].read_text()
    >>> print(code[code.index("def build"):].splitlines()[3])
            nn.Conv2d(1, 6, 5, padding=2),  # 0
    """
    return write_torch(trace_graph(model, input_shape), directory)


def write_torch(graph: Graph, directory: str | os.PathLike) -> dict[str, Path]:
    """:func:`to_torch` for a graph already traced."""
    code, model = torch_code(graph), graph.model
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"code": directory / "model.py", "weights": directory / "model.safetensors"}
    paths["code"].write_text(code, encoding="utf-8")
    save(model, paths["weights"], {"format": "pt", "exported_by": "cnnlab.export.to_torch"})
    return paths


def torch_code(graph: Graph) -> str:
    """The text of ``model.py`` for ``graph`` (raises ValueError listing what cannot go)."""
    writer = _Writer(graph)
    return writer.file()


class _Writer:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.problems: list[str] = []
        self.classes: list[tuple[str, type, Form]] = []  # torch class name, cnnlab class, form
        self.form_of_module: dict[int, tuple[str, Form]] = {}
        self._collect_forms()
        self._check_layers()
        if self.problems:
            count = f"{len(self.problems)} part" + ("s" if len(self.problems) > 1 else "")
            raise ValueError(
                f"The model cannot be exported to PyTorch: {count} of it cannot be written "
                f"as torch code (listed below). Received: a {type(graph.model).__name__}."
                + "".join(f"\n  {problem}" for problem in self.problems)
            )

    def _collect_forms(self) -> None:
        by_class: dict[type, list[Form]] = {}
        for block in self.graph.blocks():
            if not is_composed(block.module):
                continue  # the model is one layer
            for step in block.steps:
                if getattr(step, "kind", "") == "op":
                    reason = op_refusal(step.name, step.arguments)
                    if reason:
                        where = f"{_shown(block.name)} ({type(block.module).__name__})"
                        self.problems.append(f"{where}: {reason}")
            if type(block.module) is cnn.Sequential:
                self._check_chain(block)
                continue
            by_class.setdefault(type(block.module), []).append(form_of(block))
        taken = set(RESERVED)
        for cls, forms in by_class.items():
            merged = merge_forms(forms)
            for number, form in enumerate(merged, start=1):
                name = _free_name(cls.__name__ + (str(number) if number > 1 else ""), taken)
                taken.add(name)
                self.classes.append((name, cls, form))
                for module in form.modules:
                    if id(module) in self.form_of_module:
                        self.problems.append(
                            f"{_shown(form.blocks[0])} ({cls.__name__}): called twice with "
                            "different calls inside, which one torch forward cannot write"
                        )
                    self.form_of_module[id(module)] = (name, form)

    def _check_chain(self, block) -> None:
        previous = block.inputs
        for index, step in enumerate(block.steps):
            if step.attribute != str(index) or tuple(step.inputs) != tuple(previous):
                reason = "its layers do not run as a chain"
                self.problems.append(f"{_shown(block.name)} (Sequential): {reason}")
                return
            previous = (step.output,)

    def _check_layers(self) -> None:
        for name, module in self.graph.model.named_modules():
            if type(module) is cnn.Sequential:
                continue
            if is_composed(module):
                if id(module) not in self.form_of_module:
                    self.problems.append(
                        f"{_shown(name)} ({type(module).__name__}): not called by the forward "
                        "on the example input, so its forward is unknown"
                    )
            elif refusal(module):
                self.problems.append(f"{_shown(name)}: {refusal(module)}")

    # -- writing -----------------------------------------------------------------------
    def file(self) -> str:
        model, graph = self.graph.model, self.graph
        shape = graph.shapes[graph.inputs[0]]
        example = ", ".join(["8", *(str(n) for n in shape[1:])])
        lines = [
            f'"""{type(model).__name__} exported from cnnlab: plain PyTorch, nothing else needed.',
            "",
            f"Traced on an input of shape {shape} (any batch size works), output shape "
            f"{graph.shapes[graph.output]}.",
            "The weights are in model.safetensors beside this file, under the same keys::",
            "",
            "    model = build()",
            '    load_weights(model, "model.safetensors")  # strict: every key and shape',
            f"    y = model.eval()(torch.randn({example}))",
            "",
            "(``safetensors.torch.load_file`` reads the same file, if that package is installed.)",
            '"""',
            "",
            "import json",
            "",
            "import torch",
            "from torch import nn",
            "",
        ]
        for name, cls, form in self.classes:
            lines += ["", *self._class_code(name, cls, form), ""]
        lines += ["", "def build() -> nn.Module:"]
        lines += ['    """The network, with fresh weights (load_weights fills them)."""']
        lines += ["    return " + self._construct(model, "    ").lstrip(), "", ""]
        lines += LOADER.strip().splitlines()
        return "\n".join(lines) + "\n"

    def _class_code(self, name: str, cls: type, form: Form) -> list[str]:
        children: list[str] = []  # in the order of the module that has the most
        fullest = sorted(form.modules, key=lambda m: -len(list(m.named_children())))
        for module in fullest:
            for child, _ in module.named_children():
                if child not in children:
                    children.append(child)
        for step in form.steps:
            if step.kind == "call" and step.name not in children:
                children.append(step.name)
        where = f"'{form.blocks[0]}'" if form.blocks[0] else "the model"
        if len(form.blocks) > 1:
            where += f" and {len(form.blocks) - 1} more"
        optional = set(form.optional) | {
            child
            for child in children
            if not all(isinstance(getattr(m, child, None), cnn.Module) for m in form.modules)
        }
        names = [*(f"{c}=None" if c in optional else c for c in children), *form.flags]
        parameters = ", ".join(["self", "*", *names])
        signature = f"    def __init__({parameters if names else 'self'}):"
        if len(signature) > 100:  # one parameter a line, as ruff format writes it
            each = [f"        {p}," for p in ("self", "*", *names)]
            signature = "\n".join(["    def __init__(", *each, "    ):"])
        lines = [
            f"class {name}(nn.Module):",
            f'    """cnnlab\'s {cls.__name__}, with the forward traced in {where}."""',
            "",
            signature,
            "        super().__init__()",
        ]
        lines += [f"        self.{child} = {child}" for child in [*children, *form.flags]]
        lines += ["", *forward_code(form)]
        return lines

    def _construct(self, module: cnn.Module, indent: str) -> str:
        """Source that builds ``module`` (and its children), at ``indent``."""
        inner = indent + "    "
        if type(module) is cnn.Sequential:
            items = [
                f"{inner}{self._construct(child, inner).lstrip()},  # {index}"
                for index, child in enumerate(module.layers)
            ]
            if not items:
                return f"{indent}nn.Sequential()"
            return f"{indent}nn.Sequential(\n" + "\n".join(items) + f"\n{indent})"
        if is_composed(module):
            name, form = self.form_of_module[id(module)]
            items = [
                f"{inner}{child}={self._construct(value, inner).lstrip()},"
                for child, value in module.named_children()
            ]
            items += [f"{inner}{flag}={getattr(module, flag)!r}," for flag in form.flags]
            if not items:
                return f"{indent}{name}()"
            return f"{indent}{name}(\n" + "\n".join(items) + f"\n{indent})"
        return indent + layer_code(module)


def _shown(name: str) -> str:
    """A module's dotted name in a message: ``'layer1.0'``, or ``the model`` itself."""
    return f"'{name}'" if name else "the model"


def _free_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate
