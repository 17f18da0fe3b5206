"""Docstrings written for ``help()``, shown on the site as they read there.

Two habits of cnnlab's docstrings are plain text, not reStructuredText:

- a module's docstring is a table of contents in aligned columns (``nn``, ``physics``,
  ``models``), or an equation written out (``|k + G|^2 e_G``): the site shows it as
  written, in a literal block under its first line;
- shapes follow PyTorch's notation, ``(N, C, *)`` and ``(*, in_features)``, where a
  bare ``*`` would start emphasis: it is escaped, except in code and doctests.

And a constant (``filters.SOBEL_X``, an ndarray) has no docstring of its own: autodoc
would show its type's, numpy's whole ``ndarray`` docstring; it shows none.
"""

from __future__ import annotations

import inspect
import re

from sphinx.application import Sphinx
from sphinx.util.docstrings import prepare_docstring

SHAPE_STAR = re.compile(r"(?<=[(\s,])\*(?=[,)])")


def literal_module_docstring(lines: list[str]) -> None:
    if len(lines) < 2:
        return
    body = lines[1:]
    while body and not body[0].strip():
        body.pop(0)
    if body:
        indented = [f"    {line}" if line else "" for line in body]
        lines[1:] = ["", ".. rst-class:: module-docstring", "", "::", "", *indented]


def escape_shape_stars(lines: list[str]) -> None:
    for index, line in enumerate(lines):
        if line.lstrip().startswith((">>>", "...")):
            continue
        parts = line.split("``")  # even parts are outside inline code
        parts[::2] = [SHAPE_STAR.sub(r"\\*", part) for part in parts[::2]]
        lines[index] = "``".join(parts)


def process(app: Sphinx, what: str, name: str, obj: object, options, lines: list[str]) -> None:
    if what == "module":
        literal_module_docstring(lines)
    elif what in ("data", "attribute") and not inspect.isclass(obj) and not callable(obj):
        # a `#:` comment in the source would differ from the type's docstring
        if lines == prepare_docstring(getattr(obj, "__doc__", None) or ""):
            lines.clear()
    else:
        escape_shape_stars(lines)


def setup(app: Sphinx) -> dict:
    # before numpydoc (priority 500) turns the sections into reStructuredText
    app.connect("autodoc-process-docstring", process, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
