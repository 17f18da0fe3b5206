"""Errors of the command line, and argument types that report them clearly."""

import argparse


class UsageError(Exception):
    """Bad command-line input: reported as one line on stderr with exit status 2."""


def shape_argument(text: str) -> tuple[int, ...]:
    """An ``--input 1x28x28`` argument; a bad one is reported in cnnlab's words."""
    from ..jobs import parse_shape

    try:
        return parse_shape(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
