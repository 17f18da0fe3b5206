"""What to download, and how patiently: a dataset's files with their checksums and sizes,
and the deadline and retries of each file."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .._validation import received


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
    sizes : mapping of str to int
        File name to its size in bytes: no download runs past it. Every file needs one.
    """

    name: str
    title: str
    mirrors: Sequence[str]
    sha256: Mapping[str, str]
    sizes: Mapping[str, int]

    def __post_init__(self) -> None:
        for file, digest in self.sha256.items():
            if not (isinstance(digest, str) and re.fullmatch(r"[0-9a-fA-F]{64}", digest)):
                raise ValueError(
                    f"The SHA-256 of {file} must be 64 hex digits. {received(sha256=digest)}"
                )
            size = self.sizes.get(file)
            if not (isinstance(size, int) and size > 0):
                raise ValueError(
                    f"The size of {file} must be a positive int (bytes). {received(size=size)}"
                )


@dataclass(frozen=True)
class DownloadLimits:
    """How long one file may take from one mirror, and how a broken connection is retried.

    A file of ``n`` bytes has ``grace_s + n / min_speed`` seconds, retries included; a
    connection closed early or stalled is resumed once after each pause of ``backoff_s``.

    Parameters
    ----------
    grace_s : float, default 60
        Seconds every file gets, whatever its size.
    min_speed : float, default 50,000
        The slowest average transfer (bytes per second) worth waiting for.
    backoff_s : tuple of float, default (1, 4, 16)
        The pauses before each resumed try; their number is the number of retries.

    Examples
    --------
    >>> DownloadLimits().deadline_s(9_912_422)  # MNIST's training images: about 4 minutes
    258.24844
    """

    grace_s: float = 60.0
    min_speed: float = 50_000.0
    backoff_s: tuple[float, ...] = (1.0, 4.0, 16.0)

    def deadline_s(self, size: int) -> float:
        """Seconds allowed for a file of ``size`` bytes."""
        return self.grace_s + size / self.min_speed
