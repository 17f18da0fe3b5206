"""The ``cnnlab`` command: a thin front end over the library, with no logic of its own.

Each sub-command lives in its own module with ``add_parser(subparsers)`` and ``run(args)``,
imported only when that command runs (``main.COMMANDS`` lists the names and their help).
Errors from bad input become one line on stderr and exit status 2, never a traceback;
Ctrl-C, one line and exit status 130.
"""

from .main import main, run_and_exit

__all__ = ["main", "run_and_exit"]
