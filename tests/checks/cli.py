"""Run the command line as a user does: ``python -m cnnlab ...`` in a subprocess."""

import subprocess
import sys


def cnnlab(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cnnlab", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=timeout,
    )  # fmt: skip
