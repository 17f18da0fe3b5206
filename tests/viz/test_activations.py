"""activation_maps: every layer's output for one input, drawn so it can be read."""

import numpy as np
import pytest

from cnnlab.inspect import capture_activations
from cnnlab.models import lenet5
from cnnlab.viz import activation_maps, activation_maps_per_layer


def layers(seed=0, batch=1):
    rng = np.random.default_rng(seed)
    return {
        "conv": rng.normal(size=(batch, 6, 12, 12)),
        "spectrum": rng.normal(size=(batch, 16, 40)),
        "two lines": rng.normal(size=(batch, 2, 40)),
        "pooled": rng.random(size=(batch, 64, 1, 1)),
        "features": rng.normal(size=(batch, 300)),
    }


def test_every_kind_of_layer_is_drawn_into_one_tall_png(tmp_path, picture):
    image = picture(activation_maps(layers(), tmp_path / "maps.png", title="all kinds"))
    height, width = image.shape[:2]
    assert width > 600 and height > 5 * 150  # one section per layer, one above the other
    assert image.std() > 0.05


def test_channels_beyond_the_cap_are_left_out_and_the_title_says_so(tmp_path, svg_texts):
    maps = {"wide": np.random.default_rng(0).normal(size=(1, 64, 6, 6))}
    texts = svg_texts(lambda p: activation_maps(maps, p, max_channels=16), tmp_path / "a.svg")
    assert any("first 16 of 64 channels" in t for t in texts)
    assert not any(
        "of 64 channels" in t
        for t in svg_texts(lambda p: activation_maps(maps, p, max_channels=64), tmp_path / "b.svg")
    )


def test_sample_draws_that_item_of_the_batch(tmp_path, picture):
    rng = np.random.default_rng(0)
    batch = {"conv": rng.normal(size=(3, 2, 6, 6)), "logits": rng.normal(size=(3, 4))}
    second = {name: value[1:2] for name, value in batch.items()}
    drawn = picture(activation_maps(batch, tmp_path / "batch.png", sample=1))
    alone = picture(activation_maps(second, tmp_path / "alone.png"))
    first = picture(activation_maps(batch, tmp_path / "first.png", sample=0))
    np.testing.assert_array_equal(drawn, alone)
    assert drawn.shape != first.shape or not np.array_equal(drawn, first)


def test_per_layer_writes_one_figure_per_layer_in_order(tmp_path, picture):
    x = np.random.default_rng(0).random((1, 1, 28, 28), dtype=np.float32)
    maps = dict(list(capture_activations(lenet5(rng=0), x).items())[3:7])
    paths = activation_maps_per_layer(maps, tmp_path / "maps")
    assert [p.name for p in paths] == [f"{i:02d}_{name}.png" for i, name in enumerate(maps)]
    assert all(picture(p).shape[0] > 100 for p in paths)


def test_layer_names_are_made_safe_for_file_names(tmp_path):
    paths = activation_maps_per_layer({"block/1 conv": np.ones((1, 3))}, tmp_path)
    assert paths[0].name == "00_block_1_conv.png" and paths[0].parent == tmp_path


def test_refuses_what_is_not_a_mapping_of_arrays(tmp_path):
    with pytest.raises(TypeError, match="`activations` must be a mapping of layer name to array"):
        activation_maps([np.ones((1, 3))], tmp_path / "a.png")
    with pytest.raises(ValueError, match="`activations` must not be empty"):
        activation_maps({}, tmp_path / "a.png")
    with pytest.raises(ValueError, match=r"`activations\['x'\]` must have 2 or 3 or 4 dim"):
        activation_maps({"x": np.ones((1, 1, 1, 2, 2))}, tmp_path / "a.png")


def test_sample_outside_the_batch_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"`sample` must be an index into the batch of layer"):
        activation_maps({"conv": np.ones((2, 3, 4, 4))}, tmp_path / "a.png", sample=2)
