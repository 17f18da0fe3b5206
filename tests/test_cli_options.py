"""Every numeric option of the command line (``train``'s aside): any value works, or ends
in exit status 2 with one line that names the option; never a traceback.

The values are parsed and checked in-process by the same parser and ``check`` functions
the command runs first; where the checks pass and the job is small, it runs in-process too.
"""

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from cnnlab.cli import demo, draw, explore, export, filter, guess, predict, summary
from cnnlab.cli.errors import UsageError, shape_argument
from cnnlab.cli.main import COMMANDS, build_parser, main
from cnnlab.data import demo_image, shapes
from cnnlab.filters import filter_cost
from cnnlab.imageio import write_image
from cnnlab.jobs import parse_shape, train_classifier
from cnnlab.jobs.look_inside import estimate_summary_bytes
from cnnlab.tour import run_demo

CHECKS = {
    "demo": demo.check,
    "draw": draw.check,
    "explore": explore.check,
    "export": export.check,
    "filter": filter.check,
    "guess": guess.check,
    "predict": predict.check,
    "summary": summary.check,
}
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WORDS = st.sampled_from(["", "abc", "1.5", "1e3", "0x10", "--", "-", "nan", "inf", "1,2"])
INTS = st.one_of(
    st.integers(-5, 50),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 2**31, 2**63, 10**30]),
).map(str)
FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-1e3, 1e3).map(repr),
    st.sampled_from(["1e6", "1e300", "1e400", "-0.0", "5e-324", "nan", "-inf"]),
)
SHAPES = st.lists(st.integers(-2, 10**7), min_size=1, max_size=4).map(
    lambda sides: "x".join(map(str, sides))
)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A small picture, a trained model and a folder to write into."""
    folder = tmp_path_factory.mktemp("options")
    write_image(folder / "picture.png", demo_image(24))
    data = shapes(60, size=28, rng=0)
    train_classifier((data[:50], data[50:]), epochs=1, out=folder / "trained", quiet=True)
    return folder


def checked(argv: list[str]) -> str | None:
    """None if ``argv`` passes parsing and its command's checks; else the one-line error."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr):
            args = build_parser(argv[0]).parse_args(argv)
    except SystemExit as exit:
        assert exit.code == 2
        lines = stderr.getvalue().strip().splitlines()
        assert lines[-1].startswith(f"cnnlab {argv[0]}: error: argument ")
        return lines[-1]
    try:
        CHECKS[argv[0]](args)
    except (UsageError, ValueError) as error:
        assert "\n" not in str(error)
        return str(error)
    return None


def runs(argv: list[str]) -> None:
    """Run ``cnnlab ARGV`` in-process: exit status 0, and nothing on stderr."""
    stderr, stdout = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        status = main(argv)
    assert status == 0, stderr.getvalue()


def assert_names(refusal: str, option: str) -> None:
    assert option in refusal, refusal


@SETTINGS
@given(value=st.one_of(INTS, WORDS))
def test_demo_epochs_is_a_positive_int(value):
    refusal = checked(["demo", "--epochs", value])
    if refusal is not None:
        assert_names(refusal, "--epochs")
    else:
        assert int(value) >= 1


@SETTINGS
@given(value=st.one_of(INTS, WORDS))
def test_demo_seed_is_any_non_negative_int(value):
    refusal = checked(["demo", "--seed", value])
    if refusal is not None:
        assert_names(refusal, "--seed")
    else:
        assert int(value) >= 0


def test_the_demo_runs_with_the_largest_seeds_it_accepts(tmp_path):
    files = run_demo(tmp_path, epochs=1, count=96, seed=2**70, console=Console(file=io.StringIO()))
    assert files["report"].exists()


@SETTINGS
@given(value=st.one_of(INTS, WORDS), command=st.sampled_from(["predict", "guess"]))
def test_top_is_a_positive_int_and_any_such_value_works(files, value, command):
    weights, picture = files / "trained" / "model.safetensors", files / "picture.png"
    if command == "predict":
        argv = ["predict", str(weights), str(picture), "--top", value]
    else:
        argv = ["guess", str(picture), "--weights", str(weights), "--top", value]
    refusal = checked(argv)
    if refusal is not None:
        assert_names(refusal, "--top")
    else:
        runs(argv)


@SETTINGS
@given(size=st.one_of(INTS, WORDS), name=st.sampled_from(["mean", "median"]))
def test_filter_size_works_or_is_refused_naming_it(files, size, name):
    argv = ["filter", str(files / "picture.png"), "--kernel", name, "--size", size]
    argv += ["-o", str(files / "out.npy")]
    refusal = checked(argv)
    if refusal is None:
        refusal = cost_refusal(argv, (24, 24, 3), name, size=int(size))
    if refusal is not None:
        assert_names(refusal, "--size")


@SETTINGS
@given(sigma=st.one_of(FLOATS, WORDS))
def test_filter_sigma_works_or_is_refused_naming_it(files, sigma):
    argv = ["filter", str(files / "picture.png"), "--sigma", sigma, "-o", str(files / "s.npy")]
    refusal = checked(argv)
    if refusal is None:
        refusal = cost_refusal(argv, (24, 24, 3), "gaussian", sigma=float(sigma))
    if refusal is not None:
        assert_names(refusal, "--sigma")


def cost_refusal(argv, image_shape, name, **params) -> str | None:
    """The budget's refusal for this filter, or None after running it (when it is quick)."""
    args = build_parser(argv[0]).parse_args(argv)
    try:
        filter.check_cost(args, image_shape, None)
    except UsageError as error:
        assert "\n" not in str(error) and "about" in str(error)
        return str(error)
    if filter_cost(name, image_shape, **params).seconds < 0.5:
        runs(argv)
    return None


@SETTINGS
@given(batch=st.one_of(INTS, WORDS))
def test_summary_batch_size_works_or_is_refused_with_an_estimate(batch):
    argv = ["summary", "lenet5", "--batch-size", batch, "--format", "json"]
    refusal = checked(argv)
    if refusal is not None:
        assert_names(refusal, "--batch-size")
    elif estimate_summary_bytes("lenet5", None, int(batch)) < 50 * 2**20:
        runs(argv)


@SETTINGS
@given(spacing=st.one_of(FLOATS, WORDS))
def test_summary_spacing_works_or_is_refused_naming_it(spacing):
    argv = ["summary", "lenet5", "--spacing", spacing, "--format", "csv"]
    refusal = checked(argv)
    if refusal is not None:
        assert_names(refusal, "--spacing")
    else:
        runs(argv)


@SETTINGS
@given(shape=st.one_of(SHAPES, WORDS), command=st.sampled_from(["summary", "draw", "export"]))
def test_input_shape_works_or_is_refused_naming_it(files, shape, command):
    argv = [command, "lenet5", "--input", shape]
    argv += {
        "summary": ["--format", "json"],
        "draw": ["-o", str(files / "net.svg")],
        "export": ["--to", "torch", "-o", str(files / "exported")],
    }[command]
    refusal = checked(argv)
    if refusal is None:
        if estimate_summary_bytes("lenet5", parse_shape(shape)) > 50 * 2**20:
            return  # accepted, but too large to run here
        stderr, stdout = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            status = main(argv)
        if status == 0:
            return
        if status == 1:  # summary's table of the layers that ran, and the one that failed
            assert command == "summary" and '"error"' in stdout.getvalue()
            return
        refusal = stderr.getvalue().strip()
        assert status == 2 and len(refusal.splitlines()) == 1, refusal
    assert_names(refusal, "--input")


@SETTINGS
@given(port=st.one_of(INTS, WORDS))
def test_explore_port_is_0_to_65535(port):
    refusal = checked(["explore", "lenet5", "--no-browser", "--port", port])
    if refusal is not None:
        assert_names(refusal, "--port")
    else:
        assert 0 <= int(port) <= 65535


@SETTINGS
@given(shape=st.one_of(SHAPES, WORDS))
def test_explore_input_works_or_is_refused_naming_it(shape):
    from cnnlab.explore import explore as open_explorer

    refusal = checked(["explore", "lenet5", "--no-browser", "--input", shape])
    if refusal is None:
        if estimate_summary_bytes("lenet5", parse_shape(shape)) > 50 * 2**20:
            return  # accepted, but too large to run here
        try:
            open_explorer("lenet5", open_browser=False, input_shape=parse_shape(shape)).close()
            return
        except ValueError as error:  # the CLI rewords it to name --input (input_error)
            refusal = str(explore.input_error("lenet5", parse_shape(shape), error))
    assert_names(refusal, "--input")


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["demo", "--epochs", "0"], "--epochs"),
        (["demo", "--seed", "-1"], "--seed"),
        (["summary", "lenet5", "--input", "1x100000x100000"], "--input"),
        (["summary", "lenet5", "--batch-size", "1000000000"], "--batch-size"),
        (["filter", "x.png", "--sigma", "nan"], "--sigma"),
        (["guess", "x.png", "--top", "0"], "--top"),
        (["explore", "lenet5", "--no-browser", "--input", "1x100000x100000"], "--input"),
    ],
)
def test_the_installed_command_refuses_with_one_line_naming_the_option(tmp_path, argv, option):
    from checks.cli import cnnlab

    result = cnnlab(*argv, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and option in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert list(Path(tmp_path).iterdir()) == []  # refused before anything was written


def test_every_numeric_option_but_trains_is_covered():
    """A new numeric option fails this test until a property test above covers it."""
    numeric = set()
    for command in COMMANDS:  # each command's own arguments are added when it runs
        subparsers = next(a for a in build_parser(command)._actions if a.dest == "command")
        numeric |= {
            (command, action.option_strings[-1])
            for action in subparsers.choices[command]._actions
            if action.type in (int, float, shape_argument)
        }
    covered = {
        ("demo", "--epochs"), ("demo", "--seed"), ("predict", "--top"), ("guess", "--top"),
        ("filter", "--size"), ("filter", "--sigma"), ("summary", "--batch-size"),
        ("summary", "--spacing"), ("summary", "--input"), ("draw", "--input"),
        ("export", "--input"), ("explore", "--port"), ("explore", "--input"),
    }  # fmt: skip
    assert {option for option in numeric if option[0] != "train"} == covered
