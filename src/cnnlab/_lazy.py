"""Names of a package imported on first use (PEP 562), as SciPy's ``lazy_loader`` does.

A package's ``__init__`` lists where each of its names lives, and
``__getattr__, __dir__ = lazy_names(__name__, NAMES)`` imports that module only when
the name is first used: importing the package itself stays quick.

>>> getattr_, dir_ = lazy_names("cnnlab", {"received": "_validation"})
>>> getattr_("received").__name__
'received'
>>> "received" in dir_()
True
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module


def lazy_names(
    package: str, names: Mapping[str, str], submodules: Iterable[str] = ()
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : dict of str to str
        Each name, and the module of ``package`` that defines it.
    submodules : iterable of str
        Modules of ``package`` that ``package.NAME`` imports.
    """
    submodules = frozenset(submodules)

    def __getattr__(name: str) -> object:
        if name in names:
            value = getattr(import_module(f"{package}.{names[name]}"), name)
            setattr(sys.modules[package], name, value)  # found directly from now on
            return value
        if name in submodules:
            return import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names, *submodules})

    return __getattr__, __dir__
