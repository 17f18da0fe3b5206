"""``cnnlab demo``: the offline tour on built-in data."""

from __future__ import annotations

import argparse
from pathlib import Path

from .errors import UsageError, check_int

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


def check(args: argparse.Namespace) -> None:
    """The options' checks, before anything is computed or written."""
    check_int("--epochs", args.epochs, minimum=1)
    check_int("--seed", args.seed, minimum=0)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"`--out` must be a folder, but a file has that name: {args.out}")


def run(args: argparse.Namespace) -> int:
    from ..tour import run_demo

    check(args)
    run_demo(args.out, epochs=args.epochs, seed=args.seed)
    return 0
