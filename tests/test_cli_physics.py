"""`cnnlab train spectra|fringes` hand their options to the experiments (which have their own
tests: tests/physics); running them whole takes a minute each, so here they are stand-ins."""

import importlib

import pytest

from cnnlab.cli.main import main

# cnnlab.cli.physics imports each experiment when it runs: the stand-ins go where it looks
spectra_experiment = importlib.import_module("cnnlab.physics.spectra_experiment")
fringes_experiment = importlib.import_module("cnnlab.physics.fringes_experiment")


@pytest.fixture
def calls(monkeypatch):
    seen = []

    def recorder(name):
        def run(out, **options):
            seen.append((name, out, options))

        return run

    monkeypatch.setattr(spectra_experiment, "run_spectra_experiment", recorder("spectra"))
    monkeypatch.setattr(fringes_experiment, "run_fringes_experiment", recorder("fringes"))
    return seen


def test_train_spectra_runs_the_line_shape_task_by_default(calls, tmp_path):
    assert main(["train", "spectra", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert calls == [("spectra", tmp_path, {"task": "shape", "seed": 3})]


def test_train_spectra_counts_peaks_when_asked(calls):
    assert main(["train", "spectra", "--task", "count"]) == 0
    ((name, out, options),) = calls
    assert options["task"] == "count" and str(out) == "cnnlab-spectra"


def test_train_fringes_runs_the_fringe_experiment(calls, tmp_path):
    assert main(["train", "fringes", "--out", str(tmp_path)]) == 0
    assert calls == [("fringes", tmp_path, {"seed": 0})]


def test_unknown_task_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "spectra", "--task", "width"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'width'" in capsys.readouterr().err
