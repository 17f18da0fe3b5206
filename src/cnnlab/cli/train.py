"""``cnnlab train DATASET``: train a classifier and write weights, curves and history."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._validation import received
from ..jobs import DATASETS
from ..models import ARCHITECTURES
from .errors import UsageError
from .physics import PHYSICS, run_physics

HELP = (
    "train a CNN on a dataset (shapes, mnist, fashion-mnist, cifar10 or an image folder), "
    "or run a physics experiment (ising, spectra, fringes, gauge, photonic)"
)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("train", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("dataset", help=f"one of {', '.join(DATASETS + PHYSICS)}, or a folder "
                        "path with one sub-folder of images per class")  # fmt: skip
    parser.add_argument("--model", default="lenet5", choices=tuple(ARCHITECTURES))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=None,
                        help="image size (28), or the lattice size for ising (32)")  # fmt: skip
    parser.add_argument("--sizes", type=int, nargs="+", default=None,
                        help="ising: finite-size scaling over these lattice sides")  # fmt: skip
    parser.add_argument("--task", choices=("shape", "count"), default=None,
                        help="spectra: classify line shapes (default) or count peaks")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: cnnlab-<dataset>)")  # fmt: skip
    again = parser.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="continue from the checkpoint in the output folder")  # fmt: skip
    again.add_argument("--overwrite", action="store_true",
                       help="replace a model already trained in the output folder")  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs import train_classifier

    if args.size is not None and args.size < 1:
        raise UsageError(f"`--size` must be a positive int. {received(size=args.size)}")
    if args.dataset in PHYSICS:
        return run_physics(args.dataset, args)
    out = args.out or Path(f"cnnlab-{Path(args.dataset).name}")
    train_classifier(
        args.dataset,
        model=args.model,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        out=out,
        resume=args.resume,
        overwrite=args.overwrite,
        size=args.size,
    )
    return 0
