"""What the record costs: a training step through ``Sequential`` against the former loop.

``Sequential`` runs its layers through the record of composition (``cnnlab.nn.recording``):
each call is noted, and backward replays the notes, in the order ``print(model)`` shows.
The former loop (rebuilt here) called the layers' ``forward`` one after another, ran a
ReLU after the max pool that follows it and let ReLU overwrite a fresh array, then
their ``backward`` in reverse. Both train the same LeNet-5 / small VGG (batch 64, SGD with
momentum) in one process, in alternating blocks; the script prints the median
milliseconds per step and the record/loop ratio (with the lowest and highest of the
rounds). The last column runs ``nn.fuse(model)`` (ReLU + max pool as one layer, pooling
first, as the former loop did silently) through the record.

    python benchmarks/record_overhead.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

import cnnlab.models
from alternating import alternate_rounds, round_ratios  # beside this file
from cnnlab import nn, optim
from cnnlab.nn.in_place import apply_layer

NETWORKS = {
    "lenet5": (cnnlab.models.lenet5, (1, 28, 28)),
    "small_vgg": (cnnlab.models.small_vgg, (3, 32, 32)),
}


def former_loop(model: nn.Sequential):
    """The loop ``Sequential`` ran before the record: pool before ReLU, ReLU in place."""
    layers, order, index = model.layers, [], 0
    while index < len(layers):
        pair = layers[index : index + 2]
        if len(pair) == 2 and isinstance(pair[0], nn.ReLU) and isinstance(pair[1], nn.MaxPool2d):
            order, index = order + [index + 1, index], index + 2
        else:
            order, index = order + [index], index + 1
    ran = [layers[i] for i in order]

    def forward(x):
        fresh = False
        for layer in ran:
            x, fresh = apply_layer(layer, x, fresh)
        return x

    def backward(grad):
        for layer in reversed(ran[1:]):
            grad = layer.backward(grad)
        ran[0].backward_parameters(grad)

    return forward, backward


def through_record(model: nn.Sequential):
    return model, model.backward_parameters


def step_function(build, shape, runner, batch: int = 64):
    model = build(rng=0)
    forward, backward = runner(model)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, *shape)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        optimizer.zero_grad()
        loss_fn(forward(x), y)
        backward(loss_fn.backward())
        optimizer.step()

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'network':<10} {'loop ms':>8} {'record ms':>10} {'record/loop':>12} {'fused/loop':>11}"
    )
    for name, (build, shape) in NETWORKS.items():
        loop = step_function(build, shape, former_loop)
        record = step_function(build, shape, through_record)
        fused = step_function(lambda rng, b=build: nn.fuse(b(rng=rng)), shape, through_record)
        by_round = alternate_rounds(loop, record, runs=30 * args.rounds, rounds=args.rounds)
        fused_rounds = alternate_rounds(loop, fused, runs=30 * args.rounds, rounds=args.rounds)
        loop_ms = statistics.median(t for r in by_round for t in r[0])
        record_ms = statistics.median(t for r in by_round for t in r[1])
        ratios = [1 / r for r in round_ratios(by_round)]  # record / loop per round
        fused_ratio = 1 / statistics.median(round_ratios(fused_rounds))
        print(
            f"{name:<10} {loop_ms:8.2f} {record_ms:10.2f} "
            f"{record_ms / loop_ms:6.3f} ({min(ratios):.3f}-{max(ratios):.3f}) {fused_ratio:8.3f}"
        )


if __name__ == "__main__":
    main()
