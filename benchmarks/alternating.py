"""Timing two frameworks fairly on a shared machine: alternating blocks, with pauses.

Alternating blocks (``rounds`` of each) expose both runs to the same drift of the
machine's load; within a block one framework runs alone, after a pause and a warm-up, so
neither pays for the other's thread pool (BLAS, OpenMP) still spinning. The ratio of each
round's two blocks, taken minutes apart from the next round's, shows how far the
machine's drift moves the result: :func:`round_ratios`.

The warm-up lasts at least ``WARMUP_SECONDS``, not a fixed number of calls: after the
pause this machine runs slow for a while (caches cold, idle cores woken), and a step
of a few milliseconds needs many calls to get past that. Measured on LeNet-5's
training step (batch 64, 2 threads, median of 12 rounds), cnnlab took 9.2 ms on the
2nd call after a 0.5 s pause, 8.3 ms on calls 4 to 8 and 7.6 ms from the 16th on;
torch 5.9, 5.6 and 5.5 ms. The timed calls should be the steady state that a training
loop lives in, for both frameworks alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

PAUSE_SECONDS = 0.5  # lets the other framework's spinning threads go to sleep
WARMUP_SECONDS = 0.25  # then each block warms up for at least this long
BLOCK_SECONDS = 0.5  # and times calls for at least this long (more calls of a fast step)


def alternate(
    first: Callable[[], object],
    second: Callable[[], object],
    runs: int,
    rounds: int = 3,
    warmup: int = 1,
) -> tuple[list[float], list[float]]:
    """Milliseconds of at least ``runs`` calls each of ``first`` and ``second``, by blocks.

    All rounds of :func:`alternate_rounds` together.
    """
    by_round = alternate_rounds(first, second, runs, rounds, warmup)
    return tuple([t for times in by_round for t in times[i]] for i in (0, 1))  # type: ignore[return-value]


def alternate_rounds(
    first: Callable[[], object],
    second: Callable[[], object],
    runs: int,
    rounds: int = 3,
    warmup: int = 1,
) -> list[tuple[list[float], list[float]]]:
    """Each round's milliseconds of ``first``'s calls and then ``second``'s.

    In each round each runs one block: a pause, a warm-up of at least ``warmup`` calls
    and ``WARMUP_SECONDS``, then at least ``runs / rounds`` timed calls and
    ``BLOCK_SECONDS``: a step of a few milliseconds gets many calls, so that a moment's
    drift of the machine weighs less on its median.
    """
    per_round = -(-runs // rounds)
    by_round = []
    for _ in range(rounds):
        times: tuple[list[float], list[float]] = ([], [])
        for run, record in zip((first, second), times, strict=True):
            time.sleep(PAUSE_SECONDS)
            warm_until = time.perf_counter() + WARMUP_SECONDS
            calls = 0
            while calls < warmup or time.perf_counter() < warm_until:
                run()
                calls += 1
            block_until = time.perf_counter() + BLOCK_SECONDS
            calls = 0
            while calls < per_round or time.perf_counter() < block_until:
                start = time.perf_counter()
                run()
                record.append((time.perf_counter() - start) * 1e3)
                calls += 1
        by_round.append(times)
    return by_round


def round_ratios(by_round: list[tuple[list[float], list[float]]]) -> list[float]:
    """Each round's median time of ``first`` over that of ``second`` (from
    :func:`alternate_rounds`).

    >>> round_ratios([([2, 2], [1, 1]), ([3, 3, 3], [1, 1])])
    [2.0, 3.0]
    """
    return [statistics.median(a) / statistics.median(b) for a, b in by_round]
