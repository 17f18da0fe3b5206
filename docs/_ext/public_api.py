"""The API reference: one page per public module of cnnlab, written before Sphinx reads.

A package's ``__init__`` is its table of contents, and ``cnnlab.nn.Conv2d`` is the name
users write. So each object gets one page, under the shortest public module that offers
it (``cnnlab.no_grad``, not ``cnnlab.grad_mode.no_grad``). A module offers its
``__all__``; without one, a package offers the functions and classes it imports and a
plain module those it defines. A module whose names all have pages under its package
gets no page of its own: its package lists it as a file. Pages are written into
``docs/api/`` (not kept in git) each time the site is built.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

ROOT = "cnnlab"


def public_modules(root: str = ROOT) -> dict[str, ModuleType]:
    """Every module of ``root`` whose dotted name has no part starting with ``_``."""
    package = importlib.import_module(root)
    found = {root: package}
    for info in pkgutil.walk_packages(package.__path__, root + "."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found[info.name] = importlib.import_module(info.name)
    return dict(sorted(found.items()))


def offered(module: ModuleType) -> dict[str, object]:
    """The names ``module`` offers, without modules."""
    names = getattr(module, "__all__", None)
    if names is None:
        is_package = hasattr(module, "__path__")
        names = [
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and (inspect.isfunction(value) or inspect.isclass(value))
            and (is_package or value.__module__ == module.__name__)
            and value.__module__.startswith(ROOT)
        ]
    members = {name: getattr(module, name) for name in names}
    return {name: value for name, value in members.items() if not inspect.ismodule(value)}


def homes(modules: dict[str, ModuleType]) -> dict[tuple[int, str], str]:
    """(id of the object, its name) -> the module whose page documents it."""
    best: dict[tuple[int, str], tuple[int, str]] = {}
    for module_name, module in modules.items():
        for name, value in offered(module).items():
            candidate = (module_name.count("."), module_name)
            key = (id(value), name)
            best[key] = min(best.get(key, candidate), candidate)
    return {key: module_name for key, (_, module_name) in best.items()}


def _title(text: str) -> str:
    return f"{text}\n{'=' * len(text)}\n"


def _summary_line(module: ModuleType) -> str:
    lines = (module.__doc__ or "").strip().splitlines()
    return lines[0].rstrip(".") if lines else ""


def _directive(value: object) -> str:
    if inspect.isclass(value):
        kind = "exception" if issubclass(value, BaseException) else "class"
        return f"auto{kind}"
    if inspect.isroutine(value):
        return "autofunction"
    return "autodata"


def _autodoc(name: str, value: object) -> str:
    directive = _directive(value)
    short = len(repr(value)) <= 200  # a kernel's 3x3 weights, Tc; not a table of 1000 classes
    options = {
        "autoclass": "   :members:\n",
        "autoexception": "   :members:\n",
        "autodata": "" if short else "   :no-value:\n",
    }.get(directive, "")
    return f".. {directive}:: {name}\n{options}\n"


def _object_page(module_name: str, name: str, value: object) -> str:
    title = _title(f"{module_name}.{name}")
    return f"{title}\n.. currentmodule:: {module_name}\n\n" + _autodoc(name, value)


def _first_paragraph(value: object) -> str:
    if not (inspect.isclass(value) or inspect.isroutine(value)):
        return ""  # a constant's __doc__ is its type's
    paragraph = (inspect.getdoc(value) or "").split("\n\n")[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def _table(entries: list[tuple[str, object]], links: list[str] = ()) -> str:
    """Each name linked, beside its docstring's first paragraph; ``links`` join the toctree."""
    if not entries:
        return ""
    rows = "".join(
        f"   * - :py:obj:`~{name}`\n     - {_first_paragraph(value)}\n" for name, value in entries
    )
    text = ".. list-table::\n   :widths: 30 70\n\n" + rows + "\n"
    if links:
        text += ".. toctree::\n   :hidden:\n\n" + "".join(f"   {link}\n" for link in links)
    return text + "\n"


def _page_names(module_name: str, names: dict[str, object], taken: set[str]) -> dict[str, str]:
    """Full name -> file name; case-insensitive file systems (macOS) would merge
    ``cnnlab.inspect.summary`` and ``cnnlab.inspect.Summary``."""
    files = {}
    for name, value in names.items():
        full = f"{module_name}.{name}"
        suffix = "-class" if inspect.isclass(value) else "-object"
        files[full] = full if full.lower() not in taken else full + suffix
        taken.add(full.lower())
    return files


def write_pages(folder: Path) -> None:
    """Write the pages into ``folder``, and remove the pages of modules that are gone."""
    modules = public_modules()
    home = homes(modules)
    own = {
        module_name: {
            name: value
            for name, value in offered(module).items()
            if home[(id(value), name)] == module_name
        }
        for module_name, module in modules.items()
    }
    # a plain module whose names all live on its package's page gets no page of its own
    has_page = {
        name for name, module in modules.items() if own[name] or hasattr(module, "__path__")
    }
    pages: dict[str, str] = {}
    taken: set[str] = set()
    for module_name, module in modules.items():
        if module_name not in has_page:
            continue
        parent, _, leaf = module_name.rpartition(".")
        # `cnnlab.inspect.summary` is a function and a module: the function keeps the name
        shadowed = parent in modules and leaf in offered(modules[parent])
        text = _title(module_name) + f"\n.. automodule:: {module_name}\n"
        text += "   :no-index:\n" if shadowed else ""
        text += f"\n.. currentmodule:: {module_name}\n\n"
        if not hasattr(module, "__path__"):
            text += "".join(_autodoc(name, value) for name, value in own[module_name].items())
            pages[f"{module_name}.rst"] = text
            continue
        names = dict(sorted(own[module_name].items(), key=lambda item: item[0].lower()))
        files = _page_names(module_name, names, taken)
        for file, (name, value) in zip(files.values(), names.items(), strict=True):
            pages[f"generated/{file}.rst"] = _object_page(module_name, name, value)
        text += _table(
            [(f"{module_name}.{name}", value) for name, value in names.items()],
            [f"generated/{file}" for file in files.values()],
        )
        elsewhere = sorted(
            (f"{home[(id(value), name)]}.{name}", value)
            for name, value in offered(module).items()
            if name not in own[module_name]
        )
        if elsewhere:
            text += ".. rubric:: Also offered here\n\n" + _table(elsewhere)
        children = [child for child in modules if child.rpartition(".")[0] == module_name]
        with_pages = [child for child in children if child in has_page]
        if with_pages:
            text += ".. rubric:: Modules\n\n" + "".join(
                f"- :doc:`{child}`: {_summary_line(modules[child])}\n" for child in with_pages
            )
            text += "\n.. toctree::\n   :hidden:\n\n" + "".join(f"   {c}\n" for c in with_pages)
        files_only = [child for child in children if child not in has_page]
        if files_only:
            text += "\n.. rubric:: Files whose names are all documented above\n\n" + "".join(
                f"- ``{child}``: {_summary_line(modules[child])}\n" for child in files_only
            )
        pages[f"{module_name}.rst"] = text
    top = [name for name in modules if name.count(".") == 1 and name in has_page]
    index = _title("API reference") + (
        "\nEvery public module of cnnlab, generated from the docstrings. Each function and "
        "class is documented under the shortest name that offers it, the one to import: "
        "``cnnlab.nn.Conv2d``, ``cnnlab.signal.convolve``.\n\n"
        f"- :doc:`{ROOT}`: {_summary_line(modules[ROOT])}\n"
    )
    index += "".join(f"- :doc:`{name}`: {_summary_line(modules[name])}\n" for name in top)
    index += f"\n.. toctree::\n   :hidden:\n\n   {ROOT}\n"
    pages["index.rst"] = index
    _write_changed(folder, pages)


def _write_changed(folder: Path, pages: dict[str, str]) -> None:
    # pages that did not change keep their time stamp, so Sphinx reads only the others
    (folder / "generated").mkdir(parents=True, exist_ok=True)
    for path in [*folder.glob("*.rst"), *folder.glob("generated/*.rst")]:
        if path.relative_to(folder).as_posix() not in pages:
            path.unlink()
    for relative, text in pages.items():
        path = folder / relative
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
