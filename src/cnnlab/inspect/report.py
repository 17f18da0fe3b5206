"""Summary: the result of :func:`cnnlab.inspect.summary`, printed and exported.

One list of cells feeds every form (plain text, a rich table, Markdown, CSV); JSON keeps
the numbers unformatted.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from .summary import LayerRow

ABBREVIATIONS = (
    ("kernel_size=", "k="), ("stride=", "s="), ("padding=", "p="), ("dilation=", "d="),
    ("groups=", "g="), ("padding_mode=", "mode="),
)  # fmt: skip
NOTES = (
    "MACs: multiply-accumulates of Conv and Linear layers for the whole batch (FLOPs = 2 MACs).",
    "RF: receptive field on the input; size and jump (effective stride) in input samples, "
    "start = centre of the first unit's field.",
    "Layers: k kernel size, s stride, p padding, d dilation, g groups.",
)


@dataclass
class Summary:
    """Rows and totals of a model summary; ``print(s)`` shows the table.

    ``input_shape`` includes the batch axis; ``activation_bytes`` is the memory of every
    layer's output for that batch. ``error`` says which layer failed, if one did (the
    rows then stop there); ``warnings`` holds the notes printed under the table.
    """

    rows: list[LayerRow]
    input_shape: tuple[int, ...]
    total_params: int
    trainable_params: int
    total_macs: int
    activation_bytes: int
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    spacing: tuple[float, ...] | None = None
    unit: str = ""
    model_name: str = ""
    dtype: str = "float32"

    @property
    def non_trainable_params(self) -> int:
        return self.total_params - self.trainable_params

    # -- one table, many forms -------------------------------------------------------
    def headers(self) -> list[str]:
        headers = ["Layer", "Output shape", "Params", "MACs", "RF size", "Jump", "Start"]
        if self.spacing is not None:
            unit = f" ({self.unit})" if self.unit else " (spacing)"
            headers += [f"RF size{unit}", f"Jump{unit}"]
        return headers

    def cells(self, indent: str = "  ") -> list[list[str]]:
        """The table's text, row by row, in the order of :meth:`headers`."""
        table = []
        for row in self.rows:
            label = f"{row.name} {row.kind}" if row.name else row.kind
            label = indent * row.depth + label + (f"({_short(row.args)})" if row.is_leaf else "")
            field_ = row.receptive_field
            cells = [
                label,
                str(row.output_shape),
                f"{row.params:,}",
                f"{row.macs:,}" if row.is_leaf else "--",
            ]
            if field_ is None:
                cells += ["?", "?", "?"] + (["?", "?"] if self.spacing else [])
            else:
                cells += [_axes(field_.size), _axes(field_.jump), _axes(field_.start, ", ")]
                if self.spacing is not None:
                    cells += [_axes(_scaled(field_.size, self.spacing)),
                              _axes(_scaled(field_.jump, self.spacing))]  # fmt: skip
            table.append(cells)
        return table

    def footer(self) -> list[str]:
        """Totals, notes, warnings and the error, one line each."""
        lines = [
            f"Input: {self.input_shape} {self.dtype}",
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
        ]
        if self.non_trainable_params:
            lines.append(f"Non-trainable params: {self.non_trainable_params:,}")
        lines += [
            f"Total MACs: {self.total_macs:,} ({_human(self.total_macs)})",
            f"Activation memory: {self.activation_bytes / 1e6:.2f} MB (every layer's output "
            f"for a batch of {self.input_shape[0]}, {self.dtype})",
            *NOTES,
        ]
        lines += [f"Warning: {text}" for text in self.warnings]
        if self.error is not None:
            lines.append(f"Error: {self.error}")
        return lines

    # -- printing --------------------------------------------------------------------
    def __str__(self) -> str:
        headers, table = self.headers(), self.cells()
        widths = [max(len(r[i]) for r in [headers, *table]) for i in range(len(headers))]

        def line(cells: list[str]) -> str:
            pairs = enumerate(zip(cells, widths, strict=True))
            return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs).rstrip()

        rule = "=" * len(line(["x" * w for w in widths]))
        title = f"Model: {self.model_name}" if self.model_name else "Model"
        body = [title, rule, line(headers), rule, *map(line, table), rule, *self.footer()]
        return "\n".join(body)

    def print(self, console: Console | None = None) -> None:
        """Print the table with rich (colours and box lines where the terminal has them)."""
        from rich.box import SIMPLE_HEAD
        from rich.console import Console
        from rich.table import Table

        console = Console() if console is None else console
        table = Table(
            title=f"Model: {self.model_name}", title_justify="left", box=SIMPLE_HEAD, pad_edge=False
        )
        for index, header in enumerate(self.headers()):
            table.add_column(header, justify="left" if index < 2 else "right", no_wrap=index > 0)
        for cells in self.cells(indent="\u00a0\u00a0"):
            table.add_row(*cells)
        console.print(table)
        for text in self.footer():
            style = "bold red" if text.startswith("Error") else None
            style = "yellow" if text.startswith("Warning") else style
            console.print(text, style=style, markup=False, highlight=False)

    # -- exports ---------------------------------------------------------------------
    def to_markdown(self) -> str:
        """A Markdown table followed by the totals as a list."""
        headers = self.headers()
        lines = ["| " + " | ".join(headers) + " |"]
        lines.append("|" + "|".join(":---" if i < 2 else "---:" for i in range(len(headers))) + "|")
        for cells in self.cells(indent="\u00a0\u00a0"):
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join([*lines, "", *(f"- {text}" for text in self.footer())]) + "\n"

    def to_csv(self, path: str | os.PathLike | None = None) -> str:
        """One line per row with unformatted numbers; written to ``path`` when given."""
        headers = ["name", "kind", "depth", "is_leaf", "input_shape", "output_shape", "params",
                   "trainable_params", "macs", "rf_size", "rf_jump", "rf_start"]  # fmt: skip
        if self.spacing is not None:
            headers += [f"rf_size_{self.unit or 'spacing'}", f"rf_jump_{self.unit or 'spacing'}"]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        for row in self.rows:
            f = row.receptive_field
            values = [row.name, row.kind, row.depth, row.is_leaf, _shape(row.input_shape),
                      _shape(row.output_shape), row.params, row.trainable_params,
                      row.macs]  # fmt: skip
            values += ["", "", ""] if f is None else [_axes(f.size), _axes(f.jump), _axes(f.start)]
            if self.spacing is not None:
                values += ["", ""] if f is None else [
                    _axes(_scaled(f.size, self.spacing)), _axes(_scaled(f.jump, self.spacing))
                ]  # fmt: skip
            writer.writerow(values)
        return _written(buffer.getvalue(), path)

    def to_json(self, path: str | os.PathLike | None = None) -> str:
        """Rows and totals as JSON; receptive fields as lists per axis (``null`` if unknown)."""
        rows = []
        for row in self.rows:
            f = row.receptive_field
            rows.append(
                {
                    "name": row.name, "kind": row.kind, "args": row.args, "depth": row.depth,
                    "is_leaf": row.is_leaf, "input_shape": list(row.input_shape),
                    "output_shape": list(row.output_shape), "params": row.params,
                    "trainable_params": row.trainable_params, "macs": row.macs,
                    "receptive_field": None if f is None else {
                        "size": list(f.size), "jump": list(f.jump), "start": list(f.start)
                    },
                }
            )  # fmt: skip
        document = {
            "model": self.model_name,
            "input_shape": list(self.input_shape),
            "dtype": self.dtype,
            "spacing": None if self.spacing is None else list(self.spacing),
            "unit": self.unit,
            "rows": rows,
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "total_macs": self.total_macs,
            "activation_bytes": self.activation_bytes,
            "warnings": list(self.warnings),
            "error": self.error,
        }
        return _written(json.dumps(document, indent=2) + "\n", path)


def _short(args: str) -> str:
    """``kernel_size=5, padding=2`` -> ``k=5, p=2``: the table's abbreviations."""
    for long, short in ABBREVIATIONS:
        args = args.replace(long, short)
    return args


def _axes(values, separator: str = "x") -> str:
    """``(16, 16) -> '16'``, ``(16, 12) -> '16x12'``: one value when the axes agree."""
    texts = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
    return texts[0] if len(set(texts)) == 1 else separator.join(texts)


def _shape(shape) -> str:
    return "x".join(str(n) for n in shape)


def _scaled(values, spacing) -> tuple[float, ...]:
    return tuple(float(v) * s for v, s in zip(values, spacing, strict=True))


def _human(count: int) -> str:
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "K")):
        if count >= scale:
            return f"{count / scale:.2f} {suffix}"
    return str(count)


def _written(text: str, path: str | os.PathLike | None) -> str:
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
