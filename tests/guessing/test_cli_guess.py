"""`cnnlab guess` and `cnnlab weights`, through the command line's main()."""

import importlib
import json

import pytest

from cnnlab.data import shapes
from cnnlab.imageio import write_image
from cnnlab.jobs import train_classifier

cli = importlib.import_module("cnnlab.cli.main")  # cnnlab.cli.main is also the function


@pytest.fixture
def cnnlab(capsys):
    """Run `cnnlab ARGS...` in-process; (exit status, stdout, stderr)."""

    def run(*argv):
        status = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    data = shapes(120, size=28, rng=0)
    out = tmp_path_factory.mktemp("trained")
    train_classifier((data[:100], data[100:]), epochs=1, out=out, quiet=True)
    for i in range(2):
        write_image(out / f"{i}.png", data.images[100 + i, 0])
    return out


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """An empty cache and a download source that does not exist: no network is touched."""
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path / "cache"))
    monkeypatch.setenv("CNNLAB_DATA_URL", str(tmp_path / "nowhere"))


def test_guess_prints_the_bots_two_lines(cnnlab, trained):
    status, out, err = cnnlab(
        "guess", trained / "0.png", "--weights", trained / "model.safetensors"
    )
    assert status == 0, err
    first, second = out.splitlines()
    assert first.startswith("Image prediction: ") and first[18:] in shapes(5).classes
    assert second.startswith("Confidence: ") and second.endswith("%")


def test_guess_lists_the_top_k_of_each_image_and_names_them(cnnlab, trained):
    images = [trained / "0.png", trained / "1.png"]
    status, out, _ = cnnlab(
        "guess", *images, "--weights", trained / "model.safetensors", "--top", 3
    )
    assert status == 0
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 2 and blocks[1].splitlines()[0] == f"{images[1]}:"
    assert blocks[0].splitlines()[3] == "top 3 guesses:" and len(blocks[0].splitlines()) == 7


def test_guess_json_and_tta(cnnlab, trained):
    weights = trained / "model.safetensors"
    status, out, _ = cnnlab("guess", trained / "0.png", "--weights", weights, "--json", "--tta")
    assert status == 0
    (result,) = json.loads(out)
    assert result["views"] == 10 and result["prediction"] == result["top"][0]["label"]
    status, out, _ = cnnlab("guess", trained / "0.png", "--weights", weights, "--tta")
    assert "averaged over 10 views" in out


def test_guess_without_weights_offline_is_one_line_and_status_2(cnnlab, offline, trained):
    status, out, err = cnnlab("guess", trained / "0.png", "--model", "resnet18")
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "cnnlab guess: error: Could not download" in err and "by hand" in err


def test_weights_list_shows_every_known_file_and_whether_it_is_cached(cnnlab, offline, tmp_path):
    folder = tmp_path / "cache" / "weights"
    folder.mkdir(parents=True)
    (folder / "resnet18-f37072fd.pth").write_bytes(b"")
    status, out, _ = cnnlab("weights", "list")
    assert status == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "resnext50_32x4d.v1" in rows and rows["resnext50_32x4d.v1"].endswith(" no")
    assert rows["resnet18"].endswith("resnet18-f37072fd.pth")


def test_weights_download_offline_is_one_line_and_status_2(cnnlab, offline):
    status, out, err = cnnlab("weights", "download", "resnext50_32x4d.v1")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "resnext50_32x4d-7cdf4587.pth" in err
