"""The explorer's endpoints: path -> function(session, query, body) -> JSON dict or PNG bytes.

API.md beside this file describes each one. A function raises ValueError (or TypeError)
for a bad parameter, which the server answers with 400 and the message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .._validation import received
from ..filters import FILTERS
from ..inspect import grad_cam
from . import fields, images, layers


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
    image = session.image.reshape(layers.planes(session.input_shape))
    return session.cached(("input.png",), lambda: images.picture_png(image))


def layer(session, query, body) -> dict:
    return layers.maps_layout(session, layer_name(query, session))


def layer_maps(session, query, body) -> bytes:
    return layers.maps_png(session, layer_name(query, session))


def kernels(session, query, body) -> dict:
    return layers.kernels_layout(session, layer_name(query, session))


def kernels_png(session, query, body) -> bytes:
    return layers.kernels_png(session, layer_name(query, session))


def schematic(session, query, body) -> dict:
    return layers.schematic(session)[0]


def schematic_png(session, query, body) -> bytes:
    return layers.schematic(session)[1]


def _unit(query: dict, session) -> tuple:
    name = layer_name(query, session)
    return name, integer(query, "channel", 0), integer(query, "row", 0), integer(query, "col", 0)


def field(session, query, body) -> dict:
    return fields.field(session, *_unit(query, session))


def field_gradient_png(session, query, body) -> bytes:
    return fields.gradient_png(session, *_unit(query, session))


def pooling(session, query, body) -> dict:
    if "example" in query:
        return fields.pooling(session, None, 0, query["example"])
    return fields.pooling(session, layer_name(query, session), integer(query, "channel", 0), None)


def _target(query: dict, session) -> int:
    classes = session.output.shape[-1]
    target = integer(query, "target", int(session.output[0].argmax()))
    if not 0 <= target < classes:
        raise ValueError(f"`target` must be a class index in 0..{classes - 1}. "
                         f"{received(target=target)}")  # fmt: skip
    return target


def _cam(session, query):
    name, target = layer_name(query, session), _target(query, session)
    if not session.output_of(name).ndim == 4:
        raise ValueError(f"Grad-CAM needs a layer with maps (N, C, H, W); '{name}' has none. "
                         f"{received(layer=name)}")  # fmt: skip
    cam = session.cached(("gradcam", name, target),
                         lambda: grad_cam(session.model, session.x, name, target)[0])  # fmt: skip
    return target, cam


def gradcam(session, query, body) -> dict:
    target, cam = _cam(session, query)
    return {"target": target, "class": session.class_name(target), "max": float(cam.max())}


def gradcam_png(session, query, body) -> bytes:
    return images.heat_png(_cam(session, query)[1])


def apply_filter(session, query, body) -> dict:
    if not isinstance(body, dict):
        raise ValueError('The filter is sent as JSON: {"name": ...} or {"kernel": [[...]]}.')
    with session.lock:
        return session.playground.run(session.image[0], body)


def filter_png(session, query, body) -> bytes:
    return session.playground.picture


ROUTES = {
    "/api/model": Endpoint(model),
    "/api/input": Endpoint(set_input, ("POST",)),
    "/api/schematic": Endpoint(schematic),
    "/api/schematic.png": Endpoint(schematic_png),
    "/api/prediction": Endpoint(prediction),
    "/api/input.png": Endpoint(input_png),
    "/api/layer": Endpoint(layer),
    "/api/layer/maps.png": Endpoint(layer_maps),
    "/api/layer/kernels": Endpoint(kernels),
    "/api/layer/kernels.png": Endpoint(kernels_png),
    "/api/field": Endpoint(field),
    "/api/field/gradient.png": Endpoint(field_gradient_png),
    "/api/pooling": Endpoint(pooling),
    "/api/gradcam": Endpoint(gradcam),
    "/api/gradcam.png": Endpoint(gradcam_png),
    "/api/filter": Endpoint(apply_filter, ("POST",)),
    "/api/filter.png": Endpoint(filter_png),
}
