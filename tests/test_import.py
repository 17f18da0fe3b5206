"""Importing cnnlab changes nothing outside it, and loads only what is used.

Each check runs in a fresh interpreter, since this one has imported everything already.
"""

import json
import subprocess
import sys

import pytest

import cnnlab

HEAVY = ("numpy", "scipy", "matplotlib", "safetensors", "PIL", "rich", "threadpoolctl")


def fresh(code: str) -> dict:
    """Run ``code`` in a new interpreter; it ends by printing ``report()``, read back here."""
    prelude = (
        "import json, signal, sys, threading\n"
        "def report(**extra):\n"
        "    print(json.dumps({'modules': sorted(sys.modules),\n"
        "        'threads': threading.active_count(),\n"
        "        'sigint': signal.getsignal(signal.SIGINT) is signal.default_int_handler,\n"
        "        **extra}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def loaded(modules: list[str], *names: str) -> list[str]:
    return [name for name in names if name in modules]


def test_import_cnnlab_loads_no_numpy_starts_no_thread_and_keeps_the_sigint_handler():
    state = fresh("import cnnlab\nreport()")
    assert loaded(state["modules"], *HEAVY) == []
    assert [m for m in state["modules"] if m.startswith("cnnlab")] == ["cnnlab", "cnnlab._lazy"]
    assert state["threads"] == 1
    assert state["sigint"]


@pytest.mark.parametrize("package", ["signal", "filters"])
def test_import_of_signal_or_filters_loads_no_layers_no_plotting_no_weights_io(package):
    state = fresh(f"import cnnlab.{package}\nreport()")
    assert loaded(state["modules"], "cnnlab.nn", "cnnlab.functional", *HEAVY[1:]) == []
    assert state["threads"] == 1


def test_top_level_names_load_on_first_use():
    state = fresh(
        "import cnnlab\n"
        "before = 'cnnlab.serialization' in sys.modules\n"
        "save = cnnlab.save\n"
        "report(before=before, after='cnnlab.serialization' in sys.modules)"
    )
    assert (state["before"], state["after"]) == (False, True)


def test_the_top_level_names_are_the_library_functions():
    from cnnlab.backend import (
        get_backend,
        get_num_threads,
        set_backend,
        set_num_threads,
        use_backend,
    )
    from cnnlab.grad_mode import no_grad
    from cnnlab.guessing import guess
    from cnnlab.memory import keep_freed_memory
    from cnnlab.serialization import load_weights, save

    assert cnnlab.no_grad is no_grad and cnnlab.guess is guess
    assert cnnlab.save is save and cnnlab.load_weights is load_weights
    assert cnnlab.get_num_threads is get_num_threads
    assert cnnlab.set_num_threads is set_num_threads
    assert cnnlab.keep_freed_memory is keep_freed_memory
    assert cnnlab.get_backend is get_backend and cnnlab.set_backend is set_backend
    assert cnnlab.use_backend is use_backend
    assert {"nn", "signal", "save", "no_grad", "set_num_threads"} <= set(dir(cnnlab))


def test_an_unknown_name_is_an_attribute_error_that_names_it():
    with pytest.raises(AttributeError, match="module 'cnnlab' has no attribute 'convolve'"):
        cnnlab.convolve  # noqa: B018


def test_cnnlab_help_loads_no_numpy_and_no_command_module():
    state = fresh(
        "from cnnlab.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "report()"
    )
    assert loaded(state["modules"], *HEAVY) == []
    commands = [m for m in state["modules"] if m.startswith("cnnlab.cli.")]
    assert commands == ["cnnlab.cli.main"]


def test_a_command_loads_its_own_module_only():
    state = fresh("from cnnlab.cli import main\nmain(['kernels'])\nreport()")
    commands = [m for m in state["modules"] if m.startswith("cnnlab.cli.")]
    assert sorted(commands) == ["cnnlab.cli.kernels", "cnnlab.cli.main"]
    assert loaded(state["modules"], "matplotlib", "scipy", "cnnlab.nn") == []


def test_each_command_s_help_in_the_list_is_its_own():
    import importlib

    from cnnlab.cli.main import COMMANDS

    for name, one_line in COMMANDS.items():
        assert importlib.import_module(f"cnnlab.cli.{name}").HELP == one_line, name
