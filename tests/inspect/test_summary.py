"""summary(): the table, its totals and exports, and what happens when shapes do not fit."""

import csv
import io
import json

import numpy as np
import pytest
from rich.console import Console

from cnnlab import nn
from cnnlab.inspect import summary
from cnnlab.models import lenet5


def residual_net():
    main = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1, bias=False, rng=0), nn.BatchNorm2d(4))
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, rng=0), nn.Residual(main), nn.ReLU())


def test_rows_follow_named_modules_with_depth_and_leaves():
    s = summary(residual_net(), (1, 8, 8))
    assert [(r.name, r.kind, r.depth, r.is_leaf) for r in s.rows] == [
        ("0", "Conv2d", 0, True),
        ("1", "Residual", 0, False),
        ("1.main", "Sequential", 1, False),
        ("1.main.0", "Conv2d", 2, True),
        ("1.main.1", "BatchNorm2d", 2, True),
        ("2", "ReLU", 0, True),
    ]
    assert s.rows[1].params == 4 * 4 * 9 + 2 * 4 and s.rows[1].macs == 0


def test_nested_containers_are_indented_in_the_table():
    lines = str(summary(residual_net(), (1, 8, 8))).splitlines()
    assert any(
        line.startswith("    1.main.0 Conv2d(4 -> 4, k=3, p=1, bias=False)") for line in lines
    )
    assert any(line.startswith("  1.main Sequential ") for line in lines)


def test_batch_norm_statistics_are_buffers_not_parameters():
    s = summary(residual_net(), (1, 8, 8))
    assert s.rows[4].params == 8  # weight and bias; running mean and var are not counted
    assert s.total_params == s.trainable_params == 40 + 36 * 4 + 8
    assert "Non-trainable" not in str(s)


def test_totals_are_printed_under_the_table():
    text = str(summary(lenet5(rng=0), (1, 28, 28)))
    assert "Total params: 61,706" in text and "Trainable params: 61,706" in text
    assert "Total MACs: 416,520" in text and "Activation memory:" in text


def test_macs_scale_with_the_batch():
    one, four = (summary(lenet5(rng=0), (1, 28, 28), batch_size=b) for b in (1, 4))
    assert four.total_macs == 4 * one.total_macs and four.rows[0].output_shape[0] == 4


def test_summary_leaves_the_model_as_it_was():
    model = residual_net()
    bn = model[1].main[1]
    bn.running_mean[:] = 0.5
    summary(model, (1, 8, 8))
    assert model.training and bn.training and np.all(bn.running_mean == 0.5)
    assert bn.num_batches_tracked == 0
    assert all("forward" not in vars(m) for m in model.modules())


def test_a_layer_that_does_not_fit_stops_the_rows_and_says_why():
    s = summary(lenet5(rng=0), (1, 32, 32))
    assert [row.name for row in s.rows] == [str(i) for i in range(7)]
    assert s.error == (
        "layer 7 Linear(400 -> 120): expected 400 input features. "
        "Received: input with shape (1, 576) and dtype float32."
    )
    assert f"Error: {s.error}" in str(s)
    assert all("forward" not in vars(m) for m in lenet5(rng=0).modules())


def test_strict_raises_the_layer_error():
    model = lenet5(rng=0)
    with pytest.raises(
        ValueError,
        match=r"layer 7 \(Linear\(400 -> 120\)\) in Sequential: "
        r"expected 400 input features",
    ):
        summary(model, (1, 32, 32), strict=True)
    assert all("forward" not in vars(m) for m in model.modules())


def test_a_failing_first_layer_gives_no_rows():
    s = summary(lenet5(rng=0), (3, 28, 28))
    assert s.rows == [] and s.error.startswith("layer 0 Conv2d(1 -> 6, kernel_size=5, padding=2)")


def test_a_single_layer_is_its_own_row():
    s = summary(nn.Conv1d(2, 3, 5, rng=0), (2, 20))
    assert [(r.name, r.kind, r.depth, r.output_shape) for r in s.rows] == [
        ("", "Conv1d", 0, (1, 3, 16))
    ]


def test_spacing_gives_field_and_jump_in_units():
    s = summary(lenet5(rng=0), (1, 28, 28), spacing=(0.1, "nm"))
    headers = s.headers()
    assert headers[-2:] == ["RF size (nm)", "Jump (nm)"]
    row = s.cells()[5]  # second pool: 16 samples, jump 4
    assert row[-2:] == ["1.6", "0.4"]
    per_axis = summary(nn.Sequential(nn.MaxPool2d(2)), (1, 4, 4), spacing=(0.5, 0.25))
    assert per_axis.cells()[0][-2:] == ["1x0.5", "1x0.5"]


@pytest.mark.parametrize("spacing", [0, (0.1, 0.2, 0.3), "nm", (0.1, 0.2, "nm"), -1.0])
def test_bad_spacing_is_refused(spacing):
    with pytest.raises(
        ValueError,
        match=r"`spacing` must be a positive number, or one per "
        r"spatial axis \(2 here\), optionally with a unit",
    ):
        summary(lenet5(rng=0), (1, 28, 28), spacing=spacing)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"`input_shape` must be a tuple of positive ints"):
        summary(lenet5(rng=0), (1, 0, 28))
    with pytest.raises(TypeError, match=r"`input_shape` must be a tuple of positive ints"):
        summary(lenet5(rng=0), 28)
    with pytest.raises(TypeError, match=r"`model` must be a cnnlab Module"):
        summary(object(), (1, 28, 28))
    with pytest.raises(TypeError, match=r"`dtype` must be a floating-point type"):
        summary(lenet5(rng=0), (1, 28, 28), dtype=np.int32)


def test_markdown_csv_and_json_hold_the_same_rows(tmp_path):
    s = summary(residual_net(), (1, 8, 8))
    markdown = s.to_markdown().splitlines()
    assert markdown[0].startswith("| Layer | Output shape | Params | MACs | RF size")
    assert len([line for line in markdown if line.startswith("| ")]) == 1 + len(s.rows)
    assert "- Total params: 192" in markdown

    records = list(csv.DictReader(io.StringIO(s.to_csv(tmp_path / "s.csv"))))
    assert (tmp_path / "s.csv").read_text() == s.to_csv()
    assert [int(r["macs"]) for r in records] == [row.macs for row in s.rows]
    assert records[3]["output_shape"] == "1x4x8x8" and records[3]["rf_size"] == "5"

    document = json.loads(s.to_json(tmp_path / "s.json"))
    assert json.loads((tmp_path / "s.json").read_text()) == document
    assert document["total_params"] == s.total_params and document["error"] is None
    assert document["rows"][3]["receptive_field"] == {"size": [5, 5], "jump": [1, 1],
                                                      "start": [0.0, 0.0]}  # fmt: skip


def test_rich_print_shows_the_table_and_totals():
    buffer = io.StringIO()
    summary(lenet5(rng=0), (1, 32, 32)).print(Console(file=buffer, width=160))
    text = buffer.getvalue()
    assert "MaxPool2d(k=2, s=2)" in text and "Total params: 61,706" in text
    assert "Error: layer 7 Linear(400 -> 120)" in text
