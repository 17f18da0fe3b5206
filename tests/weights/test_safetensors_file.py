"""Reading .safetensors: every float format torch writes, and crafted headers refused."""

import json
import struct

import numpy as np
import pytest
import safetensors.torch
import torch

from cnnlab.nn import Linear
from cnnlab.serialization import load_weights
from cnnlab.weights import WeightsFileError, load_state
from cnnlab.weights.safetensors_file import read_header

EVERY_BYTE = torch.arange(256, dtype=torch.uint8)


@pytest.mark.parametrize(
    "tensor",
    [
        EVERY_BYTE.view(torch.float8_e4m3fn),
        EVERY_BYTE.view(torch.float8_e5m2),
        torch.arange(-(2**15), 2**15, 7, dtype=torch.int32).to(torch.int16).view(torch.bfloat16),
    ],
    ids=["float8_e4m3fn", "float8_e5m2", "bfloat16"],
)
def test_bfloat16_and_float8_are_widened_to_float32_exactly(tmp_path, tensor):
    path = tmp_path / "w.safetensors"
    safetensors.torch.save_file({"w": tensor}, path)
    loaded = load_state(path)["w"]
    assert loaded.dtype == np.float32
    np.testing.assert_array_equal(loaded, tensor.float().numpy())  # NaNs in the same places


def test_a_bfloat16_file_fills_a_float32_model(tmp_path):
    weight = torch.randn(2, 3, generator=torch.Generator().manual_seed(0)).bfloat16()
    path = tmp_path / "linear.safetensors"
    safetensors.torch.save_file({"weight": weight, "bias": torch.zeros(2).bfloat16()}, path)
    model = Linear(3, 2)
    load_weights(model, path)
    np.testing.assert_array_equal(model.weight.data, weight.float().numpy())


def test_every_integer_and_float_dtype_comes_back_equal(tmp_path):
    tensors = {
        str(dtype): torch.arange(6).reshape(2, 3).to(dtype)
        for dtype in (torch.float64, torch.float32, torch.float16, torch.int64, torch.int32,
                      torch.int16, torch.int8, torch.uint8, torch.bool)
    }  # fmt: skip
    path = tmp_path / "all.safetensors"
    safetensors.torch.save_file(tensors, path)
    loaded = load_state(path)
    for name, tensor in tensors.items():
        np.testing.assert_array_equal(loaded[name], tensor.numpy(), err_msg=name)
        assert loaded[name].dtype == tensor.numpy().dtype


def crafted(tmp_path, header, data=bytes(16)):
    encoded = json.dumps(header).encode()
    path = tmp_path / "crafted.safetensors"
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + data)
    return path


F32 = {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}


@pytest.mark.parametrize(
    "header, message",
    [
        ({"w": {**F32, "dtype": "F4"}}, "dtype 'F4', which cnnlab does not read"),
        (
            {"w": {**F32, "shape": [1000, 1000]}},
            "needs 4,000,000 bytes, but its data offsets span 16",
        ),
        ({"w": F32, "v": F32}, "overlap another tensor's"),
        ({"w": {**F32, "data_offsets": [16, 32], "shape": [4]}}, "lie past the file's end"),
        ({"w": {**F32, "shape": [-2, -2]}}, "has shape"),
        ({"__metadata__": {"epoch": 3}, "w": F32}, "metadata is not a mapping of text to text"),
    ],
    ids=["unknown-dtype", "shape-beyond-bytes", "overlap", "past-end", "negative", "metadata"],
)
def test_a_crafted_header_is_refused_before_any_tensor_is_read(tmp_path, header, message):
    with pytest.raises(WeightsFileError, match=message):
        read_header(crafted(tmp_path, header))


def test_a_header_length_beyond_the_file_is_refused_before_reading_it(tmp_path):
    path = tmp_path / "long.safetensors"
    path.write_bytes(struct.pack("<Q", 2**60) + b"{}")
    with pytest.raises(WeightsFileError, match="a header of 1,152,921,504,606,846,976 bytes"):
        load_state(path)
