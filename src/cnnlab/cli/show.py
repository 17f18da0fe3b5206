"""``cnnlab show WEIGHTS IMAGE``: every layer's activation maps for one image, and the kernels."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "activation maps of every layer for one image, the kernels, and the top prediction"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("show", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument(
        "weights",
        type=Path,
        help="model.safetensors from `cnnlab train`, model.onnx, a zoo name or file.py:factory",
    )
    parser.add_argument("image", type=Path, help="an image file")
    parser.add_argument("-o", "--out", type=Path, default=Path("cnnlab-show"),
                        help="output folder (default: ./cnnlab-show)")  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..jobs import show_network

    shown = show_network(args.weights, args.image, args.out)
    print(f"{args.image}: {shown.top_class} ({shown.probability:.1%})")
    print(f"wrote {len(shown.activation_maps)} activation maps into {args.out / 'activations'}")
    print(f"wrote {len(shown.kernels)} kernel grids into {args.out / 'kernels'}")
    return 0
