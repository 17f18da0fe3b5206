"""``cnnlab export``, run as installed: the files it writes, and its errors in one line."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file

from cnnlab.models import build_model
from cnnlab.serialization import save
from export.torch_run import load_module

SCRIPT = Path(sys.executable).with_name("cnnlab")  # the console script pip installed


def cnnlab(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300,
        env=dict(os.environ),
    )  # fmt: skip


def test_export_lenet5_to_torch_writes_code_and_weights_that_torch_runs(tmp_path):
    result = cnnlab("export", "lenet5", "--to", "torch", "-o", tmp_path / "lenet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"wrote {tmp_path / 'lenet' / 'model.py'}",
        f"wrote {tmp_path / 'lenet' / 'model.safetensors'}",
    ]
    torch_model = load_module(tmp_path / "lenet" / "model.py").build().eval()
    torch_model.load_state_dict(load_file(tmp_path / "lenet" / "model.safetensors"))
    model = build_model("lenet5", in_channels=1, input_size=28, rng=0).eval()  # what MODEL is
    x = np.random.default_rng(0).standard_normal((3, 1, 28, 28), dtype=np.float32)
    with torch.no_grad():
        got = torch_model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, model(x), rtol=1e-5, atol=1e-5 * np.abs(model(x)).max())


def test_export_loads_weights_first_and_takes_an_input_shape(tmp_path):
    model = build_model("small_vgg", in_channels=3, input_size=16, rng=1)
    save(model, tmp_path / "trained.safetensors")
    weights, folder = tmp_path / "trained.safetensors", tmp_path / "vgg"
    result = cnnlab("export", "small_vgg", "--input", "3x16x16", "--weights", weights,
                    "--to", "torch", "-o", folder)  # fmt: skip
    assert result.returncode == 0, result.stderr
    state = load_file(tmp_path / "vgg" / "model.safetensors")
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(state[key].numpy(), value)


def test_export_errors_are_one_line_naming_the_option(tmp_path):
    small = cnnlab("export", "lenet5", "--input", "1x5x5", "--to", "torch", "-o", tmp_path)
    assert small.returncode == 2
    assert small.stderr.startswith("cnnlab export: error: `--input` 1x5x5 does not fit lenet5")
    assert "Traceback" not in small.stderr
    missing = cnnlab("export", "lenet5", "-o", tmp_path)
    assert missing.returncode == 2 and "--to" in missing.stderr
    assert not any(tmp_path.iterdir())
