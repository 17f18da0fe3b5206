"""The errors a weights file can give: one line each, naming the file and what is wrong.

A weights file may come from anywhere, so every way it can be damaged or crafted ends in
a :class:`WeightsFileError` (a ``ValueError``, which the command line prints as one line),
never in a traceback from ``zipfile``, ``pickle`` or NumPy.
"""

from __future__ import annotations

import reprlib

LONGEST_DETAIL = 200  # characters of a library's own message quoted in ours


class WeightsFileError(ValueError):
    """A weights file (or the model description beside it) is damaged or crafted."""


class UnsafeCheckpointError(WeightsFileError):
    """A checkpoint's pickle names a function that a state dict does not need."""


def short_repr(value: object) -> str:
    """``repr`` cut to a readable length and depth (a crafted value may be huge or deep).

    >>> short_repr(list(range(100)))
    '[0, 1, 2, 3, 4, 5, ...]'
    """
    return reprlib.repr(value)


def one_line(error: BaseException) -> str:
    """An exception's type and message on one line, cut to ``LONGEST_DETAIL`` characters.

    >>> one_line(EOFError("Ran out\\nof input"))
    'EOFError: Ran out of input'
    """
    text = " ".join(str(error).split())
    if len(text) > LONGEST_DETAIL:
        text = text[: LONGEST_DETAIL - 3] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
