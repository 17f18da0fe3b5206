"""Receptive fields in the summary follow the recurrences, checked on hand-worked nets.

Araujo, Norris and Sim (Distill, 2019), with k_eff = d (k - 1) + 1:
r_out = r_in + (k_eff - 1) j_in, j_out = j_in s, start_out = start_in + ((k_eff-1)/2 - p) j_in.
"""

import warnings

import numpy as np
import pytest

from cnnlab import nn
from cnnlab.inspect import ReceptiveField, summary
from cnnlab.models import lenet5


def fields(model, input_shape):
    rows = summary(model, input_shape).rows
    return [(f.size, f.jump, f.start) for f in (row.receptive_field for row in rows)]


def test_lenet5_second_pool_sees_16_pixels_with_jump_4():
    # conv 5 pad 2: r = 1 + 4 = 5, j = 1, start = 0 + (2 - 2) = 0
    # maxpool 2:    r = 5 + 1 = 6, j = 2, start = 0 + 0.5 = 0.5
    # conv 5:       r = 6 + 4*2 = 14, j = 2, start = 0.5 + 2*2 = 4.5
    # maxpool 2:    r = 14 + 1*2 = 16, j = 4, start = 4.5 + 0.5*2 = 5.5
    # flatten (a window over all 5 positions): r = 16 + 4*4 = 32, j = 20, start = 5.5 + 2*4
    hand = [(5, 1, 0.0), (5, 1, 0.0), (6, 2, 0.5), (14, 2, 4.5), (14, 2, 4.5), (16, 4, 5.5)]
    hand += [(32, 20, 13.5)] * 6  # flatten, then dense layers keep the whole field
    expected = [((r, r), (j, j), (s, s)) for r, j, s in hand]
    assert fields(lenet5(rng=0), (1, 28, 28)) == expected


@pytest.mark.parametrize(
    "layer, expected",
    [
        (nn.Conv2d(1, 1, 3), ((3, 3), (1, 1), (1.0, 1.0))),
        (nn.Conv2d(1, 1, 3, padding=1), ((3, 3), (1, 1), (0.0, 0.0))),
        (nn.Conv2d(1, 1, (3, 5), stride=(2, 1)), ((3, 5), (2, 1), (1.0, 2.0))),
        (nn.Conv2d(1, 1, 3, dilation=2), ((5, 5), (1, 1), (2.0, 2.0))),  # k_eff = 5
        (nn.Conv2d(1, 1, 4, padding="same"), ((4, 4), (1, 1), (0.5, 0.5))),  # pads (1, 2)
        (nn.MaxPool2d(3, stride=2, padding=1), ((3, 3), (2, 2), (0.0, 0.0))),
        (nn.MaxPool2d(2, stride=1, dilation=3), ((4, 4), (1, 1), (1.5, 1.5))),
        (nn.AvgPool2d(2), ((2, 2), (2, 2), (0.5, 0.5))),
    ],
)
def test_one_window_from_the_input(layer, expected):
    assert fields(nn.Sequential(layer), (1, 12, 12))[0] == expected


def test_stacked_windows_grow_by_jump():
    # conv3 s2: r=3 j=2 start=1; conv3 d2: r = 3 + 4*2 = 11, j=2, start = 1 + 2*2 = 5;
    # avgpool 2: r = 11 + 2 = 13, j = 4, start = 5 + 0.5*2 = 6
    model = nn.Sequential(
        nn.Conv1d(1, 2, 3, stride=2), nn.Conv1d(2, 2, 3, dilation=2), nn.AvgPool1d(2)
    )
    assert fields(model, (1, 64)) == [((3,), (2,), (1.0,)), ((11,), (2,), (5.0,)),
                                      ((13,), (4,), (6.0,))]  # fmt: skip


def test_elementwise_layers_keep_the_field():
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Dropout(0.5), nn.Tanh(),
        nn.LeakyReLU(), nn.Sigmoid(), nn.Identity(),
    )  # fmt: skip
    assert len(set(fields(model, (1, 8, 8)))) == 1


def test_every_activation_of_torch_nn_keeps_the_field():
    activations = [
        nn.ReLU6(), nn.ELU(), nn.GELU(), nn.CELU(), nn.SELU(), nn.RReLU(rng=0), nn.LogSigmoid(),
        nn.Mish(), nn.Softsign(), nn.Hardtanh(), nn.Hardshrink(), nn.Softshrink(),
        nn.Tanhshrink(), nn.Threshold(0.1, 0.0),
    ]  # fmt: skip
    model = nn.Sequential(nn.Conv2d(1, 2, 3), *activations)
    assert len(set(fields(model, (1, 8, 8)))) == 1


def test_global_pooling_sees_every_position():
    # conv3 pad1 on 8: r=3 j=1 start=0; global over 8 positions: r = 3 + 7 = 10, start 3.5
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    assert fields(model, (1, 8, 8))[1:] == [((10, 10), (8, 8), (3.5, 3.5))] * 2


def test_softmax_over_channels_keeps_the_field_and_over_an_axis_spreads_it():
    model = nn.Sequential(nn.Conv1d(1, 2, 3), nn.Softmax(dim=1), nn.Softmax(dim=2))
    assert fields(model, (1, 10)) == [((3,), (1,), (1.0,)), ((3,), (1,), (1.0,)),
                                      ((10,), (8,), (4.5,))]  # fmt: skip


def test_field_interval_is_centred_on_the_unit():
    field = ReceptiveField((16, 16), (4, 4), (5.5, 5.5))
    assert field.interval() == ((-2, 13), (-2, 13))
    assert field.interval((4, 0)) == ((14, 29), (-2, 13))


def test_residual_takes_the_larger_path():
    main = nn.Sequential(nn.Conv2d(2, 2, 3, padding=1), nn.ReLU(), nn.Conv2d(2, 2, 3, padding=1))
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.Residual(main), nn.ReLU())
    rows = summary(model, (1, 10, 10)).rows
    by_name = {row.name: row.receptive_field for row in rows}
    assert by_name["1"] == by_name["1.main"] == ReceptiveField((7, 7), (1, 1), (0.0, 0.0))
    assert summary(model, (1, 10, 10)).warnings == []


def test_residual_with_offset_paths_warns_and_takes_the_union():
    # main: conv 2x2 'same' pads (0, 1): r=2, start=0.5 -> covers [0, 1]; shortcut 1x1: [0, 0]
    model = nn.Sequential(nn.Residual(nn.Conv2d(1, 1, 2, padding="same"), nn.Conv2d(1, 1, 1)))
    with pytest.warns(UserWarning, match="Residual '0': the receptive fields of its paths"):
        s = summary(model, (1, 6, 6))
    assert s.rows[0].receptive_field == ReceptiveField((2, 2), (1, 1), (0.5, 0.5))
    assert "centres (start) 0, 0.5 on axis 0" in s.warnings[0]
    assert "Warning: Residual '0'" in str(s)


def test_downsampling_residual_with_centred_paths_does_not_warn():
    model = nn.Residual(nn.Conv1d(1, 1, 3, stride=2, padding=1), nn.Conv1d(1, 1, 1, stride=2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert summary(nn.Sequential(model), (1, 8)).warnings == []


def test_residual_with_paths_of_different_jumps_warns():
    # on 8 samples, stride 2 (jump 2) and a 5-wide window (jump 1) both give 4 outputs
    model = nn.Residual(nn.Conv1d(1, 1, 2, stride=2), nn.Conv1d(1, 1, 5))
    with pytest.warns(UserWarning, match="jumps 1, 2 on axis 0"):
        summary(nn.Sequential(model), (1, 8))


def test_unknown_layer_has_no_field():
    class Shift(nn.Module):
        def forward(self, x):
            return np.roll(x, 1, axis=-1)

    rows = summary(nn.Sequential(nn.Conv1d(1, 1, 3), Shift(), nn.ReLU()), (1, 9)).rows
    assert [row.receptive_field is None for row in rows] == [False, True, True]
    assert "?" in str(summary(nn.Sequential(Shift()), (1, 9)))


def test_inputs_without_spatial_axes_have_no_field():
    rows = summary(nn.Sequential(nn.Linear(4, 2), nn.ReLU()), (4,)).rows
    assert [row.receptive_field for row in rows] == [None, None]


def test_resnet18_fields_run_through_the_residual_branches():
    from cnnlab.models import resnet18

    rows = {row.name: row for row in summary(resnet18(rng=0), (3, 64, 64)).rows}
    # the block's field is the union of its main path (two 3x3) and its 1x1 shortcut
    assert rows["layer2.0"].receptive_field.size == (67, 67)
    assert rows["layer2.0.downsample"].receptive_field.size == (43, 43)
    assert rows["layer4"].receptive_field.size == (435, 435)  # ResNet-18's known field
    assert rows["layer4"].receptive_field.jump == (32, 32)


def test_concatenated_branches_take_the_union_of_their_fields():
    class Branches(nn.Module):
        def __init__(self):
            super().__init__()
            self.wide, self.narrow = nn.Conv1d(1, 1, 5, padding=2), nn.Conv1d(1, 1, 1)

        def forward(self, x):
            return nn.ops.concatenate([self.wide(x), self.narrow(x)])

    rows = summary(nn.Sequential(Branches(), nn.Conv1d(2, 1, 3, padding=1)), (1, 9)).rows
    assert [row.receptive_field.size for row in rows] == [(5,), (5,), (1,), (7,)]


def test_adaptive_pooling_to_a_grid_is_a_window_where_the_sizes_divide():
    rows = summary(nn.Sequential(nn.AdaptiveAvgPool2d((2, 3))), (1, 8, 9)).rows
    assert rows[0].receptive_field.size == (4, 3) and rows[0].receptive_field.jump == (4, 3)
    uneven = summary(nn.Sequential(nn.AdaptiveAvgPool2d((3, 3))), (1, 8, 9)).rows
    assert uneven[0].receptive_field is None  # windows of 2 and 3 rows: no single field
