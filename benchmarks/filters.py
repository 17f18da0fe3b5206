"""Time cnnlab.filters against SciPy (and OpenCV where installed) on float32 images.

    python benchmarks/filters.py

Convolution of 512x512 and 2048x2048 images with random (non-separable) 3x3, 7x7 and 31x31
kernels against ``scipy.ndimage.convolve``, ``scipy.signal.convolve`` (method 'auto', mode
'same') and ``cv2.filter2D``; the 3x3 and 7x7 median against ``scipy.ndimage.median_filter``.
Contenders run in turn within each repeat, so a busy machine slows them alike; the table
shows the median time of the repeats and cnnlab's time divided by each peer's.

Targets (from the filters issue): cnnlab no slower than the faster of ndimage and signal
for every convolution, at most half of ndimage's time for 3x3 kernels, and no slower than
``median_filter``. OpenCV is shown for reference only.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import scipy
import scipy.ndimage as ndi
import scipy.signal as signal

from cnnlab import filters

try:
    import cv2
except ImportError:  # OpenCV is optional
    cv2 = None

SIZES = (512, 2048)
KERNEL_SIZES = (3, 7, 31)
MEDIAN_SIZES = (3, 7)
SLOW_SECONDS = 1.0  # a contender slower than this (in its warm-up run) runs two repeats


def seconds(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def race(contenders: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each contender over ``repeats`` rounds, taking turns within a round."""
    warm_up = {name: seconds(function) for name, function in contenders.items()}
    slow = {name for name, took in warm_up.items() if took > SLOW_SECONDS}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for round_ in range(repeats):
        names = list(contenders)
        names = names[round_ % len(names) :] + names[: round_ % len(names)]  # rotate the order
        for name in names:
            if name in slow and len(times[name]) >= 2:
                continue
            times[name].append(seconds(contenders[name]))
    return {name: statistics.median(values) for name, values in times.items()}


def convolution_row(size: int, k: int, rng: np.random.Generator) -> dict:
    image = rng.random((size, size), dtype=np.float32)
    kernel = rng.standard_normal((k, k)).astype(np.float32)
    assert np.linalg.matrix_rank(kernel) > 1, "the kernel must not be separable"
    # Away from the border the mode does not matter: check against scipy.signal there.
    inner = (slice(k, -k), slice(k, -k))
    ours = filters.convolve(image, kernel)[inner]
    reference = signal.convolve(image.astype(np.float64), kernel.astype(np.float64), mode="same")
    scale = np.abs(kernel).sum()
    assert np.allclose(ours, reference[inner], atol=1e-5 * scale), "cnnlab disagrees"
    contenders = {
        "cnnlab": lambda: filters.convolve(image, kernel),
        "ndimage": lambda: ndi.convolve(image, kernel),
        "signal": lambda: signal.convolve(image, kernel, mode="same", method="auto"),
    }
    if cv2 is not None:
        contenders["cv2"] = lambda: cv2.filter2D(image, -1, kernel)
    repeats = 3 if size * size * k * k > 1e9 else 7
    times = race(contenders, repeats)
    best_scipy = min(times["ndimage"], times["signal"])
    goals = [("<= min(ndimage, signal)", times["cnnlab"] <= best_scipy)]
    if k == 3:
        goals.append(("<= ndimage / 2", times["cnnlab"] <= times["ndimage"] / 2))
    return {"case": f"convolve {size}^2 {k}x{k}", "times": times, "goals": goals}


def median_row(size: int, k: int, rng: np.random.Generator) -> dict:
    image = rng.random((size, size), dtype=np.float32)
    corner = image[:256, :256]
    assert np.array_equal(filters.median(corner, k), ndi.median_filter(corner, k))
    contenders = {
        "cnnlab": lambda: filters.median(image, k),
        "ndimage": lambda: ndi.median_filter(image, k),
    }
    if cv2 is not None and k in (3, 5):  # cv2.medianBlur takes float32 only up to 5x5
        contenders["cv2"] = lambda: cv2.medianBlur(image, k)
    times = race(contenders, 5 if size <= 512 else 3)
    goals = [("<= median_filter", times["cnnlab"] <= times["ndimage"])]
    return {"case": f"median   {size}^2 {k}x{k}", "times": times, "goals": goals}


def print_table(rows: list[dict]) -> None:
    peers = ["ndimage", "signal", "cv2"]
    header = f"{'case':<24}{'cnnlab ms':>11}"
    header += "".join(f"{peer + ' ms':>12}" for peer in peers)
    header += "".join(f"{'/' + peer:>10}" for peer in peers) + "  targets"
    print(header)
    print("-" * len(header))
    for row in rows:
        times = row["times"]
        line = f"{row['case']:<24}{times['cnnlab'] * 1e3:>11.2f}"
        line += "".join(f"{times[p] * 1e3:>12.2f}" if p in times else f"{'-':>12}" for p in peers)
        line += "".join(
            f"{times['cnnlab'] / times[p]:>10.2f}" if p in times else f"{'-':>10}" for p in peers
        )
        goals = ", ".join(f"{goal} {'met' if ok else 'MISSED'}" for goal, ok in row["goals"])
        print(f"{line}  {goals}")


def main() -> None:
    print(
        f"numpy {np.__version__}, scipy {scipy.__version__}, "
        f"opencv {cv2.__version__ if cv2 is not None else 'not installed'}, "
        f"python {platform.python_version()}, {os.cpu_count()} CPUs; float32 images, "
        "mode 'reflect' (signal: zero padding); median of the repeats"
    )
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    rows = [convolution_row(size, k, rng) for size in SIZES for k in KERNEL_SIZES]
    rows += [median_row(size, k, rng) for size in SIZES for k in MEDIAN_SIZES]
    print_table(rows)
    met = sum(ok for row in rows for _, ok in row["goals"])
    total = sum(len(row["goals"]) for row in rows)
    print(f"\n{met} of {total} targets met in {time.perf_counter() - start:.0f} s.")


if __name__ == "__main__":
    main()
