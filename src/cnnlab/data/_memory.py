"""Refusing an allocation that cannot fit, before making it, with the estimate in the message."""

from __future__ import annotations

import os

from .._validation import received

UNITS = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def physical_memory() -> int | None:
    """This machine's memory in bytes, or ``None`` where the system does not say (Windows)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def format_bytes(count: float) -> str:
    """``count`` bytes in binary units, three significant digits.

    >>> format_bytes(512), format_bytes(3 * 2**30), format_bytes(2.8e14)
    ('512 bytes', '3 GiB', '255 TiB')
    """
    unit = 0
    while count >= 1024 and unit < len(UNITS) - 1:
        count, unit = count / 1024, unit + 1
    return f"{count:.3g} {UNITS[unit]}"


def check_fits_in_memory(nbytes: int, what: str, **arguments: object) -> None:
    """Refuse ``what`` when it needs more than this machine's memory (``ValueError``).

    ``what`` names the work ("7000 images of 100000x100000 pixels"); ``arguments`` are the
    values the caller received, shown in the message.
    """
    total = physical_memory()
    if total is not None and nbytes > total:
        raise ValueError(
            f"{what} would need about {format_bytes(nbytes)} ({nbytes:,} bytes), more than "
            f"this machine's {format_bytes(total)} of memory. {received(**arguments)}"
        )
