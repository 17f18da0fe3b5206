"""The explorer's page in a real browser: what a student clicks, and what must then be shown.

Each test opens the page of one server (a LeNet-5 trained for seconds on shapes), acts as a user
does (clicks, draws with the mouse, uploads, drops a file) and compares what the page
shows with what cnnlab computes directly: the receptive field of `summary`, the numbers
of `cnnlab.filters`, the lecture's pooling example.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import cnnlab
from cnnlab import filters
from cnnlab.inspect import summary
from cnnlab.jobs import train_classifier
from cnnlab.tour.training import split

DOCS = Path(__file__).resolve().parents[2] / "docs"
INPUT_SHAPE = (1, 28, 28)


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    """The page of a LeNet-5 trained for about three seconds on the demo's shapes (96 %)."""
    folder = tmp_path_factory.mktemp("explore")
    train, test = split(3000, seed=0)
    train_classifier((train, test), model="lenet5", epochs=3, lr=3e-3, out=folder / "shapes",
                     quiet=True)  # fmt: skip
    home = Path.cwd()
    os.chdir(folder)  # so that the page names the model "lenet5 from shapes/model.safetensors"
    try:
        server = cnnlab.explore("shapes/model.safetensors", open_browser=False)
    finally:
        os.chdir(home)
    with server:
        yield server


def open_page(page, explorer) -> None:
    """Load the explorer's page and wait until its first input is shown."""
    page.goto(explorer.url)
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    settle(page)


def settle(page) -> None:
    """Wait until the page has no request, image load or drawing under way."""
    page.wait_for_timeout(30)  # let the event just dispatched start its requests
    page.wait_for_function("window.explore && window.explore.idle()", timeout=15_000)


def screenshot(page, name: str, selector: str | None = None, full_page: bool = False) -> None:
    """``docs/explore_<name>.png`` of the page or of one element, when CNNLAB_SCREENSHOTS=1."""
    if os.environ.get("CNNLAB_SCREENSHOTS") != "1":
        return
    path = str(DOCS / f"explore_{name}.png")
    if selector is None:
        page.screenshot(path=path, full_page=full_page)
    else:
        page.locator(selector).screenshot(path=path)


def shown_state(page, key: str):
    return page.evaluate(f"window.explore.state.{key}")


def probabilities(page) -> dict[str, float]:
    return page.eval_on_selector_all(
        "#prediction li",
        "items => Object.fromEntries(items.map(li => [li.dataset.class, +li.dataset.probability]))",
    )


def table_values(page, selector: str) -> list[list[float | None]]:
    return page.eval_on_selector(
        selector,
        """table => [...table.rows].map(row => [...row.cells].map(
               cell => cell.dataset.value === undefined ? null : Number(cell.dataset.value)))""",
    )


def png_bytes(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def a_bar_picture() -> np.ndarray:
    """28x28 grey: a bright vertical bar on black, left of centre."""
    picture = np.zeros((28, 28), np.uint8)
    picture[4:24, 6:10] = 255
    return picture


def test_the_page_loads_with_the_network_and_a_prediction_and_no_console_error(page, explorer):
    open_page(page, explorer)
    assert "lenet5 from shapes/model.safetensors" in page.inner_text("#model-name")
    assert page.eval_on_selector("#schematic", "img => img.naturalWidth") > 0
    drawn = page.eval_on_selector_all(".region", "boxes => boxes.map(b => b.dataset.layer)")
    assert drawn[:2] == ["1", "2"]  # conv 0 + ReLU 1 drawn as one step, then max pooling 2
    assert set(probabilities(page)) == {"circle", "square", "triangle", "cross", "ring"}
    assert sum(probabilities(page).values()) == pytest.approx(1.0, abs=1e-6)
    page.hover('.region[data-layer="1"]')
    tooltip = page.inner_text("#tooltip")
    assert "Conv2d" in tooltip and "156" in tooltip and "ReLU" in tooltip  # 6 * (5*5 + 1)
    assert page.errors == []


def test_clicking_a_layer_of_the_schematic_shows_its_activation_maps(page, explorer):
    open_page(page, explorer)
    page.click('.region[data-layer="4"]')  # the second conv + ReLU
    settle(page)
    assert page.is_visible("#maps")
    assert "Layer 4" in page.inner_text("#layer-title")
    layout = shown_state(page, "mapsLayout")
    assert (layout["channels"], layout["height"], layout["width"]) == (16, 10, 10)
    size = page.eval_on_selector("#maps", "img => [img.naturalWidth, img.naturalHeight]")
    rows = -(-layout["channels"] // layout["columns"])
    tile_h, tile_w = layout["tile"]
    assert size[0] >= layout["columns"] * tile_w and size[1] >= rows * tile_h
    assert page.is_visible("#kernels")  # the step's convolution shows its kernels too
    assert "Kernels of layer 3: 16 × 6 of 5×5" in page.inner_text("#kernels-title")
    assert page.errors == []


def click_unit(page, channel: int, i: int, j: int) -> None:
    """Click the middle of unit (channel, i, j) on the shown mosaic of maps."""
    layout = shown_state(page, "mapsLayout")
    tile_h, tile_w = layout["tile"]
    row, column = divmod(channel, layout["columns"])
    y = row * (tile_h + layout["gap"]) + (i + 0.5) * tile_h / layout["height"]
    x = column * (tile_w + layout["gap"]) + (j + 0.5) * tile_w / layout["width"]
    zoom = page.eval_on_selector(
        "#maps", "img => [img.clientWidth / img.naturalWidth, img.clientHeight / img.naturalHeight]"
    )
    page.click("#maps", position={"x": x * zoom[0], "y": y * zoom[1]})
    settle(page)


def test_clicking_a_unit_outlines_the_receptive_field_that_summary_gives(page, explorer):
    rows = {row.name: row for row in summary(explorer.session.model, INPUT_SHAPE).rows}
    open_page(page, explorer)
    page.click('.region[data-layer="5"]')  # the second max pooling: 16 maps of 5x5
    settle(page)
    values = np.array(shown_state(page, "mapsLayout")["values"])  # (16, 5, 5)
    brightest = np.unravel_index(values.argmax(), values.shape)
    for channel, i, j in [(2, 3, 1), (15, 0, 4), tuple(int(k) for k in brightest)]:
        click_unit(page, channel, i, j)
        unit = page.eval_on_selector("#unit-name", "e => ({...e.dataset})")
        assert unit == {"channel": str(channel), "row": str(i), "col": str(j)}
        box = page.eval_on_selector("#field-analytic", "e => ({...e.dataset})")
        (top, bottom), (left, right) = rows["5"].receptive_field.interval((i, j))
        assert {k: int(v) for k, v in box.items()} == {
            "top": top,
            "left": left,
            "bottom": bottom,
            "right": right,
        }
    # the box is drawn: its bottom edge is the accent colour on the grey input
    zoom = int(page.eval_on_selector("#field-analytic-canvas", "c => c.dataset.zoom"))
    middle = (max(left, 0) + min(right, 27) + 1) * zoom // 2
    pixel = page.eval_on_selector(
        "#field-analytic-canvas",
        "(c, [x, y]) => [...c.getContext('2d').getImageData(x, y, 1, 1).data]",
        [middle, (bottom + 1) * zoom - 1],
    )
    assert pixel[:3] == [255, 122, 26]
    # the brightest unit is switched on: its input gradient is nonzero inside its field
    gradient = page.eval_on_selector("#field-gradient", "e => ({...e.dataset})")
    assert max(top, 0) <= int(gradient["top"]) <= int(gradient["bottom"]) <= min(bottom, 27)
    assert max(left, 0) <= int(gradient["left"]) <= int(gradient["right"]) <= min(right, 27)
    with page.expect_download() as download:  # both pictures as one PNG
        page.click("#save-field")
    assert download.value.suggested_filename == "receptive_field.png"
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "layer", full_page=True)
    assert page.errors == []


def stroke(page, start, end, pause_ms: int = 0) -> None:
    """Draw a line on the pad from ``start`` to ``end`` (pad pixels of 280x280), slowly."""
    pad = page.locator("#pad").bounding_box()
    page.mouse.move(pad["x"] + start[0], pad["y"] + start[1])
    page.mouse.down()
    for k in range(1, 9):
        x = start[0] + (end[0] - start[0]) * k / 8
        y = start[1] + (end[1] - start[1]) * k / 8
        page.mouse.move(pad["x"] + x, pad["y"] + y, steps=2)
        page.wait_for_timeout(pause_ms)


def test_drawing_a_cross_with_the_mouse_updates_the_prediction_while_drawing(page, explorer):
    open_page(page, explorer)
    page.select_option("#examples", "test-2")  # a circle
    settle(page)
    assert page.get_attribute("#prediction li:first-child", "data-class") == "circle"
    version = shown_state(page, "version")
    stroke(page, (140, 50), (140, 230), pause_ms=60)  # slowly: the page sends as the pen moves
    # the prediction follows before the stroke ends (the button is still down)
    page.wait_for_function(f"window.explore.state.version > {version}", timeout=5_000)
    during = shown_state(page, "version")
    page.mouse.up()
    settle(page)
    assert shown_state(page, "version") > during  # and once more at its end
    stroke(page, (50, 140), (230, 140))
    page.mouse.up()
    settle(page)
    assert page.get_attribute("#prediction li:first-child", "data-class") == "cross"
    # the model sees the drawing: bright ink along the middle row and column, dark paper
    image = explorer.session.image[0]
    assert image[5:23, 13:15].min() > 0.5 and image[13:15, 5:23].min() > 0.5
    assert image[:4, :4].max() == 0.0
    screenshot(page, "drawing", "#input-panel")
    assert page.errors == []


def shown_pixels(page, selector: str) -> np.ndarray:
    """The grey values of an <img> of the page, at its own resolution."""
    values = page.eval_on_selector(
        selector,
        """img => {
            const canvas = document.createElement("canvas");
            canvas.width = img.naturalWidth;
            canvas.height = img.naturalHeight;
            const context = canvas.getContext("2d");
            context.drawImage(img, 0, 0);
            const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
            return [canvas.height, canvas.width, Array.from(rgba)];
        }""",
    )
    height, width, rgba = values
    return np.array(rgba, dtype=np.float64).reshape(height, width, 4)[..., 0]


def drop_file(page, data: bytes, name: str) -> None:
    """Drop a file on the drop zone, as a drag from the desktop does."""
    page.evaluate(
        """([bytes, name]) => {
            const file = new File([new Uint8Array(bytes)], name, {type: "image/png"});
            const data = new DataTransfer();
            data.items.add(file);
            const drop = new DragEvent("drop", {dataTransfer: data, cancelable: true});
            document.querySelector("#drop-zone").dispatchEvent(drop);
        }""",
        [list(data), name],
    )


def test_an_uploaded_image_becomes_the_input_and_its_maps_are_shown(page, explorer):
    open_page(page, explorer)
    page.click('.chip[data-layer="0"]')  # the first convolution, before its ReLU
    settle(page)
    picture = a_bar_picture()
    upload = {"name": "bar.png", "mimeType": "image/png", "buffer": png_bytes(picture)}
    page.set_input_files("#upload", files=[upload])
    settle(page)
    np.testing.assert_allclose(explorer.session.image[0], picture / 255, atol=1 / 255)
    # the first map shown is the first convolution of that picture, grey from min to max
    session = explorer.session
    x = session.loaded.normalize((picture / 255).astype(np.float32)[None, None])
    expected = session.model[0](x)[0, 0]
    layout = shown_state(page, "mapsLayout")
    grey = (expected - layout["min"]) / (layout["max"] - layout["min"]) * 255
    np.testing.assert_allclose(shown_pixels(page, "#maps")[:28, :28], grey, atol=2.5)
    # the same picture, negated and dropped on the drop zone, becomes the input as well
    version = shown_state(page, "version")
    drop_file(page, png_bytes(255 - picture), "dropped.png")
    settle(page)
    assert shown_state(page, "version") > version
    np.testing.assert_allclose(explorer.session.image[0], 1 - picture / 255, atol=1 / 255)
    assert page.errors == []


def test_a_file_that_is_no_image_gets_the_servers_message_and_the_page_goes_on(page, explorer):
    open_page(page, explorer)
    before = probabilities(page)
    upload = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a picture"}
    page.set_input_files("#upload", files=[upload])
    settle(page)
    assert page.eval_on_selector("#status", "s => s.classList.contains('error')")
    assert page.inner_text("#status")  # the server's words, e.g. "... not an image ..."
    assert probabilities(page) == before
    page.select_option("#examples", "test-4")
    settle(page)
    assert page.get_attribute("#prediction li:first-child", "data-class") == "cross"
    assert all("status of 4" in error for error in page.errors)  # only the refused upload


def filter_numbers(page) -> np.ndarray:
    return np.array(table_values(page, "#filter-numbers"), dtype=np.float64)


def test_the_filter_playground_gives_the_numbers_of_cnnlab_filters(page, explorer):
    open_page(page, explorer)
    page.select_option("#examples", "picture")
    settle(page)
    page.click('[data-tab="filters"]')
    settle(page)
    image = explorer.session.image[0].astype(np.float64)
    page.select_option("#filter-name", "prewitt_x")
    settle(page)
    np.testing.assert_allclose(filter_numbers(page), filters.apply(image, "prewitt_x"), atol=1e-4)
    page.select_option("#filter-name", "median")
    settle(page)
    np.testing.assert_allclose(filter_numbers(page), filters.median(image, size=3), atol=1e-4)
    page.select_option("#filter-name", "custom3")
    settle(page)
    kernel = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    cells = page.locator("#kernel-grid input")
    for k, value in enumerate(np.ravel(kernel)):
        cells.nth(k).fill(str(value))
    cells.nth(8).dispatch_event("change")
    settle(page)
    expected = filters.convolve(image, np.array(kernel, np.float64))
    np.testing.assert_allclose(filter_numbers(page), expected, atol=1e-4)
    screenshot(page, "filters", "#inside")
    assert page.errors == []


def test_the_pooling_tab_shows_the_lecture_example_window_by_window(page, explorer):
    open_page(page, explorer)
    page.click('[data-tab="pooling"]')
    page.click("#pool-example")
    settle(page)
    page.click("#pool-step")
    chosen = page.eval_on_selector_all(
        "#pool-input td.chosen", "tds => tds.map(td => td.innerText)"
    )
    assert chosen == ["1"]  # the first window [[1, 0], [0, 1]]: its maximum 1
    assert table_values(page, "#pool-output")[0] == [1, None, None]
    page.click("#pool-step")
    page.click("#pool-step")
    screenshot(page, "pooling", "#inside")
    page.click("#pool-end")
    assert table_values(page, "#pool-output") == [[1, 6, 6], [3, 3, 1], [1, 1, 1]]
    with page.expect_download() as download:  # both tables, as shown, in one PNG
        page.click("#save-pooling")
    picture = Image.open(download.value.path())
    assert picture.size == (6 * 34 + 24 + 3 * 34 + 2, 6 * 34 + 2)
    # on a real map: the first max pooling's channel 1, its top-left 16x16 corner in 8x8
    page.select_option("#pool-layer", "2")
    page.fill("#pool-channel", "1")
    page.press("#pool-channel", "Enter")
    settle(page)
    page.click("#pool-end")
    shown = np.array(table_values(page, "#pool-output"))
    assert shown.shape == (8, 8)
    np.testing.assert_allclose(shown, explorer.session.outputs["2"][0, 1, :8, :8], rtol=1e-6)
    assert page.errors == []


def test_gradcam_follows_the_predicted_class_or_the_chosen_one(page, explorer):
    open_page(page, explorer)
    page.select_option("#examples", "test-4")  # a cross
    settle(page)
    page.click('[data-tab="gradcam"]')
    settle(page)
    assert page.get_attribute("#prediction li:first-child", "data-class") == "cross"
    assert page.get_attribute("#cam-info", "data-target") == "3"  # cross
    assert page.eval_on_selector("#cam-heat", "img => img.naturalWidth") == 28
    screenshot(page, "gradcam", "#inside")
    page.select_option("#cam-class", "0")  # circle
    settle(page)
    assert page.get_attribute("#cam-info", "data-target") == "0"
    assert "circle" in page.inner_text("#cam-info")
    assert page.errors == []
