"""``cnnlab draw MODEL``: the classic schematic of a network, as SVG or PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

from .budget import check_model_budget
from .errors import input_error, resolve_model_argument, shape_argument

HELP = "draw the architecture as a schematic (SVG or PNG by the file's suffix)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("draw", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("model", help="lenet5, small_vgg, or model.safetensors from cnnlab train")
    parser.add_argument("--input", type=shape_argument, default=None,
                        help="input shape without the batch, e.g. 1x28x28")  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, default=Path("net.svg"))
    parser.set_defaults(run=run)


def check(args: argparse.Namespace) -> None:
    """The options' checks, and the memory the drawing needs, before the model is built."""
    from ..jobs.look_inside import estimate_summary_bytes
    from ..viz import check_figure_path

    check_figure_path(args.output, name="-o")
    check_model_budget(f"Drawing {args.model}", estimate_summary_bytes, args.model, args.input)


def run(args: argparse.Namespace) -> int:
    from ..viz import draw

    check(args)
    named = resolve_model_argument(args.model, args.input)
    try:
        path = draw(named.model, named.input_shape, args.output)
    except ValueError as error:  # the model cannot run at that input
        raise input_error(args.model, args.input, error) from error
    print(f"wrote {path}")
    return 0
