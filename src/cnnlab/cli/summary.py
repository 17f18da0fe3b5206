"""``cnnlab summary MODEL``: layers, shapes, parameters, MACs and receptive fields."""

from __future__ import annotations

import argparse

from .budget import check_model_budget
from .errors import (
    check_int,
    check_positive_number,
    resolve_model_argument,
    shape_argument,
)

HELP = "table of layers: output shape, parameters, MACs, receptive field"
FORMATS = ("table", "markdown", "csv", "json")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("summary", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("model", help="lenet5, small_vgg, or model.safetensors from cnnlab train")
    parser.add_argument("--input", type=shape_argument, default=None,
                        help="input shape without the batch, e.g. 1x28x28")  # fmt: skip
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--spacing", type=float, default=None,
                        help="sample spacing, to show fields in physical units")  # fmt: skip
    parser.add_argument("--unit", default=None, help="unit of --spacing, e.g. nm or px")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(run=run)


def check(args: argparse.Namespace) -> None:
    """The options' checks, and the memory the summary needs, before the model is built."""
    from ..jobs.look_inside import estimate_summary_bytes

    check_int("--batch-size", args.batch_size, minimum=1)
    if args.spacing is not None:
        check_positive_number("--spacing", args.spacing)
    doing, shape = f"Summarising {args.model}", args.input
    check_model_budget(doing, estimate_summary_bytes, args.model, shape, args.batch_size)


def run(args: argparse.Namespace) -> int:
    from ..inspect import summary

    check(args)
    named = resolve_model_argument(args.model, args.input)
    spacing = None
    if args.spacing is not None:
        spacing = (args.spacing, args.unit) if args.unit else args.spacing
    table = summary(named.model, named.input_shape, batch_size=args.batch_size, spacing=spacing)
    if args.format == "table":
        table.print()
    else:
        exporter = {"markdown": table.to_markdown, "csv": table.to_csv, "json": table.to_json}
        print(exporter[args.format]())
    return 1 if table.error else 0
