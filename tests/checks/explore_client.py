"""A small HTTP client for the explorer's server tests: status, headers and body of a request."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass


@dataclass
class Reply:
    status: int
    kind: str
    body: bytes

    def json(self):
        return json.loads(self.body)


class Client:
    """Requests to an Explorer, with its token and Host unless told otherwise."""

    def __init__(self, explorer):
        self.explorer = explorer
        self.port = explorer.port
        self.token = explorer.token

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
        token: str | None = "own", host: str | None = None,
    ) -> Reply:  # fmt: skip
        if token is not None:
            token = self.token if token == "own" else token
            path += ("&" if "?" in path else "?") + f"token={token}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        reply = Reply(response.status, response.getheader("Content-Type", ""), response.read())
        connection.close()
        return reply

    def get(self, path: str, **options) -> Reply:
        return self.request("GET", path, **options)

    def post_json(self, path: str, value, **options) -> Reply:
        body = json.dumps(value).encode()
        return self.request("POST", path, body, {"Content-Type": "application/json"}, **options)

    def post_image(self, path: str, data: bytes, kind: str = "image/png", **options) -> Reply:
        return self.request("POST", path, data, {"Content-Type": kind}, **options)
