"""The folder a run writes into: refused early when read-only, cleaned of a killed run's
leftovers, and its renames flushed to disk."""

import os
import shutil
import stat
import subprocess

import pytest

from checks.cli import cnnlab
from cnnlab.data import shapes
from cnnlab.jobs import train_classifier
from cnnlab.nn import CrossEntropyLoss
from cnnlab.optim import SGD
from cnnlab.train import Callback, fit
from cnnlab.train.folder import remove_stale_temporaries


class EpochCounter(Callback):
    def __init__(self):
        self.epochs = 0

    def on_epoch_end(self, epoch, history, model):
        self.epochs += 1
        return False


def train(kit, bars, path, **options):
    model = kit.small_cnn(seed=0)
    return fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), bars[0],
               epochs=1, batch_size=64, rng=0, checkpoint=path, quiet=True, **options)  # fmt: skip


def writable(folder):
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@pytest.fixture
def read_only():
    """Make a folder read-only: by its mode, and for root (whom modes do not stop) by the
    immutable attribute where the file system has one."""
    made = []

    def make(folder):
        made.append(folder)
        folder.chmod(0o555)
        if writable(folder) and shutil.which("chattr"):
            subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if writable(folder):
            pytest.skip("this user can write into any folder here (root without chattr)")
        return folder

    yield make
    for folder in made:
        if shutil.which("chattr"):
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def test_a_read_only_folder_is_refused_before_the_first_epoch(bars, kit, tmp_path, read_only):
    folder = tmp_path / "run"
    folder.mkdir()
    counter = EpochCounter()
    with pytest.raises(PermissionError, match=f"Cannot write into {folder} "):
        train(kit, bars, read_only(folder) / "run.safetensors", callbacks=[counter])
    assert counter.epochs == 0


def test_resume_into_a_read_only_folder_fails_before_any_work(tmp_path, read_only):
    out, data = tmp_path / "out", shapes(120, size=16, rng=0)
    train_classifier((data[:100], data[100:]), epochs=1, out=out, quiet=True)
    read_only(out)
    result = cnnlab("train", "shapes", "--epochs", "2", "--size", "16", "--out", out, "--resume")
    assert result.returncode == 2
    assert result.stderr.startswith(f"cnnlab train: error: Cannot write into {out} (")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Training lenet5" not in result.stdout  # not even the data was drawn


def test_a_killed_writes_temporary_is_removed_by_the_next_run(bars, kit, tmp_path):
    path = tmp_path / "run.safetensors"
    stale = [tmp_path / ".run.safetensors.0a1b2c3d.tmp", tmp_path / ".run.safetensors.ff.tmp"]
    kept = [tmp_path / ".other.safetensors.0a1b2c3d.tmp", tmp_path / "run.safetensors.1.tmp"]
    for file in stale + kept:
        file.write_bytes(b"half a checkpoint")
    train(kit, bars, path)
    assert path.is_file()
    assert [file.exists() for file in stale + kept] == [False, False, True, True]


def test_the_train_job_removes_the_leftovers_of_a_killed_save(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    names = ("checkpoint.safetensors", "model.safetensors", "model.json")
    for name in names:
        (out / f".{name}.12345678.tmp").write_bytes(b"cut")
    data = shapes(120, size=16, rng=0)
    train_classifier((data[:100], data[100:]), epochs=1, out=out, quiet=True)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
    assert (out / "model.safetensors").is_file()


def test_remove_stale_temporaries_returns_what_it_removed(tmp_path):
    (tmp_path / ".a.bin.00ff.tmp").write_bytes(b"")
    (tmp_path / ".a.bin.notHEX.tmp").write_bytes(b"")
    assert remove_stale_temporaries(tmp_path / "a.bin") == [tmp_path / ".a.bin.00ff.tmp"]
    assert (tmp_path / ".a.bin.notHEX.tmp").exists()


def test_each_checkpoint_flushes_its_folder_after_the_rename(bars, kit, tmp_path, monkeypatch):
    flushed, real_fsync = [], os.fsync

    def fsync(descriptor):
        kind = "folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file"
        flushed.append(kind)
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    train(kit, bars, tmp_path / "run.safetensors")
    assert flushed == ["file", "folder"]  # the data, then the rename that made it the file
