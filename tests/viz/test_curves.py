"""learning_curves: loss and accuracy per epoch, from any form a history takes."""

import numpy as np
import pytest

from cnnlab.train.history import History
from cnnlab.viz import learning_curves


def history(accuracy=True, validation=True) -> History:
    result = History()
    for epoch in range(1, 7):
        result.append(
            train_loss=1 / epoch,
            train_accuracy=1 - 0.5 / epoch if accuracy else None,
            val_loss=1.2 / epoch if validation else None,
            val_accuracy=0.9 - 0.5 / epoch if accuracy and validation else None,
            lr=0.1,
            seconds=1.0,
        )
    return result


def test_a_history_is_drawn_as_a_loss_and_an_accuracy_panel(tmp_path, picture):
    image = picture(learning_curves(history(), tmp_path / "curves.png"))
    height, width = image.shape[:2]
    assert width > 2 * height > 600


def test_without_accuracy_only_the_loss_panel_is_drawn(tmp_path, picture):
    both = picture(learning_curves(history(), tmp_path / "both.png"))
    loss = picture(learning_curves(history(accuracy=False), tmp_path / "loss.png"))
    assert loss.shape[1] < 0.6 * both.shape[1]


def test_a_csv_file_a_mapping_and_the_history_draw_the_same_picture(tmp_path, picture):
    source = history(validation=False)
    csv_path = source.to_csv(tmp_path / "history.csv")
    from_object = picture(learning_curves(source, tmp_path / "object.png"))
    from_csv = picture(learning_curves(csv_path, tmp_path / "csv.png"))
    from_dict = picture(learning_curves(source.as_dict(), tmp_path / "dict.png"))
    np.testing.assert_array_equal(from_object, from_csv)
    np.testing.assert_array_equal(from_object, from_dict)


def test_nothing_to_draw_is_refused_naming_the_lists_looked_for(tmp_path):
    with pytest.raises(ValueError, match="must hold at least one non-empty list among train_loss"):
        learning_curves({"lr": [0.1, 0.1]}, tmp_path / "c.png")


def test_a_csv_cell_that_is_not_a_number_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("epoch,train_loss\n1,0.5\n2,oops\n")
    with pytest.raises(ValueError, match="must be a number. Received: train_loss='oops'"):
        learning_curves(path, tmp_path / "c.png")
