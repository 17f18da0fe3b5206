"""How fast the explorer answers: each endpoint on LeNet-5, and a ResNeXt-50 layer's maps.

Issue #17's bounds: every interaction on LeNet-5 within 100 ms of server time, and a
ResNeXt-50 layer's activation maps for one 224x224 image (random weights) within 2 s.
No other program does this, so the times are printed against those bounds, not as a
ratio to a peer.

Server time is the endpoint's function on the session (what the HTTP handler calls),
measured as a page meets it: the first request after a new input, when nothing about
that input is cached yet (the model's forward pass counts for setting the input). The
round trip through HTTP on 127.0.0.1 is printed beside it.

Run: ``python benchmarks/explore.py [--repeats N] [--skip-resnext]``.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from checks.explore_client import Client  # noqa: E402
from cnnlab.explore import (
    explore,  # noqa: E402
    layers,  # noqa: E402
)
from cnnlab.explore.api import ROUTES  # noqa: E402

LENET_BOUND_MS = 100.0
RESNEXT_BOUND_MS = 2000.0


def upload_bytes() -> bytes:
    buffer = io.BytesIO()
    picture = (np.random.default_rng(0).random((240, 320, 3)) * 255).astype(np.uint8)
    Image.fromarray(picture).save(buffer, format="JPEG")
    return buffer.getvalue()


def lenet_requests(unit: int) -> list[tuple[str, str, object]]:
    """(label, path with query, body) of each interaction; ``unit`` varies the clicked unit."""
    row, col = unit % 28, (3 * unit) % 28
    drawing = np.zeros((28, 28))
    drawing[5 + unit % 10 : 20, 8:20] = 1.0
    return [
        ("input: example", "/api/input", {"example": "picture"}),
        ("input: drawing", "/api/input", {"drawing": drawing.tolist()}),
        ("input: upload (JPEG 320x240)", "/api/input", upload_bytes()),
        ("prediction", "/api/prediction", None),
        ("input.png", "/api/input.png", None),
        ("layer 0 (conv) layout", "/api/layer?layer=0", None),
        ("layer 0 maps.png", "/api/layer/maps.png?layer=0", None),
        ("layer 3 maps.png", "/api/layer/maps.png?layer=3", None),
        ("layer 3 kernels.png", "/api/layer/kernels.png?layer=3", None),
        ("field of a conv-3 unit", f"/api/field?layer=3&channel=2&row={row % 10}&col={col % 10}",
         None),
        ("field/gradient.png", f"/api/field/gradient.png?layer=5&channel=1&row={row % 5}&col=2",
         None),
        ("pooling, layer 2", "/api/pooling?layer=2&channel=1", None),
        ("pooling, 6x6 example", "/api/pooling?example=pool6x6", None),
        ("gradcam", "/api/gradcam?layer=4", None),
        ("gradcam.png", "/api/gradcam.png?layer=4&target=2", None),
        ("filter prewitt_x", "/api/filter", {"name": "prewitt_x"}),
        ("filter median 3", "/api/filter", {"name": "median", "size": 3}),
        ("filter gradient", "/api/filter", {"name": "gradient"}),
        ("filter typed 5x5", "/api/filter", {"kernel": np.ones((5, 5)).tolist()}),
        ("model", "/api/model", None),
        ("schematic (drawn at start, then kept)", "/api/schematic", None),
    ]  # fmt: skip


def server_ms(session, path: str, body) -> float:
    """The endpoint's own time, in ms."""
    route, _, query = path.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&") if part)
    start = time.perf_counter()
    ROUTES[route].function(session, params, body)
    return 1000 * (time.perf_counter() - start)


def http_ms(client: Client, path: str, body) -> float:
    start = time.perf_counter()
    if isinstance(body, bytes):
        reply = client.post_image(path, body, "image/jpeg")
    elif body is not None:
        reply = client.post_json(path, body)
    else:
        reply = client.get(path)
    assert reply.status == 200, (path, reply.body[:200])
    return 1000 * (time.perf_counter() - start)


def fresh_input(session, seed: int) -> None:
    """A new input: nothing of it is cached (nor the measured receptive fields, which are
    kept for the session); the schematic, drawn when the explorer starts, stays."""
    session.set_image(np.random.default_rng(seed).random(session.input_shape, dtype=np.float32))
    for key in [k for k in session.lasting if k != ("schematic",)]:
        del session.lasting[key]


def bench_lenet(repeats: int) -> bool:
    with explore("lenet5", open_browser=False) as explorer:
        session, client = explorer.session, Client(explorer)
        session.lasting.clear()
        start = time.perf_counter()
        layers.schematic(session)
        drawn = 1000 * (time.perf_counter() - start)
        for _, path, body in lenet_requests(0):  # warm-up: imports, first allocations
            http_ms(client, path, body)
        times: dict[str, list[float]] = {}
        trips: dict[str, list[float]] = {}
        for repeat in range(repeats):
            for label, path, body in lenet_requests(repeat):
                fresh_input(session, repeat)
                times.setdefault(label, []).append(server_ms(session, path, body))
                fresh_input(session, repeat)
                trips.setdefault(label, []).append(http_ms(client, path, body))
    print(f"LeNet-5 (1x28x28), {repeats} runs each; bound {LENET_BOUND_MS:.0f} ms of server time")
    print(f"{'interaction':42s} {'median ms':>9s} {'max ms':>8s} {'HTTP ms':>8s}")
    worst = 0.0
    for label, values in times.items():
        worst = max(worst, statistics.median(values))
        print(f"{label:42s} {statistics.median(values):9.1f} {max(values):8.1f} "
              f"{statistics.median(trips[label]):8.1f}")  # fmt: skip
    ok = worst <= LENET_BOUND_MS
    print(f"slowest median {worst:.1f} ms: {'within' if ok else 'OVER'} the bound")
    print(f"(once, when the explorer starts, in the background: the schematic, {drawn:.0f} ms)\n")
    return ok


def bench_resnext(repeats: int) -> bool:
    start = time.perf_counter()
    with explore("resnext50_32x4d", open_browser=False) as explorer:
        opened = time.perf_counter() - start
        session = explorer.session
        print(f"ResNeXt-50 32x4d (3x224x224, random weights): opened in {opened:.1f} s "
              f"(built, summary, first forward)")  # fmt: skip
        layers = ["conv1", "layer1.2.relu", "layer2.3.relu", "layer3.5.relu", "layer4.2.relu"]
        rows = []
        for repeat in range(repeats):
            image = np.random.default_rng(repeat).random((3, 224, 224), dtype=np.float32)
            t0 = time.perf_counter()
            session.set_image(image)  # the traced forward pass: the prediction and every map
            forward = 1000 * (time.perf_counter() - t0)
            maps = {name: server_ms(session, f"/api/layer/maps.png?layer={name}", None)
                    for name in layers}  # fmt: skip
            rows.append((forward, maps))
    print(f"{'':28s}" + "".join(f"{name:>15s}" for name in layers))
    forward = statistics.median(r[0] for r in rows)
    print(f"{'new input (forward) ms':28s}{forward:15.0f}")
    medians = {name: statistics.median(r[1][name] for r in rows) for name in layers}
    print(f"{'maps.png ms':28s}" + "".join(f"{medians[n]:15.0f}" for n in layers))
    shape = {n: "x".join(map(str, session.outputs[n].shape[1:])) for n in layers}
    print(f"{'map shape':28s}" + "".join(f"{shape[n]:>15s}" for n in layers))
    total = forward + max(medians.values())
    ok = total <= RESNEXT_BOUND_MS
    print(f"new input + the slowest layer's maps: {total:.0f} ms (median of {repeats}): "
          f"{'within' if ok else 'OVER'} the {RESNEXT_BOUND_MS:.0f} ms bound")  # fmt: skip
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--skip-resnext", action="store_true")
    args = parser.parse_args()
    results = {"lenet5": bench_lenet(args.repeats)}
    if not args.skip_resnext:
        results["resnext50_32x4d"] = bench_resnext(max(3, args.repeats // 2))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
