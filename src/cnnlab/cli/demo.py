"""``cnnlab demo``: the offline tour on built-in data."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "offline tour on built-in data: filters a picture, trains LeNet-5, writes a report"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("demo", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("cnnlab-demo"),
        help="folder for the pictures (default: ./cnnlab-demo)",
    )
    parser.add_argument("--epochs", type=int, default=6, help="training epochs (default 6)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and weights")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..tour import run_demo

    run_demo(args.out, epochs=args.epochs, seed=args.seed)
    return 0
