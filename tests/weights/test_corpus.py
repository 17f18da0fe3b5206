"""Issue 16's corpus: crafted weights files, all loaded in one subprocess under a 1 GB
address-space limit; each must be refused in one line naming the file, with memory
bounded by the file's size, nothing run, and a good file loading the same after each."""

import json
import os
import resource
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import torch

from weights.corpus import bundle_cases, flip_cases, good_state, pth_cases, safetensors_cases

ADDRESS_SPACE = 1 << 30
RUNNER = Path(__file__).with_name("_load_many.py")
FLIPS = 30


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    marker = folder / "payload-ran"
    good = folder / "good.pth"
    torch.save(good_state(), good)
    good_bundle, bundles = bundle_cases(folder)
    cases = [*pth_cases(folder, marker), *flip_cases(folder, good, FLIPS)]
    cases += [*safetensors_cases(folder), *bundles]
    jobs = [{"name": "good", "kind": "pth", "path": str(good)}]
    jobs.append({"name": "good-bundle", "kind": "bundle", "path": str(good_bundle)})
    jobs += [{"name": c.name, "kind": c.kind, "path": str(c.path)} for c in cases]
    jobs_file = folder / "jobs.json"
    jobs_file.write_text(json.dumps(jobs))
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    finished = subprocess.run(
        [sys.executable, str(RUNNER), str(jobs_file)],
        capture_output=True, text=True, preexec_fn=limited, env=environment, timeout=300,
    )  # fmt: skip
    lines = [json.loads(line) for line in finished.stdout.splitlines()]
    assert finished.returncode == 0 and len(lines) == len(jobs), finished.stderr[-3000:]
    results = {line["name"]: line for line in lines}
    return cases, results, marker


def test_the_corpus_has_over_100_files_in_every_category(corpus):
    cases, _, _ = corpus
    counts = Counter(case.category for case in cases)
    assert len(cases) >= 100
    assert set(counts) == {"poisoning", "code", "memory", "damage", "flip", "safetensors",
                           "model.json"}  # fmt: skip


def test_good_files_load_the_same_before_and_after_every_crafted_one(corpus):
    cases, results, _ = corpus
    good = results["good"]
    assert good["outcome"] == "loaded" and results["good-bundle"]["outcome"] == "loaded"
    changed = [name for name, line in results.items() if line["good_after"] != good["digest"]]
    assert not changed


def test_every_crafted_file_is_refused_in_one_line_naming_it(corpus):
    cases, results, _ = corpus
    wrong = []
    for case in cases:
        line = results[case.name]
        if case.may_load and line["outcome"] == "loaded":
            if line["digest"] != results["good"]["digest"]:
                wrong.append((case.name, "loaded different values"))
            continue
        message = line.get("message", "")
        if line["outcome"] != "refused" or "\n" in message or case.path.stem not in message:
            wrong.append((case.name, line["outcome"], line.get("error"), message[:300]))
        elif "MemoryError" in message:
            wrong.append((case.name, "refused only when memory ran out", message[:300]))
    assert not wrong


def test_nothing_in_a_crafted_file_runs(corpus):
    _, _, marker = corpus
    assert not marker.exists()


def test_memory_is_bounded_by_what_each_file_holds(corpus):
    cases, results, _ = corpus
    over = []
    for case in cases:
        held = case.path.stat().st_size
        if case.kind == "bundle":
            held += case.path.with_suffix(".json").stat().st_size
        if results[case.name]["peak"] > 64 * held + (8 << 20):
            over.append((case.name, held, results[case.name]["peak"]))
    assert not over
