"""``cnnlab draw MODEL``: the classic schematic of a network, as SVG or PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

from .errors import shape_argument

HELP = "draw the architecture as a schematic (SVG or PNG by the file's suffix)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("draw", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("model", help="lenet5, small_vgg, or model.safetensors from cnnlab train")
    parser.add_argument("--input", type=shape_argument, default=None,
                        help="input shape without the batch, e.g. 1x28x28")  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, default=Path("net.svg"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs import resolve_model
    from ..viz import draw

    named = resolve_model(args.model, args.input)
    print(f"wrote {draw(named.model, named.input_shape, args.output)}")
    return 0
