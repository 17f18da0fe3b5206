"""History: CSV and JSON round trips that keep every digit, best epochs, clear refusals."""

import json

import pytest

from cnnlab.train import History


def three_epochs(with_val=True):
    history = History()
    for loss, accuracy in [(0.7, 0.5), (0.1 + 0.2, 2 / 3), (1e-17, 0.9)]:
        history.append(
            train_loss=loss,
            train_accuracy=accuracy,
            val_loss=loss * 1.1 if with_val else None,
            val_accuracy=accuracy if with_val else None,
            lr=0.1,
            seconds=1 / 3,
        )
    return history


@pytest.mark.parametrize("with_val", [True, False])
def test_csv_round_trip_keeps_every_float_and_every_missing_value(tmp_path, with_val):
    history = three_epochs(with_val)
    path = history.to_csv(tmp_path / "history.csv")
    assert History.from_csv(path) == history
    assert path.read_text().splitlines()[0] == (
        "epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds"
    )


def test_as_dict_is_plain_json_and_comes_back_equal():
    history = three_epochs(with_val=False)
    assert History.from_dict(json.loads(json.dumps(history.as_dict()))) == history


def test_best_picks_the_lowest_loss_and_the_highest_accuracy():
    history = three_epochs()
    assert history.best("train_loss") == (3, 1e-17)
    assert history.best("val_accuracy") == (3, 0.9)
    assert history.best("val_accuracy", mode="min") == (1, 0.5)


def test_best_of_a_metric_never_measured_is_refused():
    with pytest.raises(ValueError, match="The history holds no value of 'val_loss'"):
        three_epochs(with_val=False).best("val_loss")


def test_a_csv_that_is_not_a_history_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="is not a history CSV: its first line must be epoch,"):
        History.from_csv(path)
    path.write_text(three_epochs().to_csv_text().replace("0.5", "half"))
    with pytest.raises(ValueError, match="line 2: `train_accuracy` must be a number or empty"):
        History.from_csv(path)


def test_append_needs_every_metric():
    with pytest.raises(ValueError, match="`History.append` needs exactly the metrics"):
        History().append(train_loss=1.0)
