"""The ``cnnlab`` command: a thin front end over the library, with no logic of its own.

Each sub-command lives in its own module with ``add_parser(subparsers)`` and ``run(args)``.
Errors from bad input become one line on stderr and exit status 2, never a traceback.
"""

from .main import main

__all__ = ["main"]
