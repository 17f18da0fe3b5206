"""Moving the bytes of one URL into a ``.part`` file, continuing where an earlier try stopped.

HTTP(S) sources get a ``Range: bytes=N-`` request; a server that ignores it sends the whole
file, which then replaces the part. ``file://`` sources are opened directly and seek to N.
"""

from __future__ import annotations

import io
import os
import urllib.error
import urllib.parse
import urllib.request
from contextlib import nullcontext
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

CHUNK = 1 << 20
TIMEOUT_S = 30


def _open(url: str, start: int):
    """Open ``url`` at byte ``start``; return the stream, where it starts, and the total size."""
    parts = urllib.parse.urlparse(url)
    if parts.scheme == "file":
        stream = open(urllib.request.url2pathname(parts.path), "rb")
        total = os.fstat(stream.fileno()).st_size
        start = start if start <= total else 0
        stream.seek(start)
        return stream, start, total
    headers = {"User-Agent": "cnnlab"} | ({"Range": f"bytes={start}-"} if start else {})
    try:
        response = urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=TIMEOUT_S
        )
    except urllib.error.HTTPError as error:
        if error.code != 416 or not start:  # 416: the .part already holds the whole file
            raise
        return io.BytesIO(), start, start
    if start and response.status != 206:  # the server ignored the range: start over
        start = 0
    length = response.headers.get("Content-Length")
    return response, start, (start + int(length)) if length else None


def download_part(url: str, part: Path, label: str, progress: bool) -> None:
    """Append the rest of ``url`` to ``part`` (all of it when ``part`` is absent)."""
    start = part.stat().st_size if part.exists() else 0
    stream, start, total = _open(url, start)
    bar = _progress_bar() if progress else nullcontext()
    try:
        with open(part, "ab" if start else "wb") as out, bar as shown:
            task = shown.add_task(label, total=total, completed=start) if shown else None
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                out.write(chunk)
                if shown:
                    shown.advance(task, len(chunk))
    finally:
        stream.close()


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
