"""Timing two frameworks fairly on a shared machine: alternating blocks, with pauses.

Alternating blocks (``rounds`` of each) expose both runs to the same drift of the
machine's load; within a block one framework runs alone, after a pause and a warm-up, so
neither pays for the other's thread pool (BLAS, OpenMP) still spinning. The ratio of each
round's two blocks, taken minutes apart from the next round's, shows how far the
machine's drift moves the result: :func:`round_ratios`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

PAUSE_SECONDS = 0.5  # lets the other framework's spinning threads go to sleep


def alternate(
    first: Callable[[], object],
    second: Callable[[], object],
    runs: int,
    rounds: int = 3,
    warmup: int = 1,
) -> tuple[list[float], list[float]]:
    """Milliseconds of about ``runs`` calls each of ``first`` and ``second``, block by block."""
    times: tuple[list[float], list[float]] = ([], [])
    per_round = -(-runs // rounds)
    for _ in range(rounds):
        for run, record in zip((first, second), times, strict=True):
            time.sleep(PAUSE_SECONDS)
            for _ in range(warmup):
                run()
            for _ in range(per_round):
                start = time.perf_counter()
                run()
                record.append((time.perf_counter() - start) * 1e3)
    return times


def round_ratios(first: list[float], second: list[float], rounds: int) -> list[float]:
    """Each round's median time of ``first`` over that of ``second`` (from :func:`alternate`).

    >>> round_ratios([2, 2, 3, 3], [1, 1, 1, 1], rounds=2)
    [2.0, 3.0]
    """
    per_round = len(first) // rounds
    return [
        statistics.median(first[r * per_round : (r + 1) * per_round])
        / statistics.median(second[r * per_round : (r + 1) * per_round])
        for r in range(rounds)
    ]
