"""The command line refuses bad requests first, clearly, and never answers wrongly.

Each case runs ``cnnlab`` in-process (``main(argv)``, the function the installed command
calls) and reads what it prints; ``test_cli.py`` runs the installed command itself.
"""

import shutil
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from cnnlab.cli.main import main
from cnnlab.data import demo_image, shapes
from cnnlab.imageio import write_image
from cnnlab.jobs import train_classifier

EXIF_ORIENTATION, ROTATE_90_CLOCKWISE = 0x0112, 6


@pytest.fixture(autouse=True)
def in_a_scratch_folder(tmp_path, monkeypatch):
    """Outputs named after their input (no ``-o``) land in the test's own folder."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    data = shapes(60, size=28, rng=0)
    out = tmp_path_factory.mktemp("trained")
    train_classifier((data[:50], data[50:]), epochs=1, out=out, quiet=True)
    return out


@pytest.fixture
def picture(tmp_path):
    path = tmp_path / "picture.png"
    write_image(path, demo_image(48))
    return path


def cnnlab(argv, capsys):
    """Run ``cnnlab ARGV``; return (exit status, stdout, stderr)."""
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def refusal(argv, capsys) -> str:
    """Run ``cnnlab ARGV``, which must fail with exit 2 and one line; return that line."""
    status, _, err = cnnlab(argv, capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


def peak_bytes(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_huge_gaussian_is_refused_with_its_memory_before_allocating(tmp_path, capsys):
    photo = tmp_path / "photo.png"
    write_image(photo, np.random.default_rng(0).random((480, 640)))
    line = None

    def run():
        nonlocal line
        line = refusal(["filter", photo, "--sigma", "1e6"], capsys)

    peak = peak_bytes(run)
    assert "Filtering the 480x640 image with gaussian would need about" in line
    assert "GiB of memory" in line and "--sigma=1000000.0" in line
    assert peak < 50 * 2**20


def test_a_huge_gaussian_on_a_small_image_is_refused_with_its_running_time(picture, capsys):
    line = refusal(["filter", picture, "--sigma", "1e6"], capsys)
    assert "would take about" in line and "more than the 1 minute a command may run" in line


def test_a_huge_median_is_refused_with_its_running_time(picture, capsys):
    line = refusal(["filter", picture, "--kernel", "median", "--size", "1001"], capsys)
    assert "would take about 2 minutes" in line and "--size=1001" in line


@pytest.mark.parametrize(
    ("options", "estimate"),
    [(["--input", "1x100000x100000"], "37.3 GiB"), (["--batch-size", "1000000000"], "TiB")],
)
def test_a_huge_summary_is_refused_with_its_memory_before_allocating(options, estimate, capsys):
    line = None

    def run():
        nonlocal line
        line = refusal(["summary", "lenet5", *options], capsys)

    peak = peak_bytes(run)
    assert estimate in line and options[0] in line
    assert peak < 50 * 2**20


def test_drawing_into_an_existing_folder_is_refused_and_writes_nothing(tmp_path, capsys):
    folder = tmp_path / "pictures"
    folder.mkdir()
    line = refusal(["draw", "lenet5", "-o", folder], capsys)
    assert "is a folder" in line and "`-o`" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pictures"]
    assert list(folder.iterdir()) == []


def test_a_drawing_without_a_format_suffix_is_refused(tmp_path, capsys):
    line = refusal(["draw", "lenet5", "-o", tmp_path / "net"], capsys)
    assert "`-o` must end in a picture format" in line and ".svg" in line
    assert list(tmp_path.iterdir()) == []


def test_a_filter_output_without_a_format_suffix_names_the_formats(picture, tmp_path, capsys):
    line = refusal(["filter", picture, "-o", tmp_path / "out"], capsys)
    assert "`-o` must be a file name ending in an image format" in line and ".png" in line
    assert "unknown file extension" not in line


def test_gradient_with_a_kernel_file_is_refused_instead_of_ignoring_the_file(
    picture, tmp_path, capsys
):
    kernel = tmp_path / "k.txt"
    kernel.write_text("1 0\n0 -1\n")
    line = refusal(["filter", picture, "--gradient", "--kernel-file", kernel], capsys)
    assert "`--gradient`" in line and "kernel file" in line
    assert not list(tmp_path.glob("*-magnitude.png"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1 2 3\n4 5\n", "differ in length"),
        ("", "holds no numbers"),
    ],
)
def test_bad_text_kernel_files_are_described_in_cnnlabs_words(
    picture, tmp_path, capsys, content, message
):
    kernel = tmp_path / "k.txt"
    kernel.write_text(content)
    line = refusal(["filter", picture, "--kernel-file", kernel], capsys)
    assert message in line and "usecols" not in line


def test_a_garbage_npy_kernel_is_described_without_numpys_pickle_words(picture, tmp_path, capsys):
    kernel = tmp_path / "k.npy"
    kernel.write_bytes(b"not an array at all")
    line = refusal(["filter", picture, "--kernel-file", kernel], capsys)
    assert "is not a .npy file" in line and "allow_pickle" not in line


def test_demo_with_zero_epochs_is_refused_before_any_picture_is_written(tmp_path, capsys):
    out = tmp_path / "demo"
    line = refusal(["demo", "--epochs", "0", "--out", out], capsys)
    assert "`--epochs` must be a positive int" in line
    assert not out.exists()


def test_a_negative_seed_is_refused_naming_the_option(tmp_path, capsys):
    line = refusal(["demo", "--seed", "-1", "--out", tmp_path / "demo"], capsys)
    assert "`--seed` must be a non-negative int. Received: --seed=-1." in line


@pytest.mark.parametrize(("model", "hint"), [("nosuch", ""), ("resnet19", "'resnet18'")])
def test_guess_with_an_unknown_model_says_so_with_did_you_mean(picture, capsys, model, hint):
    line = refusal(["guess", picture, "--model", model], capsys)
    assert f"Unknown model '{model}'" in line and "no known ImageNet weights" not in line
    assert hint in line and ("did you mean" in line) == bool(hint)


def test_predict_prints_the_readable_images_then_the_error(trained, picture, tmp_path, capsys):
    missing = tmp_path / "missing.png"
    weights = trained / "model.safetensors"
    status, out, err = cnnlab(["predict", weights, picture, missing, picture], capsys)
    assert status == 2
    assert out.count(f"{picture}: ") == 2
    assert err.strip() == f"cnnlab predict: error: No such image file: {missing}"


def test_predict_lists_every_unreadable_image_below_one_line(trained, picture, tmp_path, capsys):
    weights = trained / "model.safetensors"
    status, out, err = cnnlab(["predict", weights, picture, tmp_path, tmp_path / "x.png"], capsys)
    assert status == 2 and out.count(f"{picture}: ") == 1
    lines = err.strip().splitlines()
    assert lines[0] == "cnnlab predict: error: 2 of 3 images could not be read:"
    assert "found a folder" in lines[1] and "No such image file" in lines[2]


def test_predict_with_the_training_checkpoint_points_to_the_model(trained, picture, capsys):
    line = refusal(["predict", trained / "checkpoint.safetensors", picture], capsys)
    assert f"pass the model.safetensors of that folder, {trained / 'model.safetensors'}" in line
    assert "checkpoint.json" in line  # said as what it lacks, not as what to look for


def test_weights_that_do_not_match_print_every_mismatch(trained, picture, tmp_path, capsys):
    from safetensors.numpy import load_file, save_file

    state = load_file(trained / "model.safetensors")
    state["3.weight"] = np.zeros((16, 6, 3, 3), np.float32)  # a 3x3 kernel for a 5x5 one
    state["3.bias"] = np.zeros(17, np.float32)
    save_file(state, tmp_path / "model.safetensors")
    shutil.copy(trained / "model.json", tmp_path / "model.json")
    status, _, err = cnnlab(["predict", tmp_path / "model.safetensors", picture], capsys)
    lines = err.strip().splitlines()
    assert status == 2 and lines[0].endswith("do not match Sequential:")
    assert len(lines) == 3
    assert "3.weight" in lines[1] and "(16, 6, 3, 3)" in lines[1] and "(16, 6, 5, 5)" in lines[1]
    assert "3.bias" in lines[2] and "(17,)" in lines[2] and "(16,)" in lines[2]


def test_a_jpeg_turned_by_its_exif_tag_is_filtered_upright(tmp_path, capsys):
    stored = np.zeros((16, 40), np.uint8)
    stored[:, 20:] = 255
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATE_90_CLOCKWISE
    Image.fromarray(stored).save(tmp_path / "photo.jpg", exif=exif, quality=95)
    out = tmp_path / "same.npy"
    status, _, err = cnnlab(
        ["filter", tmp_path / "photo.jpg", "--kernel", "identity", "-o", out], capsys
    )
    assert status == 0, err
    upright = np.load(out)
    assert upright.shape == (40, 16)
    assert upright[:15].mean() < 0.1 and upright[25:].mean() > 0.9  # dark half on top


def test_a_training_folder_given_as_weights_points_to_the_model_inside(trained, capsys):
    line = refusal(["draw", trained, "-o", "net.svg"], capsys)
    assert f"found a folder, {trained}: pass {trained / 'model.safetensors'}" in line
