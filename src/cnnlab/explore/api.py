"""The explorer's endpoints: path -> function(session, query, body) -> JSON dict or PNG bytes.

API.md beside this file describes each one. A function raises ValueError (or TypeError)
for a bad parameter, which the server answers with 400 and the message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .._validation import received
from ..filters import FILTERS
from . import images, layers


@dataclass(frozen=True)
class Endpoint:
    function: Callable
    methods: tuple[str, ...] = ("GET",)


def integer(query: dict, name: str, default: int | None = None) -> int:
    """The query parameter ``name`` as an int."""
    text = query.get(name)
    if text is None or text == "":
        if default is not None:
            return default
        raise ValueError(f"The parameter `{name}` is missing. {received(**{name: None})}")
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"`{name}` must be an integer. {received(**{name: text})}") from None


def layer_name(query: dict, session) -> str:
    name = query.get("layer")
    if name is None:
        raise ValueError(f"The parameter `layer` is missing. {received(layer=None)}")
    session.row(name)
    return name


def model(session, query, body) -> dict:
    loaded = session.loaded
    return {
        "name": loaded.name,
        "input_shape": list(session.input_shape),
        "classes": list(loaded.classes),
        "drawable": session.drawable,
        "layers": layers.describe(session),
        "examples": [{"id": key, "label": e.label} for key, e in loaded.examples.items()],
        "filters": [*FILTERS, "gradient"],
    }


def set_input(session, query, body) -> dict:
    if isinstance(body, bytes):
        session.set_upload(body)
    elif "example" in body:
        session.set_example(str(body["example"]))
    elif "drawing" in body:
        session.set_drawing(body["drawing"])
    else:
        raise ValueError(
            'The input must be {"example": id}, {"drawing": rows} or an image file. '
            f"{received(keys=sorted(body))}"
        )
    return session.prediction()


def prediction(session, query, body) -> dict:
    return session.prediction()


def input_png(session, query, body) -> bytes:
    return session.cached(("input.png",), lambda: images.picture_png(session.image))


def layer(session, query, body) -> dict:
    return layers.maps_layout(session, layer_name(query, session))


def layer_maps(session, query, body) -> bytes:
    return layers.maps_png(session, layer_name(query, session))


def kernels(session, query, body) -> dict:
    return layers.kernels_layout(session, layer_name(query, session))


def kernels_png(session, query, body) -> bytes:
    return layers.kernels_png(session, layer_name(query, session))


ROUTES = {
    "/api/model": Endpoint(model),
    "/api/input": Endpoint(set_input, ("POST",)),
    "/api/prediction": Endpoint(prediction),
    "/api/input.png": Endpoint(input_png),
    "/api/layer": Endpoint(layer),
    "/api/layer/maps.png": Endpoint(layer_maps),
    "/api/layer/kernels": Endpoint(kernels),
    "/api/layer/kernels.png": Endpoint(kernels_png),
}
