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


def test_maps_png_shows_the_layer_output_scaled_to_its_range(client):
    client.post_json("/api/input", {"example": "picture"})
    layout = client.get("/api/layer?layer=3").json()
    pixels = png_array(client.get("/api/layer/maps.png?layer=3").body)  # palette indices
    output = client.explorer.session.outputs["3"][0]  # (16, 10, 10)
    h, w = layout["tile"]
    c = 7
    row, col = divmod(c, layout["columns"])
    tile = pixels[row * (h + 1) : row * (h + 1) + h, col * (w + 1) : col * (w + 1) + w]
    low, high = output.min(), output.max()
    assert (layout["min"], layout["max"]) == pytest.approx((low, high))
    np.testing.assert_allclose(tile, np.round((output[c] - low) / (high - low) * 254), atol=1)
    assert pixels[h, 0] == 255  # a gap


def test_a_dense_layer_is_one_row_of_values(client):
    layout = client.get("/api/layer?layer=9").json()
    assert (layout["channels"], layout["height"], layout["width"]) == (84, 1, 1)
    assert layout["columns"] == 84 and layout["tile"] == [1, 1]
    assert png_array(client.get("/api/layer/maps.png?layer=9").body).shape == (1, 84 * 2 - 1)


def test_kernels_mosaic_holds_every_conv_weight(client):
    layout = client.get("/api/layer/kernels?layer=3").json()
    weight = client.explorer.session.modules["3"].weight.data
    assert (layout["rows"], layout["columns"], layout["tile"]) == (16, 6, [5, 5])
    np.testing.assert_allclose(layout["values"], weight, rtol=1e-6)
    pixels = png_array(client.get("/api/layer/kernels.png?layer=3").body)
    assert pixels.shape == (16 * 6 - 1, 6 * 6 - 1)


@pytest.mark.parametrize(
    ("layer", "unit"), [("0", (2, 0, 0)), ("2", (1, 13, 13)), ("3", (5, 4, 7)), ("5", (3, 2, 2))]
)
def test_the_analytic_field_is_summarys_interval(client, layer, unit):
    from cnnlab.inspect import summary

    channel, row, col = unit
    field = client.get(f"/api/field?layer={layer}&channel={channel}&row={row}&col={col}").json()
    rows = {r.name: r for r in summary(client.explorer.session.model, (1, 28, 28)).rows}
    (top, bottom), (left, right) = rows[layer].receptive_field.interval((row, col))
    assert field["analytic"] == {"top": top, "left": left, "bottom": bottom, "right": right}
    clipped = field["clipped"]
    assert (clipped["top"], clipped["bottom"]) == (max(top, 0), min(bottom, 27))
    assert field["empirical"] == clipped  # the measured field of a conv/pool chain
    gradient = field["gradient"]
    if gradient is not None:  # inside the field, on the current input
        assert clipped["top"] <= gradient["top"] <= gradient["bottom"] <= clipped["bottom"]


def test_the_field_gradient_png_is_the_units_input_gradient(client):
    client.post_json("/api/input", {"example": "picture"})
    field = client.get("/api/field?layer=3&channel=0&row=5&col=5").json()
    pixels = png_array(client.get("/api/field/gradient.png?layer=3&channel=0&row=5&col=5").body)
    assert pixels.shape == (28, 28)
    rows, cols = np.nonzero(pixels)
    box = field["gradient"]
    assert rows.min() >= box["top"] and rows.max() <= box["bottom"]
    assert cols.min() >= box["left"] and cols.max() <= box["right"]


def test_the_lectures_pooling_example(client):
    answer = client.get("/api/pooling?example=pool6x6").json()
    assert answer["output"] == [[1, 6, 6], [3, 3, 1], [1, 1, 1]]
    assert answer["kind"] == "max" and answer["kernel"] == [2, 2] and len(answer["windows"]) == 9
    window = answer["windows"][1]
    assert window["out"] == [0, 1] and window["argmax"] == [1, 2]  # the 6
    assert (window["top"], window["left"], window["bottom"], window["right"]) == (0, 2, 1, 3)


def test_pooling_on_a_real_map_is_cropped_to_16x16(client):
    answer = client.get("/api/pooling?layer=2&channel=1").json()
    session = client.explorer.session
    plane, output = session.inputs["2"][0, 1], session.outputs["2"][0, 1]
    np.testing.assert_allclose(answer["input"], plane[:16, :16])
    np.testing.assert_allclose(answer["output"], output[:8, :8])
    for window in answer["windows"]:
        i, j = window["out"]
        r, c = window["argmax"]
        assert plane[r, c] == output[i, j]


def test_gradcam_is_inspects_grad_cam(client):
    from cnnlab.inspect import grad_cam

    session = client.explorer.session
    answer = client.get("/api/gradcam?layer=4&target=3").json()
    cam = grad_cam(session.model, session.x, "4", 3)[0]
    assert answer["target"] == 3 and answer["max"] == pytest.approx(float(cam.max()), rel=1e-5)
    default = client.get("/api/gradcam?layer=4").json()["target"]
    assert default == client.get("/api/prediction").json()["prediction"][0]["index"]
    assert png_array(client.get("/api/gradcam.png?layer=4").body).shape == (28, 28, 3)


@pytest.mark.parametrize(
    "request_",
    [{"name": "prewitt_x"}, {"name": "mean"}, {"name": "median", "size": 3},
     {"name": "gaussian", "sigma": 1.5}, {"kernel": [[1, 0, -1]] * 3},
     {"kernel": np.arange(25.0).reshape(5, 5).tolist()}, {"name": "gradient"}],
)  # fmt: skip
def test_the_filter_playground_gives_cnnlab_filters_numbers(client, request_):
    from cnnlab import filters

    client.post_json("/api/input", {"example": "picture"})
    answer = client.post_json("/api/filter", request_).json()
    image = client.explorer.session.image[0]
    if "kernel" in request_:
        expected = filters.convolve(image, np.array(request_["kernel"]), mode="reflect")
    elif request_["name"] == "gradient":
        gradient = filters.gradient(image)
        np.testing.assert_allclose(answer["angle"], gradient.angle, rtol=1e-6)
        expected = gradient.magnitude
    else:
        params = {k: v for k, v in request_.items() if k != "name"}
        expected = filters.apply(image, request_["name"], **params)
    assert answer["mode"] == "reflect" and answer["shape"] == [28, 28]
    np.testing.assert_allclose(answer["values"], expected, rtol=1e-6, atol=1e-7)
    picture = client.get(f"/api/filter.png?v={answer['version']}")
    assert png_array(picture.body).shape == (28, 28)


def test_drawing_sets_the_input_in_the_models_polarity(client):
    drawing = np.zeros((28, 28))
    drawing[10:18, 5:23] = 1.0
    answer = client.post_json("/api/input", {"drawing": drawing.tolist()}).json()
    np.testing.assert_array_equal(client.explorer.session.image[0], drawing)  # bright ink
    assert answer["input_shape"] == [1, 28, 28]
    small = client.post_json("/api/input", {"drawing": [[0.0, 1.0], [1.0, 0.0]]})
    assert small.status == 200 and client.explorer.session.image.shape == (1, 28, 28)


def test_an_uploaded_colour_image_becomes_the_models_grey_input(client):
    colour = np.zeros((40, 60, 3), np.uint8)
    colour[:, 30:] = 255
    buffer = io.BytesIO()
    Image.fromarray(colour).save(buffer, format="JPEG")
    answer = client.post_image("/api/input", buffer.getvalue(), "image/jpeg").json()
    image = client.explorer.session.image
    assert image.shape == (1, 28, 28) and answer["input_shape"] == [1, 28, 28]
    assert image[0, :, :10].max() < 0.1 and image[0, :, -10:].min() > 0.9


def test_schematic_regions_name_the_layers_drawn_in_each_box(client):
    layout = client.get("/api/schematic").json()
    picture = png_array(client.get("/api/schematic.png").body)
    assert picture.shape[:2] == (layout["height"], layout["width"])
    regions = layout["regions"]
    assert [r["layers"] for r in regions[:2]] == [["0", "1"], ["2"]]
    assert [r["layer"] for r in regions] == ["1", "2", "4", "5", "6", "8", "10", "11"]
    lefts = [r["x0"] for r in regions]
    assert lefts == sorted(lefts) and all(r["x1"] <= layout["width"] for r in regions)
    for region in regions:  # inside the picture, and not white there
        box = picture[
            round(region["y0"]) : round(region["y1"]), round(region["x0"]) : round(region["x1"])
        ]
        assert box.size and box[..., :3].min() < 200
