"""``cnnlab guess IMAGE --weights resnext50_32x4d.pth`` against a PyTorch script, cold.

Each run is a whole new process, as a user starts it: the interpreter, the imports,
reading the ``.pth`` file, preprocessing, one forward pass, softmax, printing the top
class. Both run with 2 threads (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
``CNNLAB_NUM_THREADS`` and ``torch.set_num_threads``). Prints each run's wall time, CPU
time and peak resident memory (``ru_maxrss`` of the child, from ``os.wait4``; Linux
counts in it the memory of the forked parent before ``exec``, so the inputs are written
by a child process and this one stays small), the
medians, and the cnnlab/torch ratios (targets of issue 14: at most 0.9 in wall time, at
most 1.0 in memory; CPU time is shown because a shared machine's load moves wall time).

No network: the script writes its own ``resnext50_32x4d.pth`` (cnnlab's zoo model's
seeded weights under torchvision's key names, saved by ``torch.save``) and its own
500x375 JPEG. The PyTorch side is ``tests/models/torch_zoo.py``'s ResNeXt (torchvision
is not installed) with torchvision's eval preprocessing done with Pillow and torch:
resize the shorter side to 256 (bilinear), crop the centre 224, normalise.

    python benchmarks/guess_cold.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
THREADS = "2"

TORCH_SCRIPT = """
import sys
import torch
from PIL import Image
sys.path.insert(0, {tests!r})
from models.torch_zoo import Bottleneck, ResNet

torch.set_num_threads({threads})
model = ResNet(Bottleneck, [3, 4, 6, 3], groups=32, width_per_group=4)
model.load_state_dict(torch.load(sys.argv[2], weights_only=True))
model.eval()
image = Image.open(sys.argv[1]).convert("RGB")
width, height = image.size
scale = 256 / min(width, height)
image = image.resize((round(width * scale), round(height * scale)), Image.BILINEAR)
left, top = (image.width - 224) // 2, (image.height - 224) // 2
image = image.crop((left, top, left + 224, top + 224))
x = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).reshape(224, 224, 3)
x = x.permute(2, 0, 1).float().div(255)
mean, std = torch.tensor([0.485, 0.456, 0.406]), torch.tensor([0.229, 0.224, 0.225])
x = ((x - mean[:, None, None]) / std[:, None, None])[None]
with torch.inference_mode():
    probabilities = model(x).softmax(1)[0]
confidence, index = probabilities.max(0)
print(f"Image prediction: class {{index.item()}}")
print(f"Confidence: {{100 * confidence.item():.1f}}%")
"""


def write_inputs(folder: Path) -> tuple[Path, Path]:
    """A ``resnext50_32x4d.pth`` with seeded weights, and a 500x375 JPEG."""
    import torch
    from PIL import Image

    from cnnlab.models import resnext50_32x4d

    state = resnext50_32x4d(rng=0).state_dict()
    weights = folder / "resnext50_32x4d.pth"
    torch.save({name: torch.from_numpy(np.array(value)) for name, value in state.items()}, weights)
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:375, 0:500] / 100.0
    picture = np.stack([np.sin(x + c) * np.cos(y * (c + 1)) for c in range(3)], axis=-1)
    picture = (127.5 * (1 + picture) + rng.normal(0, 8, picture.shape)).clip(0, 255)
    image = folder / "image.jpg"
    Image.fromarray(picture.astype(np.uint8)).save(image, quality=90)
    return image, weights


def run_cold(command: list[str], environment: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak resident MiB and standard output of one process."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed:\n{text}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, text  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, alternating")
    parser.add_argument("--write-inputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_inputs is not None:  # in a child: torch's and the model's memory go with it
        write_inputs(args.write_inputs)
        return
    environment = {
        **os.environ,
        "OMP_NUM_THREADS": THREADS,
        "OPENBLAS_NUM_THREADS": THREADS,
        "MKL_NUM_THREADS": THREADS,
        "CNNLAB_NUM_THREADS": THREADS,
    }
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, __file__, "--write-inputs", folder]
        subprocess.run(command, check=True)
        image, weights = Path(folder) / "image.jpg", Path(folder) / "resnext50_32x4d.pth"
        script = Path(folder) / "guess_torch.py"
        script.write_text(TORCH_SCRIPT.format(tests=str(ROOT / "tests"), threads=THREADS))
        commands = {
            "cnnlab": [sys.executable, "-m", "cnnlab", "guess", str(image), "--weights",
                       str(weights)],
            "torch": [sys.executable, str(script), str(image), str(weights)],
        }  # fmt: skip
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for round_ in range(args.rounds + 1):  # the first round warms the file cache
            for name, command in commands.items():
                seconds, cpu, mib, text = run_cold(command, environment)
                if round_ == 0:
                    print(f"{name}: {' / '.join(text.strip().splitlines())}")
                    continue
                results[name].append((seconds, cpu, mib))
                print(
                    f"round {round_} {name:>6}: {seconds:6.2f} s  {cpu:6.2f} s CPU  {mib:6.0f} MiB"
                )
    medians = {  # of wall seconds, CPU seconds, MiB
        name: [statistics.median(column) for column in zip(*runs, strict=True)]
        for name, runs in results.items()
    }
    for name, (seconds, cpu, mib) in medians.items():
        print(f"median {name:>6}: {seconds:6.2f} s  {cpu:6.2f} s CPU  {mib:6.0f} MiB")
    ours, theirs = medians["cnnlab"], medians["torch"]
    print(f"cnnlab/torch: time {ours[0] / theirs[0]:.2f} (target <= 0.9), "
          f"peak memory {ours[2] / theirs[2]:.2f} (target <= 1.0); "
          f"CPU time {ours[1] / theirs[1]:.2f} (less moved by a busy machine)")  # fmt: skip


if __name__ == "__main__":
    main()
