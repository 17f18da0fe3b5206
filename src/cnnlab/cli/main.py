"""Argument parsing and error handling shared by every sub-command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..train import TrainingInterrupted
from . import demo, draw, filter, guess, kernels, predict, show, summary, train, weights
from .errors import UsageError, error_message

COMMANDS = (demo, train, predict, guess, weights, summary, show, draw, filter, kernels)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cnnlab",
        description="A convolutional-neural-network laboratory on NumPy.",
    )
    parser.add_argument("--version", action="version", version=f"cnnlab {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except BrokenPipeError:  # e.g. `cnnlab kernels | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except TrainingInterrupted as interrupted:
        print(f"cnnlab {args.command}: {interrupted}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("cnnlab: interrupted", file=sys.stderr)
        return 130
    except (UsageError, ValueError, TypeError, OSError) as error:
        if os.environ.get("CNNLAB_DEBUG"):
            raise
        print(error_message(args.command, error), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
