"""Freed memory kept for reuse: a training step allocates the same big arrays every time.

Each layer makes fresh output and gradient arrays every step (megabytes each). glibc's
``malloc`` hands such blocks back to the kernel when they are freed (they are mapped on
their own, or trimmed off the top of the heap), so the next step gets fresh pages, and
the kernel must fault in and zero every page again. On the small VGG's training step
that was about 1,160 page faults and 11 ms of system time per step (a tenth of the
step). :func:`keep_freed_memory` raises glibc's two thresholds so those blocks stay in
the heap and are reused:

- ``M_MMAP_THRESHOLD`` to 32 MiB (glibc's maximum): smaller blocks come from the heap;
- ``M_TRIM_THRESHOLD`` to 256 MiB: up to that much free memory stays at the heap's top.

The process then holds on to freed memory up to those sizes instead of returning it at
once. This is a setting of the whole process, so importing cnnlab leaves it alone: the
command line (``cnnlab train``, ``demo``, ``predict``, ``guess``) calls
:func:`keep_freed_memory` before it works, and a script or notebook that trains may call
it once too (``cnnlab.keep_freed_memory()``). With ``CNNLAB_KEEP_FREED_MEMORY=0`` the call
leaves ``malloc`` as it is; so it does where glibc's own ``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_`` or ``GLIBC_TUNABLES`` are set, and off glibc (macOS, Windows,
musl).
"""

from __future__ import annotations

import ctypes
import os
import platform

__all__ = ["keep_freed_memory"]

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameter numbers (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 << 20  # the largest glibc accepts on 64-bit systems
TRIM_THRESHOLD_BYTES = 256 << 20
USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds (see the module's text); True if it did.

    >>> keep_freed_memory() in (True, False)
    True
    """
    if os.environ.get("CNNLAB_KEEP_FREED_MEMORY", "1").strip() == "0":
        return False
    if any(name in os.environ for name in USER_SETTINGS):
        return False
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    done = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
    return mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1 and done
