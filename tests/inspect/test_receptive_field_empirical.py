"""The measured receptive field (gradient support) equals the computed one.

Near a padded border the measured field is clipped by the input, so each check compares
the computed interval of the same unit, clipped to the input, with the measured one.
"""

import numpy as np
import pytest

from cnnlab import nn
from cnnlab.inspect import receptive_field_empirical, summary
from cnnlab.models import lenet5, small_vgg


def assert_measured_equals_computed(model, input_shape, every_layer=True):
    rows = summary(model, input_shape).rows
    for row in rows if every_layer else rows[-1:]:
        measured = receptive_field_empirical(model, input_shape, row.name)
        computed = row.receptive_field.interval(measured.unit or None)
        clipped = [(max(lo, 0), min(hi, n - 1)) for (lo, hi), n in zip(computed, input_shape[1:])]
        assert list(zip(measured.first, measured.last)) == clipped, row.name


STACKS = {
    "plain": lambda: nn.Sequential(nn.Conv2d(1, 2, 3, rng=0), nn.ReLU(), nn.Conv2d(2, 2, 3, rng=0)),
    "strided": lambda: nn.Sequential(
        nn.Conv2d(1, 2, 3, stride=2, rng=0), nn.ReLU(), nn.Conv2d(2, 2, (3, 2), stride=2, rng=0)
    ),
    "dilated": lambda: nn.Sequential(
        nn.Conv2d(1, 2, 3, dilation=2, rng=0), nn.ReLU(), nn.Conv2d(2, 2, 3, dilation=3, rng=0)
    ),
    "max_pooled": lambda: nn.Sequential(
        nn.Conv2d(1, 2, 3, rng=0),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(2, 2, 3, rng=0),
        nn.MaxPool2d(3, stride=2, padding=1, dilation=2),
    ),  # fmt: skip
    "avg_pooled_1d": lambda: nn.Sequential(
        nn.Conv1d(2, 3, 5, padding=2, rng=0),
        nn.Tanh(),
        nn.AvgPool1d(3, stride=2),
        nn.Conv1d(3, 3, 2, padding="same", rng=0),
        nn.BatchNorm1d(3),
    ),  # fmt: skip
}


@pytest.mark.parametrize("stack", list(STACKS))
def test_stack_field_measured_equals_computed_size(stack):
    model = STACKS[stack]()
    input_shape = (2, 41) if stack.endswith("1d") else (1, 41, 41)
    rows = summary(model, input_shape).rows
    measured = receptive_field_empirical(model, input_shape, rows[-1].name)
    assert measured.size == rows[-1].receptive_field.size  # large input: nothing clipped
    assert_measured_equals_computed(model, input_shape)


def test_every_layer_of_lenet5():
    assert_measured_equals_computed(lenet5(rng=0), (1, 28, 28))


def test_every_layer_of_small_vgg():
    assert_measured_equals_computed(small_vgg(rng=0), (3, 32, 32))


def test_lenet5_unit_after_second_pool_sees_16_by_16_pixels():
    measured = receptive_field_empirical(lenet5(rng=0), (1, 28, 28), "5")
    assert measured.unit == (2, 2) and measured.size == (16, 16)
    assert measured.support.sum() == 16 * 16  # a full square, no holes
    # the neighbouring unit is 4 pixels further on: the jump
    neighbour = receptive_field_empirical(lenet5(rng=0), (1, 28, 28), "5", index=(2, 3))
    assert neighbour.first == (measured.first[0], measured.first[1] + 4)


def test_residual_field_is_the_union_of_its_paths():
    main = nn.Sequential(nn.Conv2d(1, 1, 3, rng=0, padding=1), nn.Conv2d(1, 1, 5, padding=2, rng=0))
    model = nn.Sequential(nn.Residual(main, nn.Conv2d(1, 1, 1, rng=0)), nn.ReLU())
    assert_measured_equals_computed(model, (1, 15, 15))
    assert receptive_field_empirical(model, (1, 15, 15), "0").size == (7, 7)


def test_layer_may_be_given_as_the_module():
    model = lenet5(rng=0)
    by_module = receptive_field_empirical(model, (1, 28, 28), model[3])
    assert by_module.layer == "3" and by_module.size == (14, 14)


def test_measuring_leaves_the_model_untouched():
    model = nn.Sequential(nn.Conv2d(1, 2, 3, rng=0), nn.BatchNorm2d(2), nn.MaxPool2d(2))
    before = model.state_dict()
    receptive_field_empirical(model, (1, 12, 12), "2")
    after = model.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)
    assert after["0.weight"].dtype == np.float32 and model.training
    assert all("forward" not in vars(m) for m in model.modules())


def test_index_outside_the_output_is_refused():
    with pytest.raises(
        ValueError,
        match=r"`index` must be a position inside the output of layer "
        r"'0', whose spatial axes have shape \(10, 10\)\. Received: index=\(10, 0\)",
    ):
        receptive_field_empirical(nn.Sequential(nn.Conv2d(1, 1, 3)), (1, 12, 12), "0", (10, 0))


def test_unknown_layer_name_suggests_the_closest():
    with pytest.raises(ValueError, match=r"did you mean '3'.*Received: layer='3 '"):
        receptive_field_empirical(lenet5(rng=0), (1, 28, 28), "3 ")
