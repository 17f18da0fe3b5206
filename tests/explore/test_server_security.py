"""Every bad request gets a 4xx with a JSON message, and the server goes on serving."""

import io
import json
import socket

import numpy as np
import pytest
from PIL import Image

from checks.explore_client import Client
from cnnlab.explore import explore, pictures


@pytest.fixture(scope="module")
def client():
    with explore("lenet5", open_browser=False) as explorer:
        explorer.server.static = {"index.html": b"<p>placeholder</p>"}.get  # the page's own
        yield Client(explorer)


def png_bytes(shape=(20, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.zeros(shape, np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def refused(reply, status: int, words: str = "") -> None:
    """``reply`` is ``status`` with a JSON error message containing ``words``."""
    assert reply.status == status, reply.body
    assert reply.kind == "application/json"
    assert words in reply.json()["error"]


def still_serving(client) -> None:
    reply = client.get("/api/model")
    assert reply.status == 200 and reply.json()["input_shape"] == [1, 28, 28]


def test_the_server_listens_on_the_loopback_address_only(client):
    assert client.explorer.server.server_address[0] == "127.0.0.1"
    assert client.explorer.url.startswith(f"http://127.0.0.1:{client.port}/?token=")


def test_each_explorer_has_its_own_long_random_token():
    with explore("lenet5", open_browser=False) as one, explore("lenet5", open_browser=False) as two:
        assert one.token != two.token and len(one.token) >= 32


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_the_api_refuses_a_missing_or_wrong_token(client, token):
    refused(client.get("/api/model", token=token), 403, "token")
    still_serving(client)


def test_the_token_may_come_in_a_header(client):
    reply = client.get("/api/prediction", token=None, headers={"X-Cnnlab-Token": client.token})
    assert reply.status == 200


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "0.0.0.0:{port}"]
)
def test_a_foreign_host_header_is_refused_for_pages_and_api(client, host):
    host = host.format(port=client.port)
    refused(client.get("/api/model", host=host), 403, "own address")
    refused(client.get("/", token=None, host=host), 403)
    still_serving(client)


def test_localhost_by_name_is_this_server(client):
    assert client.get("/api/model", host=f"localhost:{client.port}").status == 200


def test_static_files_come_from_a_fixed_table_without_the_token(client):
    reply = client.get("/", token=None)
    assert reply.status == 200 and reply.body == b"<p>placeholder</p>"
    assert reply.kind.startswith("text/html")
    for path in ("/static/../server.py", "/static/%2e%2e/server.py", "/static/API.md",
                 "/static/app.js", "/etc/passwd", "/static/"):  # fmt: skip
        refused(client.get(path, token=None), 404)
    still_serving(client)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/nothing", 404), ("POST", "/api/model", 405), ("GET", "/api/input", 405),
     ("DELETE", "/api/prediction", 405), ("POST", "/", 405)],
)  # fmt: skip
def test_unknown_paths_and_methods(client, method, path, status):
    refused(client.request(method, path, b"{}", {"Content-Type": "application/json"}), status)
    still_serving(client)


@pytest.mark.parametrize(
    ("path", "words"),
    [("/api/layer?layer=99", "must be the name of a module"), ("/api/layer", "missing"),
     ("/api/layer/maps.png?layer=conv", "must be the name of a module"),
     ("/api/layer/kernels?layer=1", "Conv2d"),
     ("/api/field?layer=0&channel=6&row=0&col=0", "channel in 0..5, row in 0..27"),
     ("/api/field?layer=0&channel=0&row=28&col=0", "row in 0..27"),
     ("/api/field?layer=0&channel=0&row=-1&col=0", "Received: channel=0, row=-1"),
     ("/api/field?layer=0&channel=x", "`channel` must be an integer"),
     ("/api/field/gradient.png?layer=11&channel=10", "channel in 0..9"),
     ("/api/pooling?layer=0", "pooling is shown for"),
     ("/api/pooling?layer=2&channel=6", "`channel` must be in 0..5"),
     ("/api/pooling?example=pool7x7", "pool6x6"),
     ("/api/gradcam?layer=7", "needs a layer with maps"),
     ("/api/gradcam.png?layer=3&target=10", "class index in 0..9")],
)  # fmt: skip
def test_bad_parameters_are_400_with_the_valid_ranges(client, path, words):
    refused(client.get(path), 400, words)
    still_serving(client)


@pytest.mark.parametrize(
    ("body", "words"),
    [(b"{not json", "not valid JSON"), (b"[1, 2]", "must be an object"),
     (b'{"example": "test-99"}', "`example` must be one of"),
     (b'{"drawing": [[0, 1], [1]]}', "`drawing` must be a list of rows"),
     (b'{"drawing": "abc"}', "`drawing` must be"), (b'{"drawing": [[1e999]]}', "`drawing`"),
     (b'{"color": 1}', "The input must be"), (b"\xff\xfe", "not valid JSON")],
)  # fmt: skip
def test_bad_json_inputs_are_400(client, body, words):
    refused(client.request("POST", "/api/input", body, {"Content-Type": "application/json"}),
            400, words)  # fmt: skip
    still_serving(client)


@pytest.mark.parametrize(
    ("body", "words"),
    [({"name": "blur"}, "The filter is"), ({"kernel": [[1, 2], [3, 4]]}, "3x3 or 5x5"),
     ({"kernel": [[1, 2, 3]] * 3 + [[1, 2, 3]]}, "3x3 or 5x5"),
     ({"name": "median", "size": 99}, "1..15"), ({"name": "sobel_x", "size": 3}, "size"),
     ({"name": "gradient", "operator": "roberts"}, "`operator` must be one of")],
)  # fmt: skip
def test_bad_filters_are_400(client, body, words):
    refused(client.post_json("/api/filter", body), 400, words)
    still_serving(client)


def test_a_file_that_is_not_an_image_is_400(client):
    refused(client.post_image("/api/input", b"GIF89a but not really"), 400, "Not an image")
    refused(client.post_image("/api/input", b""), 400)
    still_serving(client)


def test_an_upload_of_another_type_is_415(client):
    reply = client.request("POST", "/api/input", b"hello", {"Content-Type": "text/plain"})
    refused(reply, 415, "application/json or an image")
    refused(client.request("POST", "/api/input", b"hello"), 415)
    still_serving(client)


def test_an_image_with_too_many_pixels_is_refused_before_decoding(client, monkeypatch):
    monkeypatch.setattr(pictures, "UPLOAD_PIXELS", 500)
    refused(client.post_image("/api/input", png_bytes((20, 30))), 400, "too large")
    still_serving(client)


def test_an_upload_over_8_mib_is_413_without_being_read(client):
    with socket.create_connection(("127.0.0.1", client.port), timeout=10) as connection:
        connection.sendall(
            f"POST /api/input?token={client.token} HTTP/1.1\r\nHost: 127.0.0.1:{client.port}\r\n"
            f"Content-Type: image/png\r\nContent-Length: {9 * 2**20}\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 413") and "at most 8,388,608" in json.loads(body)["error"]
    still_serving(client)


def test_a_post_without_content_length_is_refused(client):
    with socket.create_connection(("127.0.0.1", client.port), timeout=10) as connection:
        connection.sendall(
            f"POST /api/filter?token={client.token} HTTP/1.0\r\nHost: 127.0.0.1:{client.port}"
            "\r\nContent-Type: application/json\r\n\r\n".encode()
        )
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.0 411")
    still_serving(client)


def test_a_good_upload_after_the_bad_ones_sets_the_input(client):
    before = client.get("/api/prediction").json()["version"]
    assert client.post_image("/api/input", png_bytes()).json()["version"] == before + 1
