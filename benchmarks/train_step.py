"""One full training step (forward, loss, backward, SGD with momentum), cnnlab vs PyTorch.

Batch 64: LeNet-5 on 1x28x28 and the small VGG on 3x32x32. Both frameworks run in this one
process with the same thread count (torch is set to ``cnnlab.get_num_threads()``), on the
same data; the script prints the median milliseconds per step, the cnnlab/torch ratio
(with the lowest and highest ratio of the five rounds, which shows the machine's drift),
the steps timed (at least ``--steps``, and at least 0.5 s of them per round: more for a
fast network), and the peak memory each step allocates (cnnlab: tracemalloc, which sees NumPy's
buffers; torch: its CPU allocator is not visible to tracemalloc, so the resident-set
growth is reported instead).

Each network runs on cnnlab's backends in turn (``--backend``): "fast", the default one,
and "reference", the readable maths of ``cnnlab.functional`` (no target for its ratio).
On the fast backend the cnnlab network is ``nn.fuse``d (each ReLU + max pool as one
layer that pools first), as a user after speed would run it; ``--no-fuse`` runs it as
written.

    python benchmarks/train_step.py [--steps 60] [--batch-size 64] [--threads N]
                                    [--backend fast|reference|both] [--no-fuse]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tracemalloc

import numpy as np

import cnnlab.models
from alternating import BLOCK_SECONDS, alternate_rounds, round_ratios  # beside this file
from cnnlab import nn, optim

ROUNDS = 5
NETWORKS = {
    "lenet5": (cnnlab.models.lenet5, (1, 28, 28)),
    "small_vgg": (cnnlab.models.small_vgg, (3, 32, 32)),
}


def torch_copy(model):
    """The same architecture in torch, with the same weights."""
    import torch

    layers = []
    for layer in model:
        kind = type(layer).__name__
        if kind == "Conv2d":
            layers.append(
                torch.nn.Conv2d(
                    layer.in_channels, layer.out_channels, layer.kernel_size, padding=layer.padding
                )
            )
        elif kind == "Linear":
            layers.append(torch.nn.Linear(layer.in_features, layer.out_features))
        elif kind == "MaxPool2d":
            layers.append(torch.nn.MaxPool2d(2))
        else:
            layers.append(getattr(torch.nn, kind)())
    net = torch.nn.Sequential(*layers)
    net.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    return net


def main() -> None:
    cnnlab.keep_freed_memory()  # as `cnnlab train` does (importing cnnlab no longer does)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="for both (default: cnnlab.get_num_threads()); 1 also holds BLAS to one thread",
    )
    parser.add_argument("--backend", choices=["fast", "reference", "both"], default="both")
    parser.add_argument("--no-fuse", action="store_true", help="no nn.fuse on the fast backend")
    args = parser.parse_args()
    backends = ["fast", "reference"] if args.backend == "both" else [args.backend]

    import torch

    if args.threads is not None:
        cnnlab.set_num_threads(args.threads)
    if args.threads == 1:  # cnnlab on one thread leaves BLAS its own threads: hold it to one
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    threads = cnnlab.get_num_threads()
    torch.set_num_threads(threads)
    print(
        f"threads: {threads} (cnnlab and torch), batch {args.batch_size}; medians over "
        f"{ROUNDS} rounds of at least {-(-args.steps // ROUNDS)} steps and {BLOCK_SECONDS} s each"
    )
    print(
        f"{'network':<18} {'backend':<9} {'cnnlab ms':>10} {'torch ms':>9} {'ratio':>6} "
        f"{'rounds':>11} {'steps':>9} {'cnnlab peak MB':>15} {'torch RSS growth MB':>20}"
    )
    for name, (build, shape) in NETWORKS.items():
        for backend in backends:
            with cnnlab.use_backend(backend):
                fuse = backend == "fast" and not args.no_fuse
                compare(name, backend, build, shape, args.batch_size, args.steps, fuse)


def compare(
    name: str,
    backend: str,
    build,
    shape: tuple[int, ...],
    batch_size: int,
    steps: int,
    fuse: bool = False,
) -> None:
    """Time one network in cnnlab and in torch and print one row of the table."""
    import torch

    rng = np.random.default_rng(0)
    model = build(rng=0)
    x = rng.standard_normal((batch_size, *shape)).astype(np.float32)
    y = rng.integers(0, 10, batch_size)
    net = torch_copy(model)  # from the model as written
    model = nn.fuse(model) if fuse else model
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def cnnlab_step():
        optimizer.zero_grad()
        loss_fn(model(x), y)
        model.backward_parameters(loss_fn.backward())  # like torch: x needs no gradient
        optimizer.step()

    torch_optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    torch_loss = torch.nn.CrossEntropyLoss()

    def torch_step():
        torch_optimizer.zero_grad()
        torch_loss(net(xt), yt).backward()
        torch_optimizer.step()

    cnnlab_step()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    by_round = alternate_rounds(cnnlab_step, torch_step, steps, rounds=ROUNDS, warmup=2)
    ours, theirs = ([t for times in by_round for t in times[i]] for i in (0, 1))
    counts = len(ours), len(theirs)
    ours, theirs = statistics.median(ours), statistics.median(theirs)
    ratios = round_ratios(by_round)
    torch_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024

    tracemalloc.start()
    cnnlab_step()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"{name + (' (fused)' if fuse else ''):<18} {backend:<9} {ours:>10.2f} {theirs:>9.2f} "
        f"{ours / theirs:>6.2f} "
        f"{min(ratios):>5.2f}-{max(ratios):<5.2f} {counts[0]:>4}/{counts[1]:<4} "
        f"{peak:>15.1f} {torch_growth:>20.1f}"
    )


if __name__ == "__main__":
    main()
