"""``cnnlab export MODEL --to torch|onnx -o DIR``: the model for PyTorch or ONNX Runtime."""

from __future__ import annotations

import argparse
from pathlib import Path

from .budget import check_model_budget
from .errors import input_error, resolve_model_argument, shape_argument

HELP = "export a model as plain PyTorch code + weights (--to torch) or as ONNX (--to onnx)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("export", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument("model", help="a zoo name (lenet5, resnet18, ...) or model.safetensors")
    parser.add_argument("--weights", type=Path, default=None,
                        help="weights to load (.safetensors or torchvision .pth)")  # fmt: skip
    parser.add_argument("--input", type=shape_argument, default=None,
                        help="input shape without the batch, e.g. 1x28x28")  # fmt: skip
    parser.add_argument("--to", choices=("torch", "onnx"), required=True,
                        help="torch: model.py and model.safetensors; onnx: model.onnx")  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, default=Path("exported"),
                        help="the folder to write into (created if missing)")  # fmt: skip
    parser.set_defaults(run=run)


def check(args: argparse.Namespace) -> None:
    """The memory the export needs (one forward pass), before the model is built."""
    from ..jobs.look_inside import estimate_summary_bytes

    check_model_budget(f"Exporting {args.model}", estimate_summary_bytes, args.model, args.input)


def run(args: argparse.Namespace) -> int:
    from ..weights import load_state_into

    check(args)
    named = resolve_model_argument(args.model, args.input)
    if args.weights is not None:
        load_state_into(named.model, args.weights)
    if args.to == "torch":
        from ..export import trace_graph
        from ..export.torch_code import write_torch

        try:
            graph = trace_graph(named.model, named.input_shape)
        except ValueError as error:  # the model cannot run at that input
            raise input_error(args.model, args.input, error) from error
        paths = list(write_torch(graph, args.output).values())
    else:
        from ..export.onnx import to_onnx  # needs the onnx package (cnnlab[export])

        args.output.mkdir(parents=True, exist_ok=True)
        paths = [to_onnx(named.model, args.output / "model.onnx", named.input_shape)]
    for path in paths:
        print(f"wrote {path}")
    return 0
