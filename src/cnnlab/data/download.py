"""Downloading dataset files once into a cache folder, checked by SHA-256.

A download goes into ``<file>.part`` and continues from where it stopped (an HTTP Range
request; local sources seek); only a complete file whose SHA-256 matches the published
value is renamed to its final name, so the cache never holds a half-written or wrong file.
A connection that breaks off is resumed a few times, after a growing pause; a source that
offers or sends more than the file's published size is refused, and so is one that has
not delivered it by its deadline (see :class:`DownloadLimits`). Mirrors are tried in
order. Without a network the error names every URL tried and the folder where the files
can be put by hand.

The cache folder is ``$CNNLAB_DATA``, else ``$XDG_CACHE_HOME/cnnlab``, else
``~/.cache/cnnlab``; each dataset has its own sub-folder. ``$CNNLAB_DATA_URL`` replaces
the mirrors by one base URL or local folder laid out like the cache (``<base>/mnist/...``).
"""

from __future__ import annotations

import hashlib
import os
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from .._validation import received
from ._transfer import CHUNK, WrongSize, download_part
from .remote import DownloadLimits, RemoteFiles

CACHE_ENV = "CNNLAB_DATA"
URL_ENV = "CNNLAB_DATA_URL"


class DownloadError(OSError):
    """Dataset files could not be fetched (no network, no mirror answered, wrong files)."""


class ChecksumError(DownloadError):
    """A file's SHA-256 is not the published one."""


def cache_dir(root: str | Path | None = None) -> Path:
    """The cache folder: ``root``, else ``$CNNLAB_DATA``, else the user's cache folder."""
    if root is not None:
        return Path(root).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cnnlab"


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(
    source: RemoteFiles,
    files: Sequence[str] | None = None,
    root: str | Path | None = None,
    download: bool = True,
    url: str | None = None,
    progress: bool = True,
    limits: DownloadLimits | None = None,
) -> dict[str, Path]:
    """Make sure ``files`` of ``source`` are in the cache, verified; return their paths.

    Parameters
    ----------
    source : RemoteFiles
        The dataset's mirrors and checksums.
    files : sequence of str, optional
        Which files (default: all of them).
    root : str or Path, optional
        The cache folder (default: see :func:`cache_dir`); files go into ``root/name``.
    download : bool
        Fetch missing files; when false, a missing file is an error.
    url : str, optional
        One base URL or local folder holding the files, used instead of the mirrors.
    progress : bool
        Show a progress bar while downloading.
    limits : DownloadLimits, optional
        Each file's deadline, and the pauses before resuming a broken connection (by
        default ``DownloadLimits()``).

    Examples
    --------
    >>> import hashlib, pathlib, tempfile
    >>> mirror, cache = pathlib.Path(tempfile.mkdtemp()), tempfile.mkdtemp()
    >>> _ = (mirror / "a.bin").write_bytes(b"abc")
    >>> files = RemoteFiles("demo", "Demo", [], {"a.bin": hashlib.sha256(b"abc").hexdigest()},
    ...                     {"a.bin": 3})
    >>> fetch(files, root=cache, url=str(mirror), progress=False)["a.bin"].read_bytes()
    b'abc'
    """
    files = list(source.sha256) if files is None else list(files)
    unknown = [f for f in files if f not in source.sha256]
    if unknown:
        raise ValueError(
            f"`files` must be files of {source.title}: {', '.join(source.sha256)}. "
            f"{received(files=unknown)}"
        )
    folder = cache_dir(root) / source.name
    paths = {f: folder / f for f in files}
    for file, path in paths.items():
        if path.exists():
            _verify_cached(path, source.sha256[file])
    missing = [f for f in files if not paths[f].exists()]
    if missing and not download:
        raise FileNotFoundError(
            f"{source.title} needs {', '.join(missing)} in {folder}, and download=False: "
            "put the files there by hand or call with download=True."
        )
    bases = _bases(source, url)
    for file in missing:
        _fetch_one(source, file, paths[file], bases, progress, limits or DownloadLimits())
    return paths


def _bases(source: RemoteFiles, url: str | None) -> list[str]:
    if url is not None:
        bases = [url]
    elif os.environ.get(URL_ENV):
        bases = [os.environ[URL_ENV].rstrip("/\\") + "/" + source.name]
    else:
        bases = list(source.mirrors)
    return [b if "://" in b else Path(b).expanduser().resolve().as_uri() for b in bases]


def _verify_cached(path: Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected.lower():
        raise ChecksumError(
            f"{path} has SHA-256 {actual} but the published file has {expected.lower()}: "
            "delete it (it will be downloaded again) or replace it with the published file."
        )


def _fetch_one(
    source: RemoteFiles,
    file: str,
    path: Path,
    bases: list[str],
    progress: bool,
    limits: DownloadLimits,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    failures = []
    for base in bases:
        file_url = base.rstrip("/") + "/" + urllib.parse.quote(file)
        failure = _from_mirror(source, file, file_url, part, progress, limits)
        if failure is None:
            os.replace(part, path)
            return
        failures.append(failure._replace(text=f"{file_url} ({failure.text})"))
    wrong = failures and all(failure.wrong_file for failure in failures)
    kind = ChecksumError if wrong else DownloadError
    absent = [f for f in source.sha256 if not (path.parent / f).exists()]  # all, for by hand
    raise kind(
        f"Could not download {source.title} file {file}: tried "
        f"{'; '.join(failure.text for failure in failures) or 'no URL'}. "
        f"Without a network, put {', '.join(absent)} into {path.parent} by hand "
        f"(or set {URL_ENV} to a folder that holds them in {source.name}/)."
    )


class _Failure(NamedTuple):
    text: str
    wrong_file: bool = False  # the source has another file than the published one


def _from_mirror(
    source: RemoteFiles, file: str, url: str, part: Path, progress: bool, limits: DownloadLimits
) -> _Failure | None:
    """Bring ``part`` to the verified file from ``url``: ``None``, or what went wrong."""
    expected, size = source.sha256[file].lower(), source.sizes[file]
    deadline = time.monotonic() + limits.deadline_s(size)
    pauses, fresh = list(limits.backoff_s), False
    while True:
        resumed = part.exists() and part.stat().st_size > 0
        try:
            download_part(url, part, f"{source.title} {file}", progress, size, deadline)
        except (ConnectionError, TimeoutError) as error:  # broken off or stalled: resume
            if pauses and time.monotonic() + pauses[0] < deadline:
                time.sleep(pauses.pop(0))
                continue
            tries = len(limits.backoff_s) - len(pauses) + 1
            return _Failure(f"{_one_line(error)}; tried {tries} time{'s' * (tries > 1)}")
        except WrongSize as error:
            part.unlink(missing_ok=True)  # what a wrong source sent is worth nothing
            return _Failure(_one_line(error), wrong_file=True)
        except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
            return _Failure(_one_line(error))
        actual = sha256_of(part)
        if actual == expected:
            return None
        part.unlink()
        if not resumed or fresh:
            return _Failure(f"SHA-256 {actual}, expected {expected}", wrong_file=True)
        fresh = True  # the part kept from before may be what was wrong: once more, whole


def _one_line(error: BaseException) -> str:
    code, reason = getattr(error, "code", None), getattr(error, "reason", None) or error
    text = f"HTTP {code} {reason}" if isinstance(code, int) else str(reason)
    return " ".join(text.split()) or type(error).__name__
