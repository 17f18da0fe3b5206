"""How the command line reports an error: the whole message, its list capped, exit 2."""

import numpy as np
import pytest

from cnnlab.cli.errors import MAX_DETAIL_LINES, UsageError, error_message
from cnnlab.cli.kernel_file import MAX_VALUES, read_kernel_file
from cnnlab.cli.main import main


def test_a_multi_line_error_is_printed_whole():
    error = ValueError("The weights in w.safetensors do not match Sequential:\n  a\n  b")
    assert error_message("show", error).splitlines() == [
        "cnnlab show: error: The weights in w.safetensors do not match Sequential:",
        "  a",
        "  b",
    ]


def test_a_long_list_of_mismatches_is_cut_with_a_count_of_the_rest():
    names = "".join(f"\n  missing: layer{i}.weight" for i in range(40))
    lines = error_message("predict", ValueError("Mismatch:" + names)).splitlines()
    assert len(lines) == 1 + MAX_DETAIL_LINES
    assert lines[1] == "  missing: layer0.weight"
    assert lines[-1] == f"  ... and {40 - MAX_DETAIL_LINES + 1} more"


def test_an_error_without_words_is_named_by_its_type():
    assert error_message("draw", OSError()) == "cnnlab draw: error: OSError"


def test_main_prints_the_detail_lines_and_returns_2(tmp_path, capsys, monkeypatch):
    from cnnlab.cli import kernels

    def fail(args):
        raise ValueError("Two problems:\n  first\n  second")

    monkeypatch.setattr(kernels, "run", fail)
    assert main(["kernels"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "cnnlab kernels: error: Two problems:",
        "  first",
        "  second",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ragged.txt", "1 2 3\n4 5\n", "differ in length: the first has 3 numbers, line 2 has 2"),
        ("empty.txt", "", "holds no numbers"),
        ("comment.txt", "# only a comment\n\n", "holds no numbers"),
        ("word.txt", "1 2\n3 x\n", "Line 2 of the kernel file"),
        ("binary.txt", bytes(range(256)), "is not a text file of numbers"),
        ("garbage.npy", b"garbage, not numpy", "is not a .npy file"),
        ("nan.txt", "1 nan\n0 1\n", "NaN or Inf"),
    ],
)
def test_a_bad_kernel_file_is_described_in_cnnlabs_words(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ValueError, match=message) as caught:
        read_kernel_file(path)
    assert "allow_pickle" not in str(caught.value) and "usecols" not in str(caught.value)


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.array([{"a": 1}], dtype=object), "holds Python objects"),
        (np.array(["a", "b"]), "must hold real numbers; it holds <U1 values"),
        (np.ones((3, 3)) * 1j, "it holds complex128 values"),
        (np.ones(3), "must hold a 2-D array; .* shape \\(3,\\)"),
        (np.zeros((0, 3)), "holds no values"),
        (np.zeros((MAX_VALUES + 1, 1), np.int8), "too large"),
    ],
)
def test_a_bad_npy_kernel_is_described_in_cnnlabs_words(tmp_path, array, message):
    path = tmp_path / "kernel.npy"
    np.save(path, array, allow_pickle=True)
    with pytest.raises(ValueError, match=message):
        read_kernel_file(path)


def test_a_cut_short_npy_kernel_is_called_damaged(tmp_path):
    path = tmp_path / "kernel.npy"
    np.save(path, np.ones((64, 64)))
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(ValueError, match="damaged or cut-short"):
        read_kernel_file(path)


def test_text_kernels_may_use_commas_and_comments(tmp_path):
    path = tmp_path / "k.txt"
    path.write_text("# a Laplacian\n0, 1, 0\n1, -4, 1  # centre\n0, 1, 0\n")
    np.testing.assert_array_equal(read_kernel_file(path), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])


def test_usage_errors_are_exceptions_the_main_loop_reports():
    assert issubclass(UsageError, Exception)
