"""The command line, run as a user runs it: through a subprocess."""

import numpy as np
import pytest

from checks.cli import cnnlab
from cnnlab.data import demo_image
from cnnlab.imageio import read_image, write_image


@pytest.fixture
def picture(tmp_path):
    path = tmp_path / "picture.png"
    write_image(path, demo_image(48))
    return path


def test_demo_writes_pictures_into_its_folder(tmp_path):
    result = cnnlab("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = {p.name for p in (tmp_path / "cnnlab-demo").iterdir()}
    assert {"original.png", "median.png", "magnitude.png", "filters.png", "kernels.png"} <= written
    assert "filters.png" in result.stdout


def test_filter_with_a_named_kernel_writes_the_output(picture, tmp_path):
    out = tmp_path / "edges.png"
    result = cnnlab("filter", picture, "--kernel", "sobel_x", "-o", out)
    assert result.returncode == 0, result.stderr
    assert read_image(out).shape == (48, 48)


def test_filter_to_npy_keeps_the_raw_values(picture, tmp_path):
    out = tmp_path / "blur.npy"
    assert (
        cnnlab("filter", picture, "--kernel", "gaussian", "--sigma", "1.5", "-o", out).returncode
        == 0
    )
    from cnnlab import filters

    expected = filters.gaussian(read_image(picture), 1.5)
    np.testing.assert_allclose(np.load(out), expected, rtol=1e-6)


def test_median_and_mean_take_a_size(picture, tmp_path):
    for name in ("median", "mean"):
        out = tmp_path / f"{name}.npy"
        assert cnnlab("filter", picture, "--kernel", name, "--size", "5", "-o", out).returncode == 0
        assert np.load(out).shape == (48, 48)


def test_gradient_writes_magnitude_and_angle(picture, tmp_path):
    out = tmp_path / "g.png"
    result = cnnlab("filter", picture, "--gradient", "--kernel", "prewitt", "-o", out)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "g-magnitude.png").exists() and (tmp_path / "g-angle.png").exists()


def test_kernel_file_as_text(picture, tmp_path):
    kernel_file = tmp_path / "k.txt"
    kernel_file.write_text("0 0 0\n0 1 0\n0 0 0\n")
    out = tmp_path / "same.npy"
    assert cnnlab("filter", picture, "--kernel-file", kernel_file, "-o", out).returncode == 0
    np.testing.assert_allclose(np.load(out), read_image(picture), atol=1e-6)


def test_kernels_lists_the_library_with_values():
    result = cnnlab("kernels")
    assert result.returncode == 0
    assert "sobel_x" in result.stdout and "laplacian" in result.stdout and "-4" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.png", "--kernel", "sobel_x"], "No such image file"),
        (["{text}", "--kernel", "sobel_x"], "Not an image"),
        (["{picture}", "--kernel", "sobol_x"], "did you mean 'sobel_x'"),
        (["{picture}", "--kernel", "median", "--size", "4"], "odd int. Received: --size=4"),
        (["{picture}", "--kernel", "mean", "--size", "0"], "odd int. Received: --size=0"),
        (["{picture}", "--kernel-file", "{flat}"], "must hold a 2-D array"),
        (["{picture}", "--kernel-file", "{nan}"], "NaN"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(arguments, message, picture, tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    flat, nan = tmp_path / "flat.npy", tmp_path / "nan.txt"
    np.save(flat, np.ones(3))
    nan.write_text("1 nan\n0 1\n")
    names = {"picture": picture, "text": text, "flat": flat, "nan": nan}
    result = cnnlab("filter", *[a.format(**names) for a in arguments], cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
