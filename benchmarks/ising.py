"""Ising sampler speed: Metropolis, Wolff and Swendsen-Wang updates per second; a dataset's time.

Run: python benchmarks/ising.py   (goal: 20 temperatures x 200 lattices at L=32 < 60 s)
"""

from __future__ import annotations

import time

import numpy as np

from cnnlab.physics import TC, metropolis_sweep, sample_ising, swendsen_wang_update, wolff_update
from cnnlab.physics.updates import checkerboard


def sweeps_per_second(update, size: int, chains: int, repeats: int) -> float:
    rng = np.random.default_rng(0)
    spins = np.where(rng.random((chains, size, size)) < 0.5, 1, -1).astype(np.int8)
    betas = np.full(chains, 1 / TC)
    update(spins, betas, rng)  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        update(spins, betas, rng)
    return chains * repeats / (time.perf_counter() - start)


def main() -> None:
    print(f"{'update':<14} {'L':>3} {'chain-sweeps/s':>15} {'spin-updates/s':>15}")
    for size in (16, 32):
        masks = checkerboard(size)
        metropolis = sweeps_per_second(
            lambda s, b, r, m=masks: metropolis_sweep(s, b, r, m), size, 1000, 20
        )
        wolff = sweeps_per_second(wolff_update, size, 200, 5)
        cluster = sweeps_per_second(swendsen_wang_update, size, 200, 5)
        for name, rate in (
            ("metropolis", metropolis),
            ("wolff", wolff),
            ("swendsen-wang", cluster),
        ):
            print(f"{name:<14} {size:>3} {rate:>15,.0f} {rate * size * size:>15.3g}")
    start = time.perf_counter()
    sample_ising(np.linspace(1.0, 3.6, 20), size=32, per_temperature=200, chains=50, cache=False)
    seconds = time.perf_counter() - start
    print(f"20 temperatures x 200 lattices at L=32 (defaults): {seconds:.1f} s (goal < 60 s)")


if __name__ == "__main__":
    main()
