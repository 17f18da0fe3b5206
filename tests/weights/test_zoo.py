"""The published weights: names, hash prefixes, cache, and offline downloads."""

import hashlib

import pytest

from cnnlab.data import DownloadError
from cnnlab.weights import KNOWN_WEIGHTS, fetch_weights, known_weights, weights_path


def test_every_entry_points_at_download_pytorch_org_with_its_hash_prefix():
    for name, entry in KNOWN_WEIGHTS.items():
        assert entry.url == f"https://download.pytorch.org/models/{entry.file}"
        assert entry.file.startswith(entry.architecture + "-")
        assert len(entry.sha256_prefix) == 8
        assert entry.resize == (256 if name.endswith(".v1") or "resnet18" in name
                                or "resnet34" in name else 232)  # fmt: skip


def test_the_bot_weights_are_resnext50_v1_with_resize_256():
    entry = known_weights("resnext50_32x4d.v1")
    assert (entry.file, entry.resize, entry.crop) == ("resnext50_32x4d-7cdf4587.pth", 256, 224)


def test_an_unknown_name_suggests_close_ones():
    with pytest.raises(ValueError, match="resnext50_32x4d"):
        known_weights("resnext50")


def fake_entry(monkeypatch, content):
    """Point resnet18 at a file whose name carries the prefix of `content`'s SHA-256."""
    entry = KNOWN_WEIGHTS["resnet18"]
    prefix = hashlib.sha256(content).hexdigest()[:8]
    fake = type(entry)(**{**entry.__dict__, "file": f"resnet18-{prefix}.pth"})
    monkeypatch.setitem(KNOWN_WEIGHTS, "resnet18", fake)
    return fake


def test_download_from_a_local_mirror_checks_the_prefix_and_caches(tmp_path, monkeypatch):
    entry = fake_entry(monkeypatch, b"weights!")
    mirror = tmp_path / "mirror" / "weights"
    mirror.mkdir(parents=True)
    (mirror / entry.file).write_bytes(b"weights!")
    monkeypatch.setenv("CNNLAB_DATA_URL", str(tmp_path / "mirror"))
    path = fetch_weights("resnet18", root=tmp_path / "cache", progress=False)
    assert path == weights_path("resnet18", tmp_path / "cache") and path.read_bytes() == b"weights!"
    (mirror / entry.file).unlink()
    assert fetch_weights("resnet18", root=tmp_path / "cache") == path  # from the cache


def test_a_file_with_the_wrong_hash_is_not_kept(tmp_path, monkeypatch):
    entry = fake_entry(monkeypatch, b"weights!")
    mirror = tmp_path / "mirror" / "weights"
    mirror.mkdir(parents=True)
    (mirror / entry.file).write_bytes(b"tampered")
    monkeypatch.setenv("CNNLAB_DATA_URL", str(tmp_path / "mirror"))
    with pytest.raises(DownloadError, match="does not start with"):
        fetch_weights("resnet18", root=tmp_path / "cache", progress=False)
    assert not list((tmp_path / "cache" / "weights").iterdir())


def test_an_unreachable_source_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_DATA_URL", str(tmp_path / "nowhere"))
    with pytest.raises(
        DownloadError, match=r"Could not download .*resnet18-f37072fd\.pth.*by hand"
    ):
        fetch_weights("resnet18", root=tmp_path / "cache", progress=False)
