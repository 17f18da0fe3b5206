"""Freed memory kept for reuse: fresh big arrays stop costing page faults."""

import os
import platform
import subprocess
import sys

import pytest

from cnnlab import memory

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"

FAULTS = """
import resource, numpy as np
import sys
import cnnlab
if sys.argv[1] == "keep":
    cnnlab.keep_freed_memory()
def step():  # like a layer's outputs and gradients: six 8 MB arrays, then all freed
    arrays = [np.ones(1_000_000) for _ in range(6)]
for _ in range(3):
    step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    step()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
"""


def faults_per_array(call: str = "keep", **environment) -> float:
    env = {k: v for k, v in os.environ.items() if k not in memory.USER_SETTINGS}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", FAULTS, call], env=env, capture_output=True, text=True, check=True
    )
    return float(result.stdout)


@pytest.mark.skipif(not GLIBC, reason="malloc's thresholds are glibc's")
def test_freed_arrays_are_reused_without_page_faults():
    kept = faults_per_array()
    returned = faults_per_array(CNNLAB_KEEP_FREED_MEMORY="0")
    assert kept < 10  # the same heap memory again
    assert returned > 20  # fresh pages (4 kB, or 2 MB huge pages) for some of the arrays


@pytest.mark.skipif(not GLIBC, reason="malloc's thresholds are glibc's")
def test_importing_cnnlab_leaves_malloc_as_it_is():
    assert faults_per_array(call="none") > 20


def test_the_users_own_malloc_settings_are_left_alone(monkeypatch):
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "1000000")
    assert memory.keep_freed_memory() is False
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_")
    monkeypatch.setenv("CNNLAB_KEEP_FREED_MEMORY", "0")
    assert memory.keep_freed_memory() is False
