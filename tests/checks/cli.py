"""Run the command line as a user does: ``python -m cnnlab ...`` in a subprocess."""

import os
import subprocess
import sys


def cnnlab(*args, cwd=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    """Run ``cnnlab ARGS``; ``env`` adds variables to this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "cnnlab", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=timeout,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
