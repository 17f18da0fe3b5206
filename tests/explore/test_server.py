"""The explorer's server on LeNet-5: each endpoint answers what the library computes."""

import io

import numpy as np
import pytest
from PIL import Image

from checks.explore_client import Client
from cnnlab.explore import explore


@pytest.fixture(scope="module")
def client():
    with explore("lenet5", open_browser=False) as explorer:
        yield Client(explorer)


def png_array(body: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(body)))


def test_model_lists_the_leaf_layers_with_their_summary(client):
    model = client.get("/api/model").json()
    assert model["input_shape"] == [1, 28, 28] and model["drawable"] is True
    first = model["layers"][0]
    assert (first["name"], first["kind"], first["output_shape"]) == ("0", "Conv2d", [1, 6, 28, 28])
    assert first["receptive_field"] == {"size": [5, 5], "jump": [1, 1], "start": [0.0, 0.0]}
    assert [layer["name"] for layer in model["layers"]] == [str(i) for i in range(12)]
    assert {"id": "pool6x6", "label": "the lecture's 6x6 pooling example"} in model["examples"]


def test_an_example_input_gives_a_sorted_prediction_and_a_new_version(client):
    before = client.get("/api/prediction").json()["version"]
    answer = client.post_json("/api/input", {"example": "picture"}).json()
    assert answer["version"] == before + 1
    probabilities = [p["probability"] for p in answer["prediction"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0)


def test_input_png_is_the_input_at_its_own_resolution(client):
    reply = client.get("/api/input.png")
    assert reply.kind == "image/png" and png_array(reply.body).shape == (28, 28)


def test_layer_maps_mosaic_follows_its_layout(client):
    client.post_json("/api/input", {"example": "picture"})
    layout = client.get("/api/layer?layer=0").json()
    pixels = png_array(client.get("/api/layer/maps.png?layer=0").body)
    h, w = layout["tile"]
    gap, columns = layout["gap"], layout["columns"]
    rows = -(-layout["channels"] // columns)
    assert pixels.shape == (rows * (h + gap) - gap, columns * (w + gap) - gap)
    assert layout["channels"] == 6 and (layout["height"], layout["width"]) == (28, 28)
