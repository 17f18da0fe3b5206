"""Downloading dataset files once into a cache folder, checked by SHA-256.

A download goes into ``<file>.part`` and continues from where it stopped (an HTTP Range
request; local sources seek); only a complete file whose SHA-256 matches the published
value is renamed to its final name, so the cache never holds a half-written or wrong file.
Mirrors are tried in order. Without a network the error names every URL tried and the
folder where the files can be put by hand.

The cache folder is ``$CNNLAB_DATA``, else ``$XDG_CACHE_HOME/cnnlab``, else
``~/.cache/cnnlab``; each dataset has its own sub-folder. ``$CNNLAB_DATA_URL`` replaces
the mirrors by one base URL or local folder laid out like the cache (``<base>/mnist/...``).
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._validation import received
from ._transfer import CHUNK, download_part

CACHE_ENV = "CNNLAB_DATA"
URL_ENV = "CNNLAB_DATA_URL"


class DownloadError(OSError):
    """Dataset files could not be fetched (no network, no mirror answered, wrong files)."""


class ChecksumError(DownloadError):
    """A file's SHA-256 is not the published one."""


@dataclass(frozen=True)
class RemoteFiles:
    """Where a dataset's files come from, and the SHA-256 each one must have.

    Parameters
    ----------
    name : str
        The dataset's sub-folder in the cache (and under ``$CNNLAB_DATA_URL``).
    title : str
        The name used in messages.
    mirrors : sequence of str
        Base URLs (or local folders), tried in order; a file's URL is ``base/file``.
    sha256 : mapping of str to str
        File name to its published SHA-256 (64 hex digits). Every file needs one.
    """

    name: str
    title: str
    mirrors: Sequence[str]
    sha256: Mapping[str, str]

    def __post_init__(self) -> None:
        for file, digest in self.sha256.items():
            if not (isinstance(digest, str) and re.fullmatch(r"[0-9a-fA-F]{64}", digest)):
                raise ValueError(
                    f"The SHA-256 of {file} must be 64 hex digits. {received(sha256=digest)}"
                )


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

    Examples
    --------
    >>> import hashlib, pathlib, tempfile
    >>> mirror, cache = pathlib.Path(tempfile.mkdtemp()), tempfile.mkdtemp()
    >>> _ = (mirror / "a.bin").write_bytes(b"abc")
    >>> files = RemoteFiles("demo", "Demo", [], {"a.bin": hashlib.sha256(b"abc").hexdigest()})
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
    for i, file in enumerate(missing):
        _fetch_one(source, file, paths[file], bases, missing[i:], progress)
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
    missing: list[str],
    progress: bool,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    expected = source.sha256[file].lower()
    failures, mismatches = [], 0
    for base in bases:
        file_url = base.rstrip("/") + "/" + urllib.parse.quote(file)
        for _ in range(2):  # a second, fresh try when a resumed file comes out wrong
            resumed = part.exists() and part.stat().st_size > 0
            try:
                download_part(file_url, part, f"{source.title} {file}", progress)
            except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
                failures.append(f"{file_url} ({_one_line(error)})")
                break
            actual = sha256_of(part)
            if actual == expected:
                os.replace(part, path)
                return
            part.unlink()
            if not resumed:
                mismatches += 1
                failures.append(f"{file_url} (SHA-256 {actual}, expected {expected})")
                break
    kind = ChecksumError if failures and mismatches == len(failures) else DownloadError
    raise kind(
        f"Could not download {source.title} file {file}: tried {'; '.join(failures) or 'no URL'}. "
        f"Without a network, put {', '.join(missing)} into {path.parent} by hand "
        f"(or set {URL_ENV} to a folder that holds them in {source.name}/)."
    )


def _one_line(error: BaseException) -> str:
    code, reason = getattr(error, "code", None), getattr(error, "reason", None) or error
    text = f"HTTP {code} {reason}" if isinstance(code, int) else str(reason)
    return " ".join(text.split()) or type(error).__name__
