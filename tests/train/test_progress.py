"""What fit prints: a bar with running metrics, one line per epoch, and nothing when quiet."""

import io

from rich.console import Console

from cnnlab.nn import CrossEntropyLoss
from cnnlab.optim import SGD
from cnnlab.train import fit
from cnnlab.train.progress import TrainingProgress


def train(bars, kit, **options):
    model = kit.small_cnn(seed=0)
    optimizer = SGD(model.parameters(), lr=0.1)
    options = {"epochs": 2, "batch_size": 64, "rng": 0, **options}
    return fit(model, CrossEntropyLoss(), optimizer, *bars, **options)


def test_each_epoch_prints_a_summary_line(bars, kit):
    output = io.StringIO()
    history = train(bars, kit, console=Console(file=output, width=60))
    lines = output.getvalue().splitlines()
    assert len(lines) == 2
    for epoch, line in enumerate(lines, start=1):
        i = epoch - 1
        assert line.startswith(f"epoch {epoch}/2  train loss {history.train_loss[i]:.4f} acc ")
        assert f"val loss {history.val_loss[i]:.4f}" in line and line.endswith(" s")


def test_a_terminal_shows_the_bar_with_batches_and_time_left(bars, kit):
    output = io.StringIO()
    train(bars, kit, console=Console(file=output, force_terminal=True, width=100))
    assert "epoch 1/2" in output.getvalue() and "/4" in output.getvalue()
    assert "eta" in output.getvalue()


def test_the_bar_shows_the_running_loss_and_accuracy():
    output = io.StringIO()
    with TrainingProgress(Console(file=output, force_terminal=True, width=100)) as progress:
        progress.start_epoch(1, 3, batches=10)
        progress.advance(0.4321, 0.875)
        progress._progress.refresh()
    assert "1/10" in output.getvalue() and "loss 0.4321 acc 87.5%" in output.getvalue()


def test_quiet_prints_nothing_anywhere(bars, kit, capsys):
    output = io.StringIO()
    train(bars, kit, quiet=True, console=Console(file=output))
    assert output.getvalue() == ""
    assert capsys.readouterr() == ("", "")


def test_a_resumed_run_says_where_it_resumed_from(bars, kit, tmp_path):
    path, output = tmp_path / "run.safetensors", io.StringIO()
    train(bars, kit, quiet=True, checkpoint=path, epochs=1)
    train(bars, kit, checkpoint=path, resume=True, console=Console(file=output, width=200))
    assert output.getvalue().startswith(f"Resumed from {path} after epoch 1.\nepoch 2/2  train")
