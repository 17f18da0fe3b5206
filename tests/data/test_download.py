"""Downloads: cached once, checked by SHA-256 and size, resumed, bounded in time and bytes,
atomic, mirrors in order, clear offline.

Every source here is a local folder, a file:// URL or a server on 127.0.0.1; the autouse
guard in conftest fails any test that would reach further.
"""

import hashlib
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cnnlab.data import (
    ChecksumError,
    DownloadError,
    DownloadLimits,
    RemoteFiles,
    cache_dir,
    fetch,
)
from cnnlab.data import download as download_module

CONTENT = bytes(range(256)) * 40  # 10,240 bytes
DIGEST = hashlib.sha256(CONTENT).hexdigest()


def source(mirrors=(), digest=DIGEST, name="toy", size=len(CONTENT)):
    return RemoteFiles(name, "Toy", tuple(mirrors), {"toy.bin": digest}, {"toy.bin": size})


@pytest.fixture
def mirror(tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "toy.bin").write_bytes(CONTENT)
    return folder


def test_a_file_is_downloaded_verified_and_cached(tmp_path, mirror):
    path = fetch(source(), root=tmp_path / "c", url=str(mirror))["toy.bin"]
    assert path == tmp_path / "c" / "toy" / "toy.bin"
    assert path.read_bytes() == CONTENT
    (mirror / "toy.bin").unlink()  # the second call must not need the source
    assert fetch(source(), root=tmp_path / "c", url=str(mirror))["toy.bin"] == path


def test_file_urls_and_folders_both_work(tmp_path, mirror):
    assert fetch(source([mirror.as_uri()]), root=tmp_path / "a")["toy.bin"].exists()
    assert fetch(source([str(mirror)]), root=tmp_path / "b")["toy.bin"].exists()


def test_a_wrong_checksum_is_refused_and_nothing_is_cached(tmp_path, mirror):
    wrong = "0" * 64
    with pytest.raises(ChecksumError) as caught:
        fetch(source(digest=wrong), root=tmp_path / "c", url=str(mirror), progress=False)
    message = str(caught.value)
    assert f"(SHA-256 {DIGEST}, expected {wrong})" in message
    assert "\n" not in message
    assert list((tmp_path / "c" / "toy").iterdir()) == []  # no final file, no .part


def test_a_changed_file_in_the_cache_is_refused_with_what_to_do(tmp_path, mirror):
    path = fetch(source(), root=tmp_path, url=str(mirror))["toy.bin"]
    path.write_bytes(b"tampered")
    message = f"{path} has SHA-256 {hashlib.sha256(b'tampered').hexdigest()} but the published"
    with pytest.raises(ChecksumError, match=re.escape(message) + ".*delete it"):
        fetch(source(), root=tmp_path, url=str(mirror))


def test_a_partial_download_is_resumed_from_a_file_source(tmp_path, mirror):
    folder = tmp_path / "c" / "toy"
    folder.mkdir(parents=True)
    (folder / "toy.bin.part").write_bytes(CONTENT[:4000])
    (mirror / "toy.bin").write_bytes(b"\xff" * 4000 + CONTENT[4000:])  # only the tail is read
    path = fetch(source(), root=tmp_path / "c", url=str(mirror))["toy.bin"]
    assert path.read_bytes() == CONTENT
    assert not (folder / "toy.bin.part").exists()


def test_a_wrong_partial_download_is_started_again(tmp_path, mirror):
    folder = tmp_path / "c" / "toy"
    folder.mkdir(parents=True)
    (folder / "toy.bin.part").write_bytes(b"garbage")
    path = fetch(source(), root=tmp_path / "c", url=str(mirror))["toy.bin"]
    assert path.read_bytes() == CONTENT


def test_http_resume_asks_for_the_rest_with_a_range_request(tmp_path, http_folder):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    part = tmp_path / "c" / "toy" / "toy.bin.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(CONTENT[:1234])
    path = fetch(source([base]), root=tmp_path / "c")["toy.bin"]
    assert path.read_bytes() == CONTENT
    assert server.requests == [("/toy.bin", "bytes=1234-")]


def test_a_server_that_ignores_ranges_sends_the_whole_file_again(tmp_path, http_folder):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    server.ranges = False
    part = tmp_path / "c" / "toy" / "toy.bin.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(CONTENT[:1234])
    assert fetch(source([base]), root=tmp_path / "c")["toy.bin"].read_bytes() == CONTENT


def test_a_complete_part_file_is_verified_without_downloading_again(tmp_path, http_folder):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    part = tmp_path / "c" / "toy" / "toy.bin.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(CONTENT)
    assert fetch(source([base]), root=tmp_path / "c")["toy.bin"].read_bytes() == CONTENT
    assert server.requests == []  # it has the published size: only its checksum is read


def test_mirrors_are_tried_in_order(tmp_path, http_folder, mirror):
    served, base, server = http_folder  # serves nothing: 404
    path = fetch(source([base + "/missing", str(mirror)]), root=tmp_path / "c")["toy.bin"]
    assert path.read_bytes() == CONTENT
    assert server.requests == [("/missing/toy.bin", None)]


def test_http_errors_are_reported_with_their_status(tmp_path, http_folder):
    _, base, _ = http_folder
    message = f"tried {base}/toy.bin (HTTP 404 Not Found)"
    with pytest.raises(DownloadError, match=re.escape(message)):
        fetch(source([base]), root=tmp_path / "c")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_a_network_one_line_says_what_was_tried_and_where_to_put_the_files(tmp_path):
    bases = [f"http://127.0.0.1:{closed_port()}/a", f"http://127.0.0.1:{closed_port()}/b"]
    with pytest.raises(DownloadError) as caught:
        fetch(source(bases), root=tmp_path / "c", progress=False)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("Could not download Toy file toy.bin: tried ")
    assert f"{bases[0]}/toy.bin (" in message and f"{bases[1]}/toy.bin (" in message
    assert f"put toy.bin into {tmp_path / 'c' / 'toy'} by hand" in message
    assert not isinstance(caught.value, ChecksumError)


def test_name_resolution_failures_are_reported_too(tmp_path, monkeypatch):
    def offline(request, *args, **kwargs):
        raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DownloadError, match=r"https://example.org/d/toy.bin \(\[Errno -3\] Temp"):
        fetch(source(["https://example.org/d/"]), root=tmp_path)


def test_download_false_with_a_missing_file_says_where_it_belongs(tmp_path):
    message = f"Toy needs toy.bin in {tmp_path / 'toy'}, and download=False"
    with pytest.raises(FileNotFoundError, match=re.escape(message)):
        fetch(source(), root=tmp_path, download=False)


def test_the_environment_chooses_cache_and_source(tmp_path, monkeypatch, mirror):
    (mirror / "toy").mkdir()
    (mirror / "toy" / "toy.bin").write_bytes(CONTENT)  # laid out like the cache
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path / "env-cache"))
    monkeypatch.setenv("CNNLAB_DATA_URL", str(mirror))
    path = fetch(source(["https://example.org/never/"]))["toy.bin"]
    assert path == tmp_path / "env-cache" / "toy" / "toy.bin"


def test_the_default_cache_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNLAB_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "cnnlab"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "cnnlab"
    assert cache_dir("~/here") == Path.home() / "here"


def test_bad_registry_entries_and_file_names_are_refused(tmp_path):
    with pytest.raises(ValueError, match="The SHA-256 of toy.bin must be 64 hex digits"):
        source(digest="abc")
    with pytest.raises(ValueError, match=r"The size of toy.bin must be a positive int \(bytes\)"):
        source(size=0)
    with pytest.raises(
        ValueError, match=r"`files` must be files of Toy: toy.bin. Received: files=\['x'\]"
    ):
        fetch(source(), ["x"], root=tmp_path)


# -- connections that break off, trickle, never end, or send the wrong file ------------------
QUICK = DownloadLimits(backoff_s=(0.0, 0.0, 0.0))


def test_a_connection_closed_early_is_resumed_with_a_range_request(tmp_path, http_folder):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    server.plan = ["half"]
    path = fetch(source([base]), root=tmp_path / "c", progress=False, limits=QUICK)["toy.bin"]
    assert path.read_bytes() == CONTENT
    assert server.requests == [("/toy.bin", None), ("/toy.bin", "bytes=5120-")]


def test_a_connection_that_keeps_closing_early_is_retried_after_growing_pauses(
    tmp_path, http_folder, monkeypatch
):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    server.plan = ["half"] * 4
    pauses = []
    monkeypatch.setattr(download_module.time, "sleep", pauses.append)
    with pytest.raises(DownloadError) as caught:
        fetch(source([base]), root=tmp_path / "c", progress=False)  # the default limits
    assert pauses == [1.0, 4.0, 16.0]
    assert [r[1] for r in server.requests] == [None, "bytes=5120-", "bytes=7680-", "bytes=8960-"]
    message = str(caught.value)
    assert "\n" not in message and not isinstance(caught.value, ChecksumError)
    assert f"{base}/toy.bin (the connection closed after 9,600 of 10,240 bytes; tried 4 " in message
    part = tmp_path / "c" / "toy" / "toy.bin.part"
    assert part.read_bytes() == CONTENT[:9600]  # kept: the next call goes on from there
    assert fetch(source([base]), root=tmp_path / "c")["toy.bin"].read_bytes() == CONTENT
    assert server.requests[-1] == ("/toy.bin", "bytes=9600-")


def test_a_server_without_ranges_resends_the_whole_file_after_a_short_body(tmp_path, http_folder):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    server.ranges, server.plan = False, ["half"]
    path = fetch(source([base]), root=tmp_path / "c", progress=False, limits=QUICK)["toy.bin"]
    assert path.read_bytes() == CONTENT
    assert server.requests == [("/toy.bin", None), ("/toy.bin", "bytes=5120-")]  # sent whole


def test_a_trickling_server_is_given_up_at_the_files_deadline(tmp_path, http_folder, mirror):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    server.plan = ["trickle"]  # a byte every 20 ms: over 3 minutes for the file
    limits = DownloadLimits(grace_s=0.3, min_speed=1e12, backoff_s=())
    with pytest.raises(DownloadError, match=re.escape(f"{base}/toy.bin (the deadline passed wi")):
        fetch(source([base]), root=tmp_path / "c", progress=False, limits=limits)
    path = fetch(source([base, str(mirror)]), root=tmp_path / "d", limits=limits)["toy.bin"]
    assert path.read_bytes() == CONTENT  # the next mirror gets its own deadline


def test_an_endless_body_is_cut_at_the_files_size_and_nothing_is_kept(tmp_path, http_folder):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT)
    server.plan = ["endless"]
    message = f"{base}/toy.bin (the source sent more than the file's 10,240 bytes)"
    with pytest.raises(DownloadError, match=re.escape(message)):
        fetch(source([base]), root=tmp_path / "c", progress=False, limits=QUICK)
    assert list((tmp_path / "c" / "toy").iterdir()) == []


def test_a_larger_file_than_published_is_refused_before_its_body(tmp_path, http_folder):
    served, base, server = http_folder
    (served / "toy.bin").write_bytes(CONTENT * 2)
    message = "(the source offers 20,480 bytes, the published file has 10,240)"
    with pytest.raises(ChecksumError, match=re.escape(message)):
        fetch(source([base]), root=tmp_path / "c", progress=False, limits=QUICK)
    assert list((tmp_path / "c" / "toy").iterdir()) == []


def test_a_wrong_file_of_the_right_size_over_http_is_refused_by_its_checksum(tmp_path, http_folder):
    served, base, _ = http_folder
    wrong = CONTENT[::-1]
    (served / "toy.bin").write_bytes(wrong)
    message = f"(SHA-256 {hashlib.sha256(wrong).hexdigest()}, expected {DIGEST})"
    with pytest.raises(ChecksumError, match=re.escape(message)):
        fetch(source([base]), root=tmp_path / "c", progress=False, limits=QUICK)
    assert list((tmp_path / "c" / "toy").iterdir()) == []
