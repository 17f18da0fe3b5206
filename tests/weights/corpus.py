"""The corpus of crafted weights files of issue 16, by category, written into a folder.

Each case is a file cnnlab must refuse with one line: ``.pth`` pickles that would poison
later loads, run a command or ask for memory the file does not hold; damaged zips;
crafted ``.safetensors`` headers; and ``model.json`` descriptions that are wrong in one
field. ``flips`` are single flipped bytes of a good file: refused, or (a byte that nothing
reads) loaded identical to the original.
"""

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import safetensors.numpy
import torch

from cnnlab.data import Normalize
from cnnlab.jobs import TrainedModel, save_trained
from cnnlab.models import build_model
from weights.crafted import (
    BUILD,
    EMPTY_DICT,
    MARK,
    POP,
    REDUCE,
    SETITEM,
    edit_directory,
    entries,
    integer,
    ints,
    name,
    safetensors_bytes,
    state,
    storage,
    tensor,
    text,
    torch_bytes,
    tup,
    write_zip,
)


@dataclass
class Case:
    name: str
    category: str
    kind: str  # "pth", "safetensors" or "bundle"
    path: Path
    may_load: bool = False  # a flipped byte nothing reads: loading identical is fine too


def good_state() -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    base = torch.randn(6, 10, generator=g)
    return {
        "conv.weight": torch.randn(4, 3, 3, 3, generator=g),
        "conv.bias": torch.randn(4, generator=g).half(),
        "fc.weight": base,
        "fc.weight_t": base.t(),
        "bf": torch.randn(5, generator=g).bfloat16(),
        "bn.num_batches_tracked": torch.tensor(7),
        "mask": torch.tensor([True, False, True]),
    }


def pth_cases(folder: Path, marker: Path) -> list[Case]:
    cases = []

    def add(category, label, pickled=None, files=None, raw=None):
        path = folder / f"{category}-{label}.pth"
        if raw is not None:
            path.write_bytes(raw)
        else:
            write_zip(path, files if files is not None else entries(pickled))
        cases.append(Case(f"{category}/{label}", category, "pth", path))

    one = ("w", tensor())
    # poisoning: BUILD / SETITEM on the stand-ins the old loader shared between loads
    poisons = {
        "storage-type-renamed": name("torch", "FloatStorage")
        + EMPTY_DICT + text("name") + text("IntStorage") + SETITEM + BUILD + POP,
        "parameter-defaults": name("torch._utils", "_rebuild_parameter")
        + tup(b"N", EMPTY_DICT + text("__defaults__") + ints([1]) + SETITEM) + BUILD + POP,
        "tensor-defaults": name("torch._utils", "_rebuild_tensor_v2")
        + tup(b"N", EMPTY_DICT + text("__defaults__") + tup(b"N") + SETITEM) + BUILD + POP,
        "tensor-dict": name("torch._utils", "_rebuild_tensor_v2")
        + EMPTY_DICT + text("x") + integer(1) + SETITEM + BUILD + POP,
        "ordereddict-class": name("collections", "OrderedDict")
        + EMPTY_DICT + text("x") + integer(1) + SETITEM + BUILD + POP,
        "setitem-on-stand-in": name("torch", "FloatStorage")
        + text("a") + text("b") + SETITEM + POP,
        "stack-global-rename": text("torch") + text("FloatStorage") + b"\x93"
        + EMPTY_DICT + text("name") + text("IntStorage") + SETITEM + BUILD + POP,
        "build-on-storage": storage()
        + EMPTY_DICT + text("data") + integer(3) + SETITEM + BUILD + POP,
        "build-on-tensor": tensor() + tup(integer(1), ints([9])) + BUILD + POP,
        "append-on-stand-in": name("torch", "FloatStorage") + integer(1) + b"a" + POP,
    }  # fmt: skip
    for label, before in poisons.items():
        add("poisoning", label, state(one, before=before))
    # code: each would create the marker file if it ran
    command = f"touch {marker}"
    code = f"open({str(marker)!r}, 'w').close()"
    calls = {
        "os-system": name("os", "system") + tup(text(command)) + REDUCE,
        "posix-system": name("posix", "system") + tup(text(command)) + REDUCE,
        "eval": name("builtins", "eval") + tup(text(code)) + REDUCE,
        "exec": name("builtins", "exec") + tup(text(code)) + REDUCE,
        "inst-opcode": MARK + text(command) + b"ios\nsystem\n",
        "obj-opcode": MARK + name("os", "system") + text(command) + b"o",
        "newobj": name("subprocess", "Popen")
            + tup(tup(text("touch"), text(str(marker)))) + b"\x81",
        "stack-global": text("os") + text("system") + b"\x93" + tup(text(command)) + REDUCE,
        "ext1-opcode": b"\x82\x01" + tup(text(command)) + REDUCE,
        "getattr-import": name("builtins", "getattr") + tup(name("builtins", "__import__")
            + tup(text("os")) + REDUCE, text("system")) + REDUCE + tup(text(command)) + REDUCE,
        "pickle-loads": name("pickle", "loads") + tup(b"C\x05hello") + REDUCE,
        "storage-type-is-system": tup(text("storage"), name("os", "system"), text("0"),
            text("cpu"), integer(4)) + b"Q",
        "torch-load": name("torch", "load") + tup(text(str(marker))) + REDUCE,
        "runpy": name("runpy", "_run_code") + tup(text(code), EMPTY_DICT) + REDUCE,
    }  # fmt: skip
    for label, value in calls.items():
        add("code", label, state(("evil", value)))
    add("code", "torch-save-reduce", raw=_torch_reduce_file(command))
    # memory: files that ask for far more than they hold
    big_views = [(f"v{i}", tensor(size=(64, 1024), stride=(1024, 1), store=storage(numel=65536)))
                 for i in range(40)]  # fmt: skip
    memory = {
        "stride-0-1e9": state(("w", tensor(size=(10**9,), stride=(0,)))),
        "stride-0-3e9-cube": state(("w", tensor(size=(1000, 1000, 3000), stride=(0, 0, 0)))),
        "many-views": (state(*big_views), {"0": bytes(262144)}),
        "numel-beyond-record": state(("w", tensor(size=(4,), store=storage(numel=10**12)))),
        "memo-index-1e9": state(one, before=b"N" + b"r" + (10**9).to_bytes(4, "little") + POP),
        "unicode-4gb": b"\x80\x02X\xff\xff\xff\xffabc.",
        "bytes8-2e62": b"\x80\x02\x8e" + (2**62).to_bytes(8, "little") + b"abc.",
        "long4-2gb": b"\x80\x02\x8b\xff\xff\xff\x7f\x01.",
        "deep-lists": b"\x80\x02" + b"]" * 100_000 + b"a" * 99_999 + b".",
        "dims-40": state(("w", tensor(size=(1,) * 40, stride=(1,) * 40))),
        "global-without-newline": b"\x80\x02c" + b"x" * 100_000,
    }  # fmt: skip
    for label, value in memory.items():
        pickled, records = value if isinstance(value, tuple) else (value, None)
        add("memory", label, files=entries(pickled, records))
    add("memory", "deflated-20mb", files=None, raw=_deflated(folder))
    good = torch_bytes(good_state())
    add("memory", "record-claims-4gb", raw=edit_directory(good, "archive/data/0", size=2**32 - 2))
    # damage: what used to end in a traceback from zipfile, pickle or NumPy
    damage = {
        "missing-record": (state(("w", tensor(store=storage(key="7")))), None),
        "stride-2e63": (state(("w", tensor(size=(2, 2), stride=(2**63, 1)))), None),
        "offset-2e70": (state(("w", tensor(offset=2**70))), None),
        "size-is-text": (state(("w", name("torch._utils", "_rebuild_tensor_v2") + tup(
            storage(), integer(0), text("abc"), ints([1]), b"\x89") + REDUCE)), None),
        "reaches-past": (state(("w", tensor(size=(5,)))), None),
        "negative-offset": (state(("w", tensor(offset=-1))), None),
        "byteorder-middle": (state(one), None),
        "unknown-pid": (state(("w", tup(text("tensor"), integer(1)) + b"Q")), None),
        "short-pid": (state(("w", tup(text("storage"), name("torch", "FloatStorage")) + b"Q")),
                      None),
        "record-not-multiple": (state(("w", tensor(store=storage(numel=1, kind="IntStorage")))),
                                {"0": b"abc"}),
        "two-types-one-key": (state(("w", tensor()),
                                    ("v", tensor(store=storage(kind="IntStorage")))), None),
        "not-a-dict": (b"\x80\x02]" + MARK + integer(1) + b"e.", None),
        "int-value": (state(("w", integer(3))), None),
        "int-key": (b"\x80\x02}" + integer(1) + tensor() + b"s.", None),
        "stop-on-nothing": (b"\x80\x02.", None),
        "stop-with-two": (b"\x80\x02}}.", None),
        "no-stop": (b"\x80\x02}", None),
        "empty-pickle": (b"", None),
        "get-unknown": (b"\x80\x02h\x05.", None),
        "tuple-of-nothing": (b"\x80\x02\x87.", None),
        "setitems-no-mark": (b"\x80\x02}u.", None),
        "pop-empty": (b"\x80\x020.", None),
        "reduce-on-text": (state(("w", text("f") + tup() + REDUCE)), None),
        "bad-utf8": (b"\x80\x02X\x02\x00\x00\x00\xff\xfe.", None),
        "parameter-of-text": (state(("w", name("torch._utils", "_rebuild_parameter")
                               + tup(text("x"), b"\x89", b"N") + REDUCE)), None),
        "ordereddict-args": (state(("w", name("collections", "OrderedDict")
                              + tup(integer(1)) + REDUCE)), None),
    }  # fmt: skip
    for label, (pickled, records) in damage.items():
        byteorder = b"middle" if label == "byteorder-middle" else b"little"
        add("damage", label, files=entries(pickled, records, byteorder))
    raws = {
        "empty-file": b"",
        "three-bytes": b"abc",
        "random-kb": np.random.default_rng(0).bytes(1024),
        "legacy-pickle": b"\x80\x02]q\x00.",
        "zip-signature-only": b"PK\x03\x04" * 4,
        "encrypted": edit_directory(good, "archive/data.pkl", flags=0x809),
        "method-99": edit_directory(good, "archive/data/0", method=99),
        "deflate-flag": edit_directory(good, "archive/data/1", method=8),
        "pickle-crc": _flip(good, good.index(b"_rebuild_tensor_v2") + 3),
        "data-crc": _flip(good, good.index(b"archive/data/0") + 200),
        "end-record": _flip(good, good.rindex(b"PK\x05\x06")),
        "directory": _flip(good, good.index(b"PK\x01\x02") + 1),
        "first-header": _flip(good, 1),
    }
    for fraction in range(1, 11):
        raws[f"cut-at-{fraction}0pc"] = good[: len(good) * fraction // 11]
    for label, raw in raws.items():
        add("damage", label, raw=raw)
    for label, files in {
        "no-data-pkl": {"archive/other": b"x"},
        "two-data-pkl": {"a/data.pkl": state(one), "b/data.pkl": state(one)},
        "legacy-format": None,
    }.items():
        path = folder / f"damage-{label}.pth"
        if files is None:
            torch.save({"w": torch.ones(2)}, path, _use_new_zipfile_serialization=False)
        else:
            write_zip(path, files)
        cases.append(Case(f"damage/{label}", "damage", "pth", path))
    return cases


def flip_cases(folder: Path, original: Path, count: int) -> list[Case]:
    """``count`` copies of ``original``, each with one byte flipped, spread over the file."""
    data = original.read_bytes()
    cases = []
    for k in range(count):
        at = (k * len(data)) // count + 13
        path = folder / f"flip-{at}.pth"
        path.write_bytes(_flip(data, at))
        cases.append(Case(f"flip/{at}", "flip", "pth", path, may_load=True))
    return cases


def safetensors_cases(folder: Path) -> list[Case]:
    f32 = {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}
    data = bytes(16)
    headers = {
        "header-length-2e60": safetensors_bytes({"w": f32}, data, length=2**60),
        "header-past-end": safetensors_bytes({"w": f32}, data, length=100),
        "not-utf8": safetensors_bytes(b"\xff\xfe{}", data),
        "not-json": safetensors_bytes(b"{'w': 1}", data),
        "json-list": safetensors_bytes([1, 2], data),
        "no-offsets": safetensors_bytes({"w": {"dtype": "F32", "shape": [4]}}, data),
        "dtype-f4": safetensors_bytes({"w": {**f32, "dtype": "F4"}}, data),
        "dtype-list": safetensors_bytes({"w": {**f32, "dtype": ["F32"]}}, data),
        "negative-shape": safetensors_bytes({"w": {**f32, "shape": [-2, -2]}}, data),
        "float-shape": safetensors_bytes({"w": {**f32, "shape": [2.0, 2]}}, data),
        "text-shape": safetensors_bytes({"w": {**f32, "shape": "2x2"}}, data),
        "shape-33-dims": safetensors_bytes({"w": {**f32, "shape": [1] * 33}}, data),
        "offsets-reversed": safetensors_bytes({"w": {**f32, "data_offsets": [16, 0]}}, data),
        "offsets-past-end": safetensors_bytes({"w": {**f32, "data_offsets": [16, 32]}}, data),
        "overlapping": safetensors_bytes({"w": f32, "v": f32}, data),
        "shape-1e12": safetensors_bytes({"w": {**f32, "shape": [10**6, 10**6]}}, data),
        "metadata-number": safetensors_bytes({"__metadata__": {"epoch": 3}, "w": f32}, data),
        "deep-json": safetensors_bytes(b"[" * 100_000 + b"]" * 100_000, data),
        "huge-number": safetensors_bytes(b'{"w": {"dtype": "F32", "shape": [1e999], '
                                         b'"data_offsets": [0, 16]}}', data),
        "empty-file": b"",
        "seven-bytes": b"\x08\x00\x00\x00\x00\x00\x00",
        "a-zip": b"PK\x03\x04" * 9,
    }  # fmt: skip
    good = folder / "plain-good.safetensors"
    safetensors.numpy.save_file({"w": np.ones((2, 2), np.float32)}, good)
    headers["cut-short"] = good.read_bytes()[:-3]
    cases = []
    for label, raw in headers.items():
        path = folder / f"safetensors-{label}.safetensors"
        path.write_bytes(raw)
        cases.append(Case(f"safetensors/{label}", "safetensors", "safetensors", path))
    return cases


def bundle_cases(folder: Path) -> tuple[Path, list[Case]]:
    """A good ``cnnlab train`` model (LeNet-5, 5 classes) and descriptions wrong in one way."""
    arguments = {"num_classes": 5, "in_channels": 1, "input_size": 28}
    model = build_model("lenet5", rng=0, **arguments)
    classes = ("a", "b", "c", "d", "e")
    trained = TrainedModel(model, "lenet5", arguments, classes, (1, 28, 28), Normalize(0.5, 0.25))
    good, _ = save_trained(trained, folder / "bundle-good.safetensors")
    info = trained.description()
    edits = {
        "missing-architecture": lambda d: d.pop("architecture"),
        "missing-arguments": lambda d: d.pop("arguments"),
        "missing-normalize": lambda d: d.pop("normalize"),
        "missing-classes": lambda d: d.pop("classes"),
        "missing-input-shape": lambda d: d.pop("input_shape"),
        "missing-format": lambda d: d.pop("format"),
        "three-names-five-outputs": lambda d: d.update(classes=["a", "b", "c"]),
        "num-classes-1e9-float": lambda d: d["arguments"].update(num_classes=1e9),
        "num-classes-1e9-int": lambda d: d["arguments"].update(num_classes=10**9),
        "num-classes-7-names-7": lambda d: (
            d.update(classes=list("abcdefg")) or d["arguments"].update(num_classes=7)
        ),
        "num-classes-negative": lambda d: d["arguments"].update(num_classes=-3),
        "num-classes-true": lambda d: d["arguments"].update(num_classes=True),
        "version-99": lambda d: d.update(version=99),
        "version-text": lambda d: d.update(version="1"),
        "architecture-unknown": lambda d: d.update(architecture="nosuch"),
        "architecture-number": lambda d: d.update(architecture=5),
        "arguments-list": lambda d: d.update(arguments=[5, 1, 28]),
        "arguments-unknown-key": lambda d: d["arguments"].update(depth=50),
        "arguments-rng": lambda d: d["arguments"].update(rng=0),
        "classes-empty": lambda d: d.update(classes=[]),
        "classes-numbers": lambda d: d.update(classes=[1, 2, 3, 4, 5]),
        "class-name-empty": lambda d: d.update(classes=["a", "b", "", "d", "e"]),
        "input-shape-2": lambda d: d.update(input_shape=[1, 28]),
        "input-shape-zero": lambda d: d.update(input_shape=[1, 28, 0]),
        "input-shape-3-channels": lambda d: d.update(input_shape=[3, 28, 28]),
        "in-channels-3": lambda d: (
            d["arguments"].update(in_channels=3) or d.update(input_shape=[3, 28, 28])
        ),
        "input-size-1e6": lambda d: (
            d["arguments"].update(input_size=10**6) or d.update(input_shape=[1, 10**6, 10**6])
        ),
        "input-size-8k": lambda d: (
            d["arguments"].update(input_size=8192) or d.update(input_shape=[1, 8192, 8192])
        ),
        "std-zero": lambda d: d.update(normalize={"mean": [0.5], "std": [0.0]}),
        "mean-text": lambda d: d.update(normalize={"mean": ["a"], "std": [1.0]}),
        "mean-nan": lambda d: d.update(normalize={"mean": [float("nan")], "std": [1.0]}),
        "mean-two-for-one-channel": lambda d: d.update(normalize={"mean": [0, 1], "std": [1]}),
        "normalize-list": lambda d: d.update(normalize=[0.5, 0.25]),
        "std-missing": lambda d: d.update(normalize={"mean": [0.5]}),
    }
    raws = {
        "not-json": b"{'format': 'cnnlab-model'}",
        "deep-json": b"[" * 100_000 + b"]" * 100_000,
        "top-level-list": b"[]",
        "not-utf8": b'{"format": "\xff"}',
        "seventeen-mb": b" " * (17 << 20) + b"{}",
    }
    for label, edit in edits.items():
        described = json.loads(json.dumps(info))
        edit(described)
        raws[label] = json.dumps(described).encode()
    cases = []
    for label, raw in raws.items():
        weights = folder / f"bundle-{label}.safetensors"
        os.link(good, weights)
        weights.with_suffix(".json").write_bytes(raw)
        cases.append(Case(f"model.json/{label}", "model.json", "bundle", weights))
    cut = folder / "bundle-weights-cut.safetensors"
    cut.write_bytes(good.read_bytes()[:-100])
    cut.with_suffix(".json").write_bytes(good.with_suffix(".json").read_bytes())
    cases.append(Case("model.json/weights-cut-short", "model.json", "bundle", cut))
    return good, cases


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def _deflated(folder: Path) -> bytes:
    """A torch-like checkpoint whose tensor record is 20 MB of zeros, deflated to ~20 KB."""
    files = entries(state(("w", tensor(size=(5_000_000,), store=storage(numel=5_000_000)))),
                    {"0": bytes(20_000_000)})  # fmt: skip
    path = write_zip(folder / "deflated.zip", files, zipfile.ZIP_DEFLATED)
    return path.read_bytes()


def _torch_reduce_file(command: str) -> bytes:
    class RunsACommand:
        def __reduce__(self):
            return (os.system, (command,))

    return torch_bytes({"w": torch.ones(2), "evil": RunsACommand()})
