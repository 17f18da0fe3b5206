"""The memory and time a command may ask for; past them it refuses before it starts.

A typo such as ``--sigma 1e6`` or ``--batch-size 1000000000`` would otherwise end in a
MemoryError traceback, the machine swapping, or a job that runs for hours. The commands
estimate what they need first (``filters.filter_cost``, ``jobs.estimate_summary_bytes``)
and `check_budget` refuses with the estimate in the message.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

from .._validation import received
from .errors import UsageError

#: Longest estimated run a command starts: a filter of minutes is a typo's sign.
TIME_LIMIT_SECONDS = 60.0
FALLBACK_MEMORY = 4 << 30  # where the machine's memory cannot be read


def memory_limit() -> int:
    """Half of this machine's physical memory, in bytes."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (AttributeError, ValueError, OSError):  # not a POSIX system
        return FALLBACK_MEMORY


def check_budget(doing: str, nbytes: float, seconds: float = 0.0, **values) -> None:
    """Refuse ``doing`` if it needs more memory or time than allowed; ``values`` are shown.

    >>> check_budget("Filtering", 2.0**50, **{"--sigma": 1e6})
    Traceback (most recent call last):
    ...
    cnnlab.cli.errors.UsageError: Filtering would need about 1.0 PiB of memory, more than ...
    """
    limit = memory_limit()
    if nbytes > limit:
        raise UsageError(
            f"{doing} would need about {format_bytes(nbytes)} of memory, more than the "
            f"{format_bytes(limit)} (half of this machine's) a command may use. "
            f"{received(**values)}"
        )
    if seconds > TIME_LIMIT_SECONDS:
        raise UsageError(
            f"{doing} would take about {format_seconds(seconds)}, more than the "
            f"{format_seconds(TIME_LIMIT_SECONDS)} a command may run. {received(**values)}"
        )


def check_model_budget(
    doing: str,
    estimate: Callable[..., int],
    model: str,
    input_shape: tuple[int, ...] | None,
    batch_size: int = 1,
) -> None:
    """Refuse ``doing`` (a summary or drawing of ``model``) if it would not fit in memory.

    The input alone is checked first (``4 * batch_size * prod(input_shape)`` bytes), then
    ``estimate(model, input_shape, batch_size)`` with its small trial runs, when the input
    is larger than one of 3x224x224 or the batch has more than one.
    """
    values = {"--input": "x".join(map(str, input_shape))} if input_shape else {}
    if batch_size > 1:
        values["--batch-size"] = batch_size
    size = math.prod(input_shape) if input_shape else 0
    check_budget(doing, 4 * batch_size * size, **values)
    if batch_size > 1 or size > 3 * 224 * 224:
        check_budget(doing, estimate(model, input_shape, batch_size), **values)


def format_bytes(nbytes: float) -> str:
    """``"19.3 GiB"``: bytes in the largest binary unit that keeps the number at least 1.

    >>> format_bytes(20743373056), format_bytes(512), format_bytes(1e300)
    ('19.3 GiB', '512 B', '8.7e+281 EiB')
    """
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    value, unit = float(nbytes), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    if unit == 0:
        return f"{value:.0f} B"
    return f"{value:.1f} {units[unit]}" if value < 10_000 else f"{value:.2g} {units[unit]}"


def format_seconds(seconds: float) -> str:
    """``"5 minutes"``, ``"10 hours"``, ``"3 days"``: a duration in a round unit.

    >>> format_seconds(300), format_seconds(36816.7), format_seconds(3e6)
    ('5 minutes', '10 hours', '35 days')
    """
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= 2 * length or (unit == "minute" and seconds >= length):
            count = round(seconds / length)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds:.0f} seconds"
