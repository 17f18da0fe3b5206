"""``cnnlab explore``: a local page to look inside a network, for any model.

explore     start the page's server for a model (a MODEL form or a Module); an Explorer
Explorer    the running server: ``.url``, ``.port``, ``.token``, ``.session``, ``.close()``
Session     the model, its current input and what was computed for it
API.md      the endpoints the page calls (the contract between server and page)
"""

from .explorer import Explorer, explore
from .session import Session

__all__ = ["Explorer", "Session", "explore"]
