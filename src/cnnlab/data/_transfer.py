"""Moving the bytes of one URL into a ``.part`` file, continuing where an earlier try stopped.

HTTP(S) sources get a ``Range: bytes=N-`` request; a server that ignores it sends the whole
file, which then replaces the part. ``file://`` sources are opened directly and seek to N.
A transfer stops with an error when the source offers another size than the file's, when
the body runs past that size (an endless body), when the deadline passes (a trickle), and
when the connection closes before the announced length (:class:`ShortBody`, which the
caller may resume).
"""

from __future__ import annotations

import http.client
import io
import os
import time
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
TIMEOUT_S = 30  # for connecting, and for each read


class ShortBody(ConnectionError):
    """The connection closed before the body was complete: resume it with a Range request."""


class WrongSize(OSError):
    """The source offers, or sends, another number of bytes than the file has."""


class DeadlinePassed(OSError):
    """The file was not complete by its deadline (a server trickling its bytes)."""


def _open(url: str, start: int, timeout: float):
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
            urllib.request.Request(url, headers=headers), timeout=timeout
        )
    except urllib.error.HTTPError as error:
        if error.code != 416 or not start:  # 416: the .part already holds the whole file
            raise
        return io.BytesIO(), start, start
    if start and response.status != 206:  # the server ignored the range: start over
        start = 0
    length = response.headers.get("Content-Length")
    return response, start, (start + int(length)) if length else None


def download_part(
    url: str,
    part: Path,
    label: str,
    progress: bool,
    size: int | None = None,
    deadline: float | None = None,
) -> None:
    """Append the rest of ``url`` to ``part`` (all of it when ``part`` is absent).

    Parameters
    ----------
    size : int, optional
        The file's size in bytes: a source offering another size is refused before any byte
        is written (:class:`WrongSize`), and so is a body running past it.
    deadline : float, optional
        A ``time.monotonic()`` time: past it the transfer stops (:class:`DeadlinePassed`);
        a stalled read waits at most until then (or ``TIMEOUT_S``).

    Raises :class:`ShortBody` when the connection closes early; ``part`` then holds the
    bytes received, and a second call resumes from there.
    """
    start = part.stat().st_size if part.exists() else 0
    if size is not None and start == size:
        return  # complete: the caller checks its SHA-256
    if size is not None and start > size:
        part.unlink()
        start = 0
    timeout = _time_left(deadline, TIMEOUT_S)
    if timeout <= 0:
        raise DeadlinePassed(f"the deadline passed with {start:,} bytes received")
    try:
        stream, start, total = _open(url, start, timeout)
    except http.client.HTTPException as error:  # e.g. closed before the status line
        raise ShortBody(f"the server broke off: {type(error).__name__} {error}") from error
    try:
        if size is not None and total is not None and total != size:
            raise WrongSize(f"the source offers {total:,} bytes, the published file has {size:,}")
        _copy(stream, part, start, total, size, deadline, label if progress else None)
    finally:
        stream.close()


def _copy(stream, part: Path, start: int, total, size, deadline, label: str | None) -> None:
    """Copy ``stream`` to the end of ``part`` (from ``start``), within the limits."""
    read = getattr(stream, "read1", stream.read)  # what has arrived: a trickle cannot block
    received = start
    bar = _progress_bar() if label else nullcontext()
    with open(part, "ab" if start else "wb") as out, bar as shown:
        task = shown.add_task(label, total=total, completed=start) if shown else None
        while True:
            if _time_left(deadline, 1.0) <= 0:
                raise DeadlinePassed(f"the deadline passed with {received:,} bytes received")
            try:
                chunk = read(CHUNK)
            except http.client.IncompleteRead as error:  # a chunked body cut off
                raise ShortBody(f"the connection closed after {received:,} bytes") from error
            if not chunk:
                break
            if size is not None and received + len(chunk) > size:
                raise WrongSize(f"the source sent more than the file's {size:,} bytes")
            out.write(chunk)
            received += len(chunk)
            if shown:
                shown.advance(task, len(chunk))
    expected = total if total is not None else size
    if expected is not None and received < expected:
        raise ShortBody(f"the connection closed after {received:,} of {expected:,} bytes")


def _time_left(deadline: float | None, cap: float) -> float:
    """Seconds until ``deadline``, at most ``cap`` (``cap`` without a deadline)."""
    return cap if deadline is None else min(cap, deadline - time.monotonic())


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
