"""Fixtures for the data tests: a local HTTP server, and a guard that fails any test that
would reach beyond this machine."""

import http.server
import threading
import time
import urllib.parse
import urllib.request
from functools import partial
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    """Every test gets its own cache folder, and any URL off this machine fails the test."""
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNLAB_DATA_URL", raising=False)
    real_urlopen = urllib.request.urlopen

    def guarded(request, *args, **kwargs):
        url = request.full_url if isinstance(request, urllib.request.Request) else request
        host = urllib.parse.urlparse(url).hostname
        if host not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"a test tried to reach the network: {url}")
        return real_urlopen(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", guarded)


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, honouring ``Range: bytes=N-`` when the server allows ranges.

    Each request takes the next behaviour from ``server.plan`` (then ``"whole"``):
    ``"whole"`` sends the body; ``"half"`` announces the whole body but sends half of it
    and closes; ``"trickle"`` sends a byte every ``server.trickle_s`` seconds; ``"endless"``
    sends the file over and over without a Content-Length.
    """

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        self.server.requests.append((self.path, self.headers.get("Range")))
        plan = self.server.plan.pop(0) if self.server.plan else "whole"
        if not path.is_file():
            self.send_error(404)
            return
        data, start = path.read_bytes(), 0
        wanted = self.headers.get("Range")
        if wanted and self.server.ranges:
            start = int(wanted.removeprefix("bytes=").rstrip("-"))
            if start >= len(data):
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        if plan != "endless":
            self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        try:
            self.send_body(plan, data[start:])
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: as it should
            pass

    def send_body(self, plan, body):
        if plan == "half":
            self.wfile.write(body[: len(body) // 2])
        elif plan == "trickle":
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(self.server.trickle_s)
        elif plan == "endless":
            for _ in range(10_000):  # 100 MB of a 10 KB file, unless the client stops first
                self.wfile.write(body)
        else:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_folder(tmp_path):
    """A local HTTP server over a fresh folder: yields (folder, base_url, server)."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = partial(RangeHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests, server.ranges, server.plan, server.trickle_s = [], True, [], 0.02
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()
