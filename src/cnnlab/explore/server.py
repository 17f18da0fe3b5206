"""The explorer's HTTP server: loopback only, a token for the API, the Host checked.

``http.server`` on 127.0.0.1, one thread per request. Every request must name this
server in its ``Host`` header (``127.0.0.1:PORT`` or ``localhost:PORT``), so a page on
another site that points a DNS name at 127.0.0.1 gets 403 (DNS rebinding). Every
``/api/`` request must carry the session's token (``?token=`` or the header
``X-Cnnlab-Token``). Static files come from a fixed table of names inside the package:
no part of a request path reaches the filesystem. Each error is answered as JSON
``{"error": message}`` with its 4xx status, and the server goes on serving.
"""

from __future__ import annotations

import json
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from . import api

HOST = "127.0.0.1"
LARGEST_BODY = 8 * 2**20  # bytes of an upload or a JSON body
STATIC = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff")


class RequestError(Exception):
    """A request refused with ``status`` and a message for the page."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def read_static(name: str) -> bytes | None:
    """The packaged static file ``name`` (a key of `STATIC`), or None if it is missing."""
    path = resources.files("cnnlab.explore") / "static" / name
    return path.read_bytes() if path.is_file() else None


class ExploreServer(ThreadingHTTPServer):
    """The server of one session; ``token`` guards its API."""

    daemon_threads = True

    def __init__(self, session, port: int = 0):
        super().__init__((HOST, port), Handler)
        self.session = session
        self.token = secrets.token_urlsafe(24)
        self.port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        self.static = read_static  # tests may serve placeholders

    def start(self) -> threading.Thread:
        thread = threading.Thread(
            target=self.serve_forever, args=(0.05,), name="cnnlab-explore", daemon=True
        )  # polls for shutdown every 50 ms: close() is quick
        thread.start()
        return thread


class Handler(BaseHTTPRequestHandler):
    server: ExploreServer
    server_version = "cnnlab-explore"

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def do_DELETE(self) -> None:
        self._answer("DELETE")

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows the URL
        pass

    def _answer(self, method: str) -> None:
        try:
            self._check_host()
            url = urlsplit(self.path)
            if url.path == "/" or url.path.startswith("/static/"):
                self._static(method, url.path)
                return
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            endpoint = api.ROUTES.get(url.path)
            if endpoint is None:
                raise RequestError(404, f"There is no such page: {url.path}")
            self._check_token(query)
            if method not in endpoint.methods:
                raise RequestError(405, f"{url.path} answers {' and '.join(endpoint.methods)}.")
            body = self._body() if method == "POST" else None
            try:
                answer = endpoint.function(self.server.session, query, body)
            except (ValueError, TypeError) as error:
                raise RequestError(400, str(error)) from error
            if isinstance(answer, bytes):
                self._send(200, answer, "image/png")
            else:
                self._send(200, json.dumps(answer).encode(), "application/json")
        except RequestError as error:
            self._error(error.status, str(error))
        except Exception as error:  # a bug: still an answer, and the server goes on
            self._error(500, f"{type(error).__name__}: {error}")

    def _check_host(self) -> None:
        if self.headers.get("Host", "") not in self.server.hosts:
            raise RequestError(403, "This server answers only requests for its own address.")

    def _check_token(self, query: dict) -> None:
        given = query.get("token") or self.headers.get("X-Cnnlab-Token") or ""
        if not secrets.compare_digest(given.encode(), self.server.token.encode()):
            raise RequestError(403, "The API needs the token of the page's address (?token=).")

    def _static(self, method: str, path: str) -> None:
        name = "index.html" if path == "/" else path[len("/static/") :]
        if name not in STATIC:
            raise RequestError(404, f"There is no such page: {path}")
        if method != "GET":
            raise RequestError(405, f"{path} answers GET.")
        content = self.server.static(name)
        if content is None:
            raise RequestError(404, f"The page's file {name} is not installed.")
        self._send(200, content, STATIC[name])

    def _body(self) -> bytes | dict:
        """The request's JSON (as a dict) or the bytes of an uploaded image."""
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            raise RequestError(411, "A POST needs a Content-Length header.")
        if int(length) > LARGEST_BODY:
            self.close_connection = True  # the unread body must not be read as a request
            raise RequestError(
                413, f"The upload is {int(length):,} bytes; at most {LARGEST_BODY:,} are taken."
            )
        data = self.rfile.read(int(length))
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            try:
                parsed = json.loads(data.decode("utf-8"))
            except (ValueError, RecursionError) as error:
                raise RequestError(400, f"The body is not valid JSON: {error}") from error
            if not isinstance(parsed, dict):
                raise RequestError(400, "The JSON body must be an object, {...}.")
            return parsed
        if kind in IMAGE_TYPES:
            return data
        raise RequestError(
            415, f"A POST takes application/json or an image ({', '.join(IMAGE_TYPES)}). "
            f"Received: Content-Type={kind or 'none'!r}."
        )  # fmt: skip

    def _error(self, status: int, message: str) -> None:
        self._send(status, json.dumps({"error": message}).encode(), "application/json")

    def _send(self, status: int, content: bytes, kind: str) -> None:
        try:
            self.send_response(status, HTTPStatus(status).phrase)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):  # the page went away
            pass
