"""examples/train_ddp.py: DDP on two processes equals one process on the same global batches."""

import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

from cnnlab.jobs.bundle import load_trained

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_ddp_on_two_processes_trains_the_weights_one_process_would(tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(EXAMPLES))  # spawned processes import it by this name
    import train_ddp

    facts = train_ddp.run(tmp_path, steps=3, batch_size=16)
    assert facts["difference"] < 1e-6 * facts["largest"]  # float rounding, not more
    start = load_file(tmp_path / "torch" / "model.safetensors")
    trained = load_file(tmp_path / "torch" / "ddp.safetensors")
    assert max(np.abs(trained[k] - start[k]).max() for k in start) > 1e-3  # it did train
    back = load_trained(facts["weights"])  # in cnnlab, as `cnnlab train` writes models
    np.testing.assert_array_equal(back.model.state_dict()["7.weight"], trained["7.weight"])
    assert train_ddp.show(facts["weights"], facts["image"], tmp_path / "show") == 0
    assert "wrote 12 activation maps" in capsys.readouterr().out
    assert sys.modules["train_ddp"] is train_ddp
