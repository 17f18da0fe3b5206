"""Errors of the command line, and argument types that report them clearly."""

import argparse
import math

from .._validation import received

#: Lines after an error's first that are printed (the list of what mismatched); more are cut.
MAX_DETAIL_LINES = 15


class UsageError(Exception):
    """Bad command-line input: reported as one line on stderr with exit status 2."""


def check_int(option: str, value: int, minimum: int = 0) -> int:
    """An int option's value, at least ``minimum`` (0 or 1); otherwise a UsageError.

    >>> check_int("--top", 0, minimum=1)
    Traceback (most recent call last):
    ...
    cnnlab.cli.errors.UsageError: `--top` must be a positive int. Received: --top=0.
    """
    if value < minimum:
        wanted = "a positive int" if minimum == 1 else f"an int of at least {minimum}"
        wanted = "a non-negative int" if minimum == 0 else wanted
        raise UsageError(f"`{option}` must be {wanted}. {received(**{option: value})}")
    return value


def check_positive_number(option: str, value: float) -> float:
    """A float option's value, finite and above 0; otherwise a UsageError.

    >>> check_positive_number("--sigma", float("nan"))
    Traceback (most recent call last):
    ...
    cnnlab.cli.errors.UsageError: `--sigma` must be a positive finite number. Received: --sigma=nan.
    """
    if not (math.isfinite(value) and value > 0):
        raise UsageError(
            f"`{option}` must be a positive finite number. {received(**{option: value})}"
        )
    return value


def input_error(model: str, shape: tuple[int, ...] | None, error: ValueError) -> Exception:
    """``error`` of ``model`` run at ``--input shape``, reworded to name the option.

    >>> input_error("lenet5", (1, 2, 2), ValueError("`input_size` must be at least 12."))
    UsageError('`--input` 1x2x2 does not fit lenet5: `input_size` must be at least 12.')
    """
    if shape is None or isinstance(error, UsageError):
        return error
    return UsageError(f"`--input` {'x'.join(map(str, shape))} does not fit {model}: {error}")


def resolve_model_argument(model: str, shape: tuple[int, ...] | None):
    """The MODEL argument resolved at ``--input shape`` (:func:`cnnlab.jobs.resolve_model`).

    A zoo model is built for the input and may refuse it: that message names ``--input``.
    """
    from ..jobs import resolve_model
    from ..models import ARCHITECTURES

    try:
        return resolve_model(model, shape)
    except ValueError as error:
        raise (input_error(model, shape, error) if model in ARCHITECTURES else error) from error


def shape_argument(text: str) -> tuple[int, ...]:
    """An ``--input 1x28x28`` argument; a bad one is reported in cnnlab's words."""
    from ..jobs import parse_shape  # here: `cnnlab --help` needs none of jobs

    try:
        return parse_shape(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def error_message(command: str, error: BaseException) -> str:
    """What ``cnnlab COMMAND`` prints for ``error``: one line, then its detail lines.

    The detail lines are those an error lists below its first (e.g. the weights that do not
    match a model), at most `MAX_DETAIL_LINES` of them; a longer list ends in "... and N
    more".

    >>> print(error_message("show", ValueError("No match:\\n  a\\n  b")))
    cnnlab show: error: No match:
      a
      b
    >>> error = ValueError("Missing:" + "".join(f"\\n  w{i}" for i in range(40)))
    >>> error_message("show", error).splitlines()[-1]
    '  ... and 26 more'
    """
    lines = [line for line in str(error).splitlines() if line.strip()]
    head, details = (lines[0], lines[1:]) if lines else (type(error).__name__, [])
    if len(details) > MAX_DETAIL_LINES:
        shown = MAX_DETAIL_LINES - 1
        indent = details[shown][: len(details[shown]) - len(details[shown].lstrip())]
        details = [*details[:shown], f"{indent}... and {len(details) - shown} more"]
    return "\n".join([f"cnnlab {command}: error: {head}", *details])
