"""The folder a run writes into: writable before the work, no stale leftovers, synced.

Files are written atomically (``write_atomically``: a temporary ``.<name>.<hex>.tmp``
beside the file, flushed, then renamed over it); these helpers clean up after a process
killed in between, and make the rename itself durable.
"""

from __future__ import annotations

import glob
import os
import re
import tempfile
from pathlib import Path


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename inside it survives a power cut.

    Systems where a folder cannot be opened or flushed (Windows) keep their own guarantees.
    """
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files that a killed atomic write of ``path`` left beside it.

    ``write_atomically`` writes ``.<name>.<hex>.tmp`` and renames it over ``path``; a process
    killed in between (``kill -9``, a power cut) leaves that file behind. Returns the paths
    removed.
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]+\.tmp")
    stale = [p for p in path.parent.glob(f".{glob.escape(path.name)}.*.tmp")]
    stale = [p for p in stale if pattern.fullmatch(p.name) and p.is_file()]
    for temporary in stale:
        temporary.unlink(missing_ok=True)
    return stale


def check_writable(folder: Path) -> None:
    """Refuse a folder where files cannot be created, before any work that would need it."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".cnnlab-probe-"):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PermissionError(
            f"Cannot write into {folder} ({reason}): the run could save nothing there."
        ) from None
