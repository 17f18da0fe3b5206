"""``cnnlab guess IMAGE...``: what each image shows, in the ResNeXt guesser bot's words."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .._validation import closest_names, received
from .errors import UsageError, check_int

HELP = "guess what images show with an ImageNet network (or a model from `cnnlab train`)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("guess", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("images", type=Path, nargs="+", help="image files (JPEG, PNG, GIF, WebP)")
    parser.add_argument(
        "--model", default="resnext50_32x4d", help="architecture (default resnext50_32x4d)"
    )
    parser.add_argument(
        "--weights",
        default=None,
        help="known weights name (`cnnlab weights list`), a .pth/.safetensors file, or "
        "model.safetensors from `cnnlab train` (default: the model's best ImageNet weights)",
    )
    parser.add_argument("--top", type=int, default=1, help="also list the top K classes")
    parser.add_argument("--json", action="store_true", help="print the guesses as JSON")
    parser.add_argument(
        "--tta",
        action="store_true",
        help="average over test-time views (mirror, rotations, perspective changes)",
    )
    parser.set_defaults(run=run)


def check(args: argparse.Namespace) -> None:
    """The options' checks, before any weights are loaded or downloaded."""
    from ..models import ARCHITECTURES
    from ..weights import KNOWN_WEIGHTS

    check_int("--top", args.top, minimum=1)
    models = tuple(dict.fromkeys((*ARCHITECTURES, *KNOWN_WEIGHTS)))
    if args.model not in models:
        hint = closest_names(args.model, models)
        suggestion = f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""
        raise UsageError(
            f"Unknown model {args.model!r}{suggestion}: `--model` is one of "
            f"{', '.join(ARCHITECTURES)}. {received(**{'--model': args.model})}"
        )


def run(args: argparse.Namespace) -> int:
    from ..guessing import Guesser

    check(args)
    guesser = Guesser.load(args.model, args.weights)
    results = []
    for i, image in enumerate(args.images):
        result = guesser.guess(image, top=args.top, tta=args.tta)
        if args.json:
            results.append(result.to_dict())
            continue
        if len(args.images) > 1:
            print(("\n" if i else "") + f"{image}:")
        print(result)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0
