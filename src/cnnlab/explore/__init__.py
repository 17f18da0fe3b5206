"""``cnnlab explore``: a local page to look inside a network, for any model.

explore     start the page's server for a model (a MODEL form or a Module); an Explorer
Explorer    the running server: ``.url``, ``.port``, ``.token``, ``.session``, ``.close()``
Session     the model, its current input and what was computed for it
API.md      the endpoints the page calls (the contract between server and page)

The package itself can be called: ``cnnlab.explore(model)`` is ``explore(model)``.
"""

import sys
import types

from .explorer import Explorer, explore
from .session import Session

__all__ = ["Explorer", "Session", "explore"]


class _CallablePackage(types.ModuleType):
    """``cnnlab.explore`` is this package and, called, its function :func:`explore`."""

    def __call__(self, *args, **kwargs) -> Explorer:
        return explore(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
