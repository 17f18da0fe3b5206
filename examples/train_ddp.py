"""When one machine is not enough: train a cnnlab model with PyTorch's DistributedDataParallel.

1. cnnlab builds LeNet-5 and exports it as plain PyTorch code and weights
   (``cnnlab.export.to_torch``: ``model.py`` + ``model.safetensors``).
2. Two CPU processes (``torch.multiprocessing.spawn``, the ``gloo`` backend, a rendezvous
   on a free localhost port) train it with ``DistributedDataParallel``: each process takes
   half of every global batch, and DDP averages the two gradients before each SGD step.
   On a cluster the same code runs with one process per GPU and ``nccl``.
3. The same steps run once more in this single process, on whole global batches: the
   weights agree to float rounding, which is what DDP promises (the two add the
   gradients in another order; over many steps training amplifies those last bits, to
   a few 1e-4 after 60 steps, while after a few steps they agree to 1e-8).
4. The trained weights come back into cnnlab (``load_weights``, strict), are saved as a
   trained model (``model.safetensors`` + ``model.json``, as ``cnnlab train`` writes),
   and ``cnnlab show`` draws the activation maps of every layer for one test image.

    python examples/train_ddp.py [--steps 60] [--batch-size 64] [--out ddp-run]
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from safetensors.torch import load_file, save_file
from torch.nn.parallel import DistributedDataParallel

from cnnlab.cli.main import main as cnnlab  # `cnnlab ARGS` in this process
from cnnlab.data import Normalize, shapes
from cnnlab.export import to_torch
from cnnlab.imageio import write_image
from cnnlab.jobs.bundle import TrainedModel, save_trained
from cnnlab.models import lenet5
from cnnlab.serialization import load_weights

SIZE = 28


def free_port() -> int:
    """A TCP port nobody listens on now (the rendezvous of the processes)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def exported_model(folder: Path) -> torch.nn.Module:
    """The exported network: ``model.py``'s ``build()``, filled from ``model.safetensors``."""
    spec = importlib.util.spec_from_file_location("exported_lenet5", folder / "model.py")
    code = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(code)
    return code.load_weights(code.build(), folder / "model.safetensors")


def train_steps(model, images, labels, batches, lr: float, share=slice(None)) -> None:
    """SGD over ``batches`` (index arrays into the data); this process's ``share`` of each."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    for batch in batches:
        mine = batch[share]
        optimizer.zero_grad()
        loss = loss_fn(model(images[mine]), labels[mine])
        loss.backward()  # under DDP: the gradients of all processes, averaged
        optimizer.step()


def worker(rank: int, world: int, port: int, folder: Path, data, batches, lr: float) -> None:
    """One process of the DDP run: join the group, train on its half, rank 0 saves."""
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank,
                            world_size=world)  # fmt: skip
    try:
        model = DistributedDataParallel(exported_model(folder))  # rank 0's weights everywhere
        per_rank = len(batches[0]) // world
        share = slice(rank * per_rank, (rank + 1) * per_rank)
        train_steps(model, *data, batches, lr, share)
        if rank == 0:
            save_file(model.module.state_dict(), str(folder / "ddp.safetensors"))
        dist.barrier()  # both done before the group goes: gloo aborts a peer torn down early
    finally:
        dist.destroy_process_group()


def run(out: Path, steps: int = 60, batch_size: int = 64, lr: float = 0.05, world: int = 2,
        seed: int = 0) -> dict:  # fmt: skip
    """Export, train with DDP and in one process, bring the weights back; return the facts."""
    out.mkdir(parents=True, exist_ok=True)
    if batch_size % world:
        raise ValueError(
            f"`--batch-size` must split evenly over {world} processes. "
            f"Received: batch_size={batch_size}."
        )
    data = shapes(steps * batch_size // 4 + 200, size=SIZE, rng=seed)
    test, train = data.split(200 / len(data), rng=seed)
    normalize = Normalize.from_images(train.images)
    images = torch.from_numpy(normalize(train.images))
    labels = torch.from_numpy(train.labels.astype(np.int64))
    order = np.random.default_rng(seed).permutation(steps * batch_size) % len(train)
    batches = [torch.from_numpy(b) for b in order.reshape(steps, batch_size)]

    model = lenet5(num_classes=train.num_classes, rng=seed)  # 1. cnnlab, exported to torch
    to_torch(model, out / "torch", (1, SIZE, SIZE))

    port = free_port()  # 2. DDP on `world` processes
    mp.spawn(worker, args=(world, port, out / "torch", (images, labels), batches, lr),
             nprocs=world, join=True)  # fmt: skip
    ddp = load_file(out / "torch" / "ddp.safetensors")

    single = exported_model(out / "torch")  # 3. the same steps in one process
    torch.set_num_threads(1)
    train_steps(single, images, labels, batches, lr)
    difference = max(float((ddp[k] - v).abs().max()) for k, v in single.state_dict().items())
    largest = max(float(v.abs().max()) for v in single.state_dict().values())

    load_weights(model, out / "torch" / "ddp.safetensors")  # 4. back into cnnlab
    arguments = {"num_classes": train.num_classes, "in_channels": 1, "input_size": SIZE}
    trained = TrainedModel(model, "lenet5", arguments, train.classes, train.sample_shape,
                           normalize)  # fmt: skip
    weights, _ = save_trained(trained, out / "model.safetensors")
    model.eval()
    accuracy = float(np.mean(model(normalize(test.images)).argmax(1) == test.labels))
    write_image(out / "test-image.png", test.images[0, 0])
    return {"difference": difference, "largest": largest, "accuracy": accuracy,
            "weights": weights, "image": out / "test-image.png"}  # fmt: skip


def show(weights: Path, image: Path, out: Path) -> int:
    """``cnnlab show WEIGHTS IMAGE -o OUT`` (in this process): the maps of every layer."""
    return cnnlab(["show", str(weights), str(image), "-o", str(out)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--out", type=Path, default=Path("ddp-run"))
    args = parser.parse_args()
    facts = run(args.out, args.steps, args.batch_size)
    print(f"DDP on 2 processes vs 1 process, same global batches: largest weight difference "
          f"{facts['difference']:.2e} (weights up to {facts['largest']:.2f})")  # fmt: skip
    print(f"test accuracy in cnnlab after {args.steps} steps: {facts['accuracy']:.1%}")
    print(f"trained model: {facts['weights']}")
    show(facts["weights"], facts["image"], args.out / "show")


if __name__ == "__main__":
    main()
