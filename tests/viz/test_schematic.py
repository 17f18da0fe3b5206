"""draw(): the classic diagram of a network, readable for small and deep models."""

import numpy as np
import pytest

from cnnlab.models import lenet5, small_vgg
from cnnlab.nn import Conv2d, Flatten, Linear, ReLU, Residual, Sequential
from cnnlab.viz import draw, schematic_figure


def labels(figure) -> list[str]:
    return [t.get_text() for axes in figure.axes for t in axes.texts]


def test_lenet5_svg_names_every_layer_kind_shape_and_window(tmp_path, svg_texts):
    path = tmp_path / "lenet.svg"
    texts = svg_texts(lambda p: draw(lenet5(rng=0), (1, 28, 28), p), path)
    for expected in ("conv", "max pool", "flatten", "dense", "+ ReLU", "5x5", "2x2"):
        assert expected in texts
    for shape in ("1@28x28", "6@28x28", "6@14x14", "16@10x10", "16@5x5", "400", "120", "84"):
        assert shape in texts
    assert path.stat().st_size > 10_000


def test_png_by_suffix_is_a_wide_picture_of_plausible_size(tmp_path, picture):
    image = picture(draw(small_vgg(rng=0), (3, 32, 32), tmp_path / "vgg.png"))
    height, width = image.shape[:2]
    assert 800 < width < 3000 and 200 < height < width
    assert image.std() > 0.05  # something is drawn


@pytest.mark.parametrize(
    "name", ["lenet5", "small_vgg", "deep"], ids=["lenet5", "small_vgg", "resnext_like"]
)
def test_no_two_labels_overlap_and_all_lie_inside(name, deep_figure, overlapping_labels):
    if name == "deep":
        figure = deep_figure
    else:
        model, shape = {
            "lenet5": (lenet5(rng=0), (1, 28, 28)),
            "small_vgg": (small_vgg(rng=0), (3, 32, 32)),
        }[name]
        figure = schematic_figure(model, shape, title=name)
    assert overlapping_labels(figure) == []
    renderer = figure.canvas.get_renderer()
    page = figure.bbox
    for axes in figure.axes:
        for text in axes.texts:
            box = text.get_window_extent(renderer)
            assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0
            assert box.y1 <= page.y1


def test_deep_network_collapses_identical_blocks_and_marks_cardinality(deep_net, deep_figure):
    texts = labels(deep_figure)
    residual_blocks = sum(isinstance(m, Residual) for m in deep_net.modules())
    drawn_blocks = [t for t in texts if t.startswith("residual block")]
    assert residual_blocks == 16 and len(drawn_blocks) == 8  # first of each stage, then x N
    assert {"residual block x 2", "residual block x 3", "residual block x 5"} <= {
        t.split("\n")[0] for t in drawn_blocks
    }
    assert any("groups=32" in t for t in texts)
    assert any(t == "skip: identity" for t in texts)
    assert any(t.startswith("skip: conv 1x1, 256, stride 2") for t in texts)


def test_repeated_plain_layers_collapse_into_one_arrow_with_a_count():
    rng = np.random.default_rng(0)
    model = Sequential(
        Conv2d(3, 8, 3, padding=1, rng=rng),
        *[layer for _ in range(3) for layer in (Conv2d(8, 8, 3, padding=1, rng=rng), ReLU())],
        Flatten(),
        Linear(8 * 8 * 8, 4, rng=rng),
    )
    texts = labels(schematic_figure(model, (3, 8, 8)))
    assert "conv x 3\n+ ReLU" in texts
    assert texts.count("8@8x8") == 2  # the first conv's output, then the repeated ones'


def test_a_narrow_page_wraps_the_diagram_onto_more_lines(deep_net, deep_figure):
    wide = schematic_figure(deep_net, (3, 32, 32), max_width=3000)
    narrow = deep_figure  # the default max_width, 1300 points
    (wide_w, wide_h), (narrow_w, narrow_h) = wide.get_size_inches(), narrow.get_size_inches()
    assert narrow_w <= 1300 / 72 + 0.01 < wide_w
    assert narrow_h > wide_h


def test_a_single_layer_is_drawn_from_input_to_output():
    texts = labels(schematic_figure(Conv2d(3, 8, 3, rng=0), (3, 16, 16)))
    assert "input\n3@16x16" in texts and "8@14x14\noutput" in texts and "3x3" in texts


def test_a_model_that_does_not_fit_the_input_shape_is_refused_naming_the_layer(tmp_path):
    with pytest.raises(ValueError, match="layer 7"):
        draw(lenet5(rng=0), (1, 32, 32), tmp_path / "bad.svg")
    assert not (tmp_path / "bad.svg").exists()


def test_max_width_must_be_positive():
    with pytest.raises(ValueError, match="`max_width` must be a positive number"):
        schematic_figure(lenet5(rng=0), (1, 28, 28), max_width=0)


def test_resnet18_plan_has_eight_residual_blocks_with_the_downsample_on_the_skip_path():
    from cnnlab.models import resnet18
    from cnnlab.viz._plan import plan

    _, steps = plan(resnet18(rng=0), (3, 64, 64))
    blocks = [step for step in steps if step.family == "block"]
    assert sum(step.repeat for step in blocks) == 8
    skips = [" + ".join(s.one_line() for s in step.shortcut) for step in blocks]
    assert skips == ["", "conv 1x1, 128, stride 2 + BN", ""] + [
        f"conv 1x1, {c}, stride 2 + BN" if i == 0 else "" for c in (256, 512) for i in (0, 1)
    ]
    assert all(step.after == ["ReLU"] and len(step.main) == 2 for step in blocks)
    # no 1x1 convolution lies on the chain itself, between two blocks
    assert [step.name for step in steps if step.family == "conv"] == ["conv"]


def test_resnet18_drawing_shows_a_skip_arc_per_drawn_block(tmp_path, svg_texts):
    from cnnlab.models import resnet18

    texts = svg_texts(lambda p: draw(resnet18(rng=0), (3, 64, 64), p), tmp_path / "r18.svg")
    arcs = [t for t in texts if t.startswith("skip: ")]
    assert len(arcs) == 7  # the first stage's two identical blocks are drawn once, "x 2"
    assert sum("conv 1x1" in arc for arc in arcs) == 3


def test_a_users_own_module_with_two_branches_is_drawn_as_a_block():
    from cnnlab.nn import Module, ops

    class TwoPaths(Module):
        def __init__(self):
            super().__init__()
            self.left = Conv2d(3, 4, 3, padding=1, rng=0)
            self.right = Conv2d(3, 4, 1, rng=1)
            self.flatten, self.fc = Flatten(), Linear(4 * 8 * 8, 2, rng=2)

        def forward(self, x):
            return self.fc(self.flatten(ops.add(self.left(x), self.right(x))))

    texts = labels(schematic_figure(TwoPaths(), (3, 8, 8)))
    assert "residual block" in texts
    assert "conv 3x3, 4" in texts and "skip: conv 1x1, 4" in texts


def test_squeezenet_fire_modules_are_drawn_as_concatenated_branches():
    from cnnlab.models import squeezenet1_1
    from cnnlab.viz._plan import plan

    _, steps = plan(squeezenet1_1(rng=0), (3, 64, 64))
    fires = [step for step in steps if step.branches]
    assert len(fires) == 8
    assert [[s.one_line() for s in b] for b in fires[0].branches] == [
        ["conv 1x1, 64 + ReLU"],
        ["conv 3x3, 64 + ReLU"],
    ]
