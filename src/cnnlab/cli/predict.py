"""``cnnlab predict WEIGHTS IMAGE...``: the top class and its probability per image."""

from __future__ import annotations

import argparse
from pathlib import Path

from .errors import UsageError, check_int

HELP = "classify images with a model written by `cnnlab train`"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("predict", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("weights", type=Path, help="model.safetensors from `cnnlab train`")
    parser.add_argument("images", type=Path, nargs="+", help="image files")
    parser.add_argument("--top", type=int, default=1, help="how many classes to show")
    parser.set_defaults(run=run)


def check(args: argparse.Namespace) -> None:
    """The options' checks, before the model is loaded."""
    check_int("--top", args.top, minimum=1)


def run(args: argparse.Namespace) -> int:
    from ..jobs.predict import Unreadable, predict_images

    check(args)
    results = predict_images(args.weights, args.images, top=args.top, on_error="keep")
    unreadable = [result for result in results if isinstance(result, Unreadable)]
    for result in results:
        if not isinstance(result, Unreadable):
            print(result, flush=True)
    if len(unreadable) == 1:
        raise UsageError(str(unreadable[0]))
    if unreadable:
        reasons = "".join(f"\n  {result}" for result in unreadable)
        raise UsageError(f"{len(unreadable)} of {len(results)} images could not be read:{reasons}")
    return 0
