"""Reading torch checkpoints without torch: values, dtypes, layouts, and refusing code."""

import io
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch

from cnnlab.weights import UnsafeCheckpointError, WeightsFileError, load_pth
from weights import crafted


def saved(tmp_path, state, name="model.pth"):
    path = tmp_path / name
    torch.save(state, path)
    return path


def test_float32_float64_int64_and_zero_dim_counter_come_back_equal(tmp_path):
    g = torch.Generator().manual_seed(0)
    state = {
        "conv.weight": torch.randn(4, 3, 3, 3, generator=g),
        "fc.weight": torch.randn(5, 7, generator=g, dtype=torch.float64),
        "ids": torch.arange(10, dtype=torch.int64) - 3,
        "bn.num_batches_tracked": torch.tensor(17),
        "half": torch.randn(6, generator=g).half(),
        "mask": torch.tensor([True, False, True]),
        "bytes": torch.tensor([0, 200, 255], dtype=torch.uint8),
    }
    loaded = load_pth(saved(tmp_path, state))
    assert list(loaded) == list(state)
    for name, tensor in state.items():
        assert loaded[name].dtype == tensor.numpy().dtype, name
        assert loaded[name].shape == tuple(tensor.shape), name
        np.testing.assert_array_equal(loaded[name], tensor.numpy())
    assert loaded["bn.num_batches_tracked"].shape == ()


def test_bfloat16_is_widened_to_float32_exactly(tmp_path):
    tensor = torch.tensor([1.5, -2.25, 3.0e5]).bfloat16()
    loaded = load_pth(saved(tmp_path, {"w": tensor}))["w"]
    assert loaded.dtype == np.float32
    np.testing.assert_array_equal(loaded, tensor.float().numpy())


def test_views_sharing_one_storage_with_offsets_and_strides(tmp_path):
    base = torch.arange(60, dtype=torch.float32).reshape(6, 10)
    state = {
        "base": base,
        "transposed": base.t(),
        "column": base[:, 3],
        "every_other": base[1::2, 2::3],
        "row_tail": base[4, 5:],
        "empty": base[:0],
    }
    loaded = load_pth(saved(tmp_path, state))
    for name, tensor in state.items():
        np.testing.assert_array_equal(loaded[name], tensor.numpy(), err_msg=name)
        assert loaded[name].flags.c_contiguous
    loaded["column"][0] = -1.0  # copies: views in the file do not alias in NumPy
    assert loaded["base"][0, 3] == 3.0


def test_a_model_state_dict_with_metadata_and_parameters(tmp_path):
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3))
    state = model.state_dict()
    loaded = load_pth(saved(tmp_path, state))
    assert list(loaded) == list(state)
    params = load_pth(saved(tmp_path, dict(model.named_parameters()), "params.pth"))
    np.testing.assert_array_equal(params["0.weight"], model[0].weight.detach().numpy())


def test_a_checkpoint_holding_a_state_dict_gives_the_state_dict(tmp_path):
    checkpoint = {"epoch": 3, "state_dict": {"w": torch.ones(2)}, "note": "hi"}
    assert list(load_pth(saved(tmp_path, checkpoint))) == ["w"]


class RunsACommand:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_that_would_run_a_command_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = saved(tmp_path, {"w": torch.ones(2), "evil": RunsACommand(marker)})
    with pytest.raises(UnsafeCheckpointError, match=r"calls posix\.system.*may be unsafe"):
        load_pth(path)
    assert not marker.exists()
    torch.load(path, weights_only=False)  # the file really does run it when unpickled
    assert marker.exists()


def test_a_hand_made_pickle_naming_builtins_eval_is_refused(tmp_path):
    path = tmp_path / "eval.pth"
    payload = b"\x80\x02cbuiltins\neval\nX\x04\x00\x00\x001+1\x85R."
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", payload)
    with pytest.raises(UnsafeCheckpointError, match=r"builtins\.eval"):
        load_pth(path)


def test_a_tensor_reaching_past_its_storage_is_refused(tmp_path):
    buffer = io.BytesIO()
    torch.save({"w": torch.arange(4.0)}, buffer)
    original = zipfile.ZipFile(buffer)
    data = original.read("archive/data.pkl").replace(b"K\x04\x85", b"K\x09\x85")  # size 4 -> 9
    path = tmp_path / "long.pth"
    with zipfile.ZipFile(path, "w") as archive:
        for name in original.namelist():
            archive.writestr(name, data if name.endswith("data.pkl") else original.read(name))
    with pytest.raises(ValueError, match="reaches past its storage"):
        load_pth(path)


def test_legacy_and_non_checkpoint_files_get_clear_errors(tmp_path):
    legacy = tmp_path / "legacy.pth"
    torch.save({"w": torch.ones(2)}, legacy, _use_new_zipfile_serialization=False)
    with pytest.raises(ValueError, match="legacy"):
        load_pth(legacy)
    text = tmp_path / "notes.pth"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a PyTorch checkpoint"):
        load_pth(text)
    plain = tmp_path / "plain.pth"
    plain.write_bytes(pickle.dumps([1, 2]))
    with pytest.raises(ValueError, match="legacy"):
        load_pth(plain)


def test_a_big_endian_checkpoint_reads_the_same_values(tmp_path):
    state = {"w": torch.randn(3, 4, dtype=torch.float64), "n": torch.tensor(5)}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    original = zipfile.ZipFile(buffer)
    kinds = {"0": ">f8", "1": ">i8"}  # records in the order the tensors were pickled
    path = tmp_path / "big.pth"
    with zipfile.ZipFile(path, "w") as archive:
        for name in original.namelist():
            data = original.read(name)
            if name.endswith("byteorder"):
                data = b"big"
            elif "/data/" in name:
                key = name.rsplit("/", 1)[1]
                data = (
                    np.frombuffer(data, kinds[key].replace(">", "<")).astype(kinds[key]).tobytes()
                )
            archive.writestr(name, data)
    loaded = load_pth(path)
    np.testing.assert_array_equal(loaded["w"], state["w"].numpy())
    assert loaded["n"] == 5 and loaded["n"].dtype == np.int64


def test_a_pickle_renaming_a_storage_type_is_refused_and_later_files_load_the_same(tmp_path):
    good = saved(tmp_path, {"w": torch.tensor([1.5, -2.0])})
    before = load_pth(good)["w"]
    rename = (
        crafted.name("torch", "FloatStorage") + crafted.EMPTY_DICT + crafted.text("name")
        + crafted.text("IntStorage") + crafted.SETITEM + crafted.BUILD + crafted.POP
    )  # fmt: skip
    poison = crafted.write_zip(
        tmp_path / "poison.pth",
        crafted.entries(crafted.state(("w", crafted.tensor()), before=rename)),
    )
    with pytest.raises(UnsafeCheckpointError, match=r"attributes of torch\.FloatStorage \(BUILD\)"):
        load_pth(poison)
    after = load_pth(good)["w"]
    assert after.dtype == np.float32
    np.testing.assert_array_equal(after, before)


def test_a_stride_0_view_of_a_billion_elements_is_refused_before_copying(tmp_path):
    pickled = crafted.state(("w", crafted.tensor(size=(10**9,), stride=(0,))))
    path = crafted.write_zip(tmp_path / "wide.pth", crafted.entries(pickled))
    assert path.stat().st_size < 1000
    with pytest.raises(WeightsFileError, match=r"ask for more memory than it holds.*16 bytes"):
        load_pth(path)


def test_a_tensor_repeating_its_storage_a_few_times_still_loads(tmp_path):
    row = torch.arange(3.0)
    state = {"expanded": row.expand(4, 3), "tied": row, "tied_again": row}
    loaded = load_pth(saved(tmp_path, state))
    np.testing.assert_array_equal(loaded["expanded"], np.tile(np.arange(3.0), (4, 1)))
    assert loaded["tied"] is loaded["tied_again"]  # one tensor pickled once, as torch.load gives
    assert not np.shares_memory(loaded["expanded"], loaded["tied"])
    assert all(array.flags.writeable for array in loaded.values())


@pytest.mark.parametrize(
    "fields, message",
    [({"method": 8}, r"compressed \(method 8\)"), ({"flags": 0x809}, "is encrypted")],
)
def test_compressed_and_encrypted_records_are_refused(tmp_path, fields, message):
    data = crafted.torch_bytes({"w": torch.ones(3)})
    path = tmp_path / "edited.pth"
    path.write_bytes(crafted.edit_directory(data, "archive/data/0", **fields))
    with pytest.raises(WeightsFileError, match=message):
        load_pth(path)


def test_one_flipped_byte_in_a_record_is_a_one_line_error_naming_the_file(tmp_path):
    data = bytearray(crafted.torch_bytes({"w": torch.ones(64)}))
    data[data.index(b"archive/data/0") + 100] ^= 0xFF
    path = tmp_path / "flipped.pth"
    path.write_bytes(bytes(data))
    with pytest.raises(
        WeightsFileError, match=r"flipped\.pth: damaged: the bytes of its record .archive/data/0."
    ) as refused:
        load_pth(path)
    assert "\n" not in str(refused.value)


def test_a_memo_index_beyond_the_memo_is_refused(tmp_path):
    jump = b"N" + b"r" + (10**9).to_bytes(4, "little") + crafted.POP
    pickled = crafted.state(("w", crafted.tensor()), before=jump)
    path = crafted.write_zip(tmp_path / "memo.pth", crafted.entries(pickled))
    with pytest.raises(WeightsFileError, match="memo index 1000000000 after 0"):
        load_pth(path)
