"""``cnnlab predict WEIGHTS IMAGE...``: the top class and its probability per image."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "classify images with a model written by `cnnlab train`"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("predict", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("weights", type=Path, help="model.safetensors from `cnnlab train`")
    parser.add_argument("images", type=Path, nargs="+", help="image files")
    parser.add_argument("--top", type=int, default=1, help="how many classes to show")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs import predict_images

    for prediction in predict_images(args.weights, args.images, top=args.top):
        print(prediction)
    return 0
