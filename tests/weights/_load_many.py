"""Load many weights files in one process and print one JSON line per file (a test helper).

``python _load_many.py JOBS.json`` where the file lists ``{"name", "kind", "path"}``
jobs; ``kind`` is ``pth`` / ``safetensors`` (``cnnlab.weights.load_state``) or ``bundle``
(``cnnlab.jobs.load_trained``). The first job is the good file: it is loaded again after
every other one, and its digest reported, so a file that changes how later files load
shows. Each line also gives the peak of memory traced while that file loaded (NumPy
reports its arrays to ``tracemalloc``). The caller sets the address-space limit.
"""

import hashlib
import json
import sys
import tracemalloc

import numpy as np

from cnnlab.jobs import load_trained
from cnnlab.weights import WeightsFileError, load_state


def load(kind: str, path: str) -> dict[str, np.ndarray]:
    if kind == "bundle":
        return load_trained(path).model.state_dict()
    return load_state(path)


def digest(state: dict[str, np.ndarray]) -> str:
    hashed = hashlib.sha256()
    for name, value in state.items():
        value = np.asarray(value)
        hashed.update(f"{name}:{value.dtype.str}:{value.shape};".encode())
        hashed.update(np.ascontiguousarray(value).tobytes())
    return hashed.hexdigest()


def outcome(kind: str, path: str) -> dict:
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        result = {"outcome": "loaded", "digest": digest(load(kind, path))}
    except WeightsFileError as error:
        result = {"outcome": "refused", "message": str(error)}
    except Exception as error:  # what the command line would show as a traceback
        result = {"outcome": "crashed", "error": type(error).__name__, "message": str(error)}
    result["peak"] = tracemalloc.get_traced_memory()[1] - before
    return result


def main(jobs_file: str) -> None:
    jobs = json.loads(open(jobs_file).read())
    good = jobs[0]
    tracemalloc.start()
    for job in jobs:
        line = {"name": job["name"], **outcome(job["kind"], job["path"])}
        again = outcome(good["kind"], good["path"])
        line["good_after"] = again.get("digest", again.get("message"))
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
