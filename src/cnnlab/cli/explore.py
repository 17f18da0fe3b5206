"""``cnnlab explore [MODEL]``: a local page to look inside a network, until Ctrl-C."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .budget import check_model_budget
from .errors import UsageError, input_error, shape_argument

HELP = "a local page to look inside a network: maps, receptive fields, pooling, Grad-CAM, filters"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("explore", help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument(
        "model",
        nargs="?",
        default=None,
        help="a zoo name (lenet5, resnet18, ...), model.safetensors from `cnnlab train`, a "
        ".pth file with --model ARCH, or path/to/file.py:factory (default: the LeNet-5 of "
        "`cnnlab demo`, trained first if missing)",
    )
    parser.add_argument("--weights", type=Path, default=None,
                        help="a .pth or .safetensors file for the architecture MODEL")  # fmt: skip
    parser.add_argument("--model", dest="architecture", default=None,
                        help="the zoo architecture of a .pth file")  # fmt: skip
    parser.add_argument("--input", type=shape_argument, default=None,
                        help="input shape without the batch, e.g. 1x28x28")  # fmt: skip
    parser.add_argument("--image", type=Path, default=None, help="an image file to start with")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="only print the page's address")
    parser.set_defaults(run=run)


def model_and_architecture(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """MODEL and the architecture, with ``--weights`` folded in: ``resnet18 --weights f.pth``
    is ``f.pth --model resnet18``."""
    if args.weights is None:
        return args.model, args.architecture
    if args.model is not None and args.architecture is not None:
        raise UsageError("Give the architecture once: as MODEL or with --model, not both.")
    return str(args.weights), args.architecture or args.model


def check(args: argparse.Namespace) -> None:
    """The options' checks, and the memory the model's maps need, before it is built."""
    from ..jobs.look_inside import estimate_summary_bytes
    from ..models import ARCHITECTURES

    if not 0 <= args.port <= 65535:
        raise UsageError(
            f"`--port` must be in 0..65535 (0: a free one). Received: --port={args.port}."
        )
    model, _ = model_and_architecture(args)
    # every layer's output is kept for the current input: as much as a summary holds
    estimable = model in ARCHITECTURES or str(model).endswith(".safetensors")
    estimate = estimate_summary_bytes if estimable else lambda *_: 0
    check_model_budget(f"Exploring {model or 'the demo model'}", estimate, model, args.input)


def run(args: argparse.Namespace) -> int:
    from ..explore import explore
    from ..models import ARCHITECTURES

    check(args)
    model, architecture = model_and_architecture(args)
    try:
        explorer = explore(
            model, image=args.image, port=args.port, open_browser=not args.no_browser,
            input_shape=args.input, architecture=architecture,
        )  # fmt: skip
    except ValueError as error:  # a zoo model is built for the input: it may be too small
        raise (
            input_error(model, args.input, error) if model in ARCHITECTURES else error
        ) from error
    print(f"cnnlab explore: {explorer.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        explorer.close()
