"""ImageNet inference (forward only), cnnlab vs PyTorch on the same weights, in one run.

resnext50_32x4d and resnet18 on 1x3x224x224 and 8x3x224x224. The torch networks are the
references the tests build from torch.nn pieces (tests/models/torch_zoo.py; torchvision is
not needed), filled with cnnlab's weights through the shared state-dict key names. Prints
the median milliseconds, the cnnlab/torch ratio and cnnlab's peak memory (tracemalloc).

Each model runs on cnnlab's backends in turn (``--backend``): "fast", the default one,
and "reference", the readable maths of ``cnnlab.functional`` (no target for its ratio).

    python benchmarks/inference.py [--repeats 5] [--backend fast|reference|both]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tracemalloc
from pathlib import Path

import numpy as np

import cnnlab
from alternating import alternate  # benchmarks/alternating.py, beside this script
from cnnlab.models import build_model
from cnnlab.nn import no_grad

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from models.torch_zoo import BasicBlock, Bottleneck, ResNet  # noqa: E402  (the torch reference lives with the tests)

TORCH_BUILDS = {
    "resnet18": lambda: ResNet(BasicBlock, [2, 2, 2, 2]),
    "resnext50_32x4d": lambda: ResNet(Bottleneck, [3, 4, 6, 3], groups=32, width_per_group=4),
}


def main() -> None:
    cnnlab.keep_freed_memory()  # as `cnnlab train` does (importing cnnlab no longer does)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=6)
    parser.add_argument("--backend", choices=["fast", "reference", "both"], default="both")
    args = parser.parse_args()
    backends = ["fast", "reference"] if args.backend == "both" else [args.backend]
    import torch

    torch.set_num_threads(cnnlab.get_num_threads())
    print(
        f"threads: {torch.get_num_threads()} (cnnlab and torch), median of at least "
        f"{args.repeats} runs (and of at least 0.5 s of runs a round)"
    )
    print(f"{'model':<17} {'batch':>5} {'backend':<9} {'cnnlab ms':>10} {'torch ms':>9} "
          f"{'ratio':>6} {'cnnlab peak MB':>15}")  # fmt: skip
    for name, build_torch in TORCH_BUILDS.items():
        model = build_model(name, rng=0).eval()
        net = build_torch().eval()
        net.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
        for batch, backend in itertools.product((1, 8), backends):
            x = np.random.default_rng(0).standard_normal((batch, 3, 224, 224)).astype(np.float32)
            xt = torch.from_numpy(x)

            def torch_forward():
                with torch.no_grad():
                    net(xt)  # noqa: B023

            def cnnlab_forward():
                with no_grad(), cnnlab.use_backend(backend):  # noqa: B023
                    model(x)  # noqa: B023  (no_grad as torch's: nothing kept for backward)

            ours, theirs = map(
                statistics.median, alternate(cnnlab_forward, torch_forward, args.repeats)
            )
            tracemalloc.start()
            cnnlab_forward()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(f"{name:<17} {batch:>5} {backend:<9} {ours:>10.1f} {theirs:>9.1f} "
                  f"{ours / theirs:>6.2f} {peak:>15.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
