"""Published ImageNet weights cnnlab knows: where they are, how to check and use them.

Each entry is a torchvision file on ``https://download.pytorch.org/models/``. torchvision
names its files ``<arch>-<8 hex digits>.pth``, the digits being the first eight of the
file's SHA-256, and checks downloads against that prefix only (``torch.hub``'s
``check_hash``); the full SHA-256 is not published, so cnnlab checks the same prefix. The
download itself is ``cnnlab.data``'s: cached (``$CNNLAB_DATA/weights``), resumable through
a ``.part`` file, renamed into place only when checked, with a progress bar.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .._validation import check_choice
from ..data._transfer import download_part
from ..data.download import URL_ENV, DownloadError, _one_line, cache_dir, sha256_of

BASE_URL = "https://download.pytorch.org/models"
FOLDER = "weights"


@dataclass(frozen=True)
class KnownWeights:
    """One published weights file and how its inputs must be prepared.

    ``resize`` is the shorter side before the centre crop of ``crop`` pixels.
    """

    name: str
    architecture: str
    file: str
    size_mb: float  # torchvision's "_file_size", in MiB
    acc1: float
    resize: int = 256
    crop: int = 224

    @property
    def url(self) -> str:
        return f"{BASE_URL}/{self.file}"

    @property
    def sha256_prefix(self) -> str:
        return re.search(r"-([0-9a-f]{8})\.pth$", self.file).group(1)


_V1, _V2 = 256, 232
KNOWN_WEIGHTS = {
    w.name: w
    for w in (
        KnownWeights("resnet18", "resnet18", "resnet18-f37072fd.pth", 44.661, 69.758),
        KnownWeights("resnet34", "resnet34", "resnet34-b627a593.pth", 83.275, 73.314),
        KnownWeights("resnet50.v1", "resnet50", "resnet50-0676ba61.pth", 97.781, 76.130),
        KnownWeights("resnet50", "resnet50", "resnet50-11ad3fa6.pth", 97.79, 80.858, _V2),
        KnownWeights(
            "resnext50_32x4d.v1", "resnext50_32x4d", "resnext50_32x4d-7cdf4587.pth", 95.789, 77.618
        ),
        KnownWeights(
            "resnext50_32x4d",
            "resnext50_32x4d",
            "resnext50_32x4d-1a0047aa.pth",
            95.833,
            81.198,
            _V2,
        ),
        KnownWeights(
            "resnext101_32x8d.v1",
            "resnext101_32x8d",
            "resnext101_32x8d-8ba56ff5.pth",
            339.586,
            79.312,
        ),  # fmt: skip
        KnownWeights(
            "resnext101_32x8d",
            "resnext101_32x8d",
            "resnext101_32x8d-110c445d.pth",
            339.673,
            82.834,
            _V2,
        ),  # fmt: skip
    )
}


def known_weights(name: str) -> KnownWeights:
    """The entry called ``name``: an architecture (its best weights) or ``<arch>.v1``."""
    return KNOWN_WEIGHTS[check_choice("weights", name, tuple(KNOWN_WEIGHTS))]


def weights_path(name: str, root: str | Path | None = None) -> Path:
    """Where the weights called ``name`` live in the cache (whether or not they are there)."""
    return cache_dir(root) / FOLDER / known_weights(name).file


def fetch_weights(
    name: str, root: str | Path | None = None, download: bool = True, progress: bool = True
) -> Path:
    """The cached file of the weights called ``name``, downloaded and checked if missing.

    ``$CNNLAB_DATA_URL`` (a URL or folder holding ``weights/<file>``) replaces
    download.pytorch.org, as for datasets.

    Examples
    --------
    >>> import tempfile
    >>> fetch_weights("resnet18", root=tempfile.mkdtemp(), download=False)
    Traceback (most recent call last):
    ...
    FileNotFoundError: The weights resnet18 (resnet18-f37072fd.pth) are not in .../weights; ...
    """
    entry = known_weights(name)
    path = weights_path(name, root)
    if path.exists():
        _check_prefix(path, entry)
        return path
    if not download:
        raise FileNotFoundError(
            f"The weights {name} ({entry.file}) are not in {path.parent}; download them with "
            f"`cnnlab weights download {name}` or put the file there by hand."
        )
    base = os.environ.get(URL_ENV)
    base = base.rstrip("/\\") + "/" + FOLDER if base else BASE_URL
    if "://" not in base:
        base = Path(base).expanduser().resolve().as_uri()
    url = base + "/" + urllib.parse.quote(entry.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        download_part(url, part, f"weights {entry.file}", progress)
    except (OSError, ValueError) as error:
        raise DownloadError(
            f"Could not download {url} ({_one_line(error)}). Without a network, put "
            f"{entry.file} into {path.parent} by hand."
        ) from error
    _check_prefix(part, entry, final=path)
    os.replace(part, path)
    return path


def _check_prefix(path: Path, entry: KnownWeights, final: Path | None = None) -> None:
    digest = sha256_of(path)
    if not digest.startswith(entry.sha256_prefix):
        if final is not None:
            path.unlink()
        raise DownloadError(
            f"{path} has SHA-256 {digest}, which does not start with {entry.sha256_prefix} as "
            f"{entry.file} must: delete it and download it again."
        )
