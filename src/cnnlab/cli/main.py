"""Argument parsing and error handling shared by every sub-command.

The top-level parser knows each sub-command by its name and one-line help (``COMMANDS``);
the module ``cnnlab.cli.NAME``, with its own ``add_parser(subparsers)`` and ``run(args)``,
is imported only when ``cnnlab NAME`` runs, so ``cnnlab --help`` loads neither NumPy nor
matplotlib. Everything after start-up, imports included, runs inside :func:`main`'s
error handling: bad input and Ctrl-C each end in one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module

from .. import __version__

# name -> one-line help; the module cnnlab.cli.NAME keeps the same text as its HELP
COMMANDS = {
    "demo": "offline tour on built-in data: filters a picture, trains LeNet-5, writes a report",
    "train": "train a CNN on a dataset (shapes, mnist, fashion-mnist, cifar10 or an image "
    "folder), or run a physics experiment (ising, spectra, fringes, gauge, photonic)",
    "predict": "classify images with a model written by `cnnlab train`",
    "guess": "guess what images show with an ImageNet network (or a model from `cnnlab train`)",
    "weights": "list or download the known ImageNet weights (torchvision's files)",
    "summary": "table of layers: output shape, parameters, MACs, receptive field",
    "show": "activation maps of every layer for one image, the kernels, and the top prediction",
    "draw": "draw the architecture as a schematic (SVG or PNG by the file's suffix)",
    "filter": "apply a named kernel (see `cnnlab kernels`) or a kernel file to an image",
    "kernels": "list the kernel library with each kernel printed",
    "export": "export a model as plain PyTorch code + weights (--to torch) or as ONNX (--to onnx)",
    "explore": "a local page to look inside a network: maps, receptive fields, pooling, "
    "Grad-CAM, filters",
}
RESEND_SECONDS = 1.5  # a Ctrl-C that has not reached main() by then is sent again
# the commands that run networks, whose layers free and allocate big arrays over and over
KEEP_FREED_MEMORY = ("demo", "train", "predict", "guess")


def build_parser(command: str | None = None):
    """The ``cnnlab`` parser; only ``command``'s module is imported, to add its arguments."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="cnnlab",
        description="A convolutional-neural-network laboratory on NumPy.",
    )
    parser.add_argument("--version", action="version", version=f"cnnlab {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, one_line in COMMANDS.items():
        if name == command:
            import_module(f"{__package__}.{name}").add_parser(subparsers)
        else:  # listed in `cnnlab --help`, never parsed: argv names another command
            subparsers.add_parser(name, help=one_line, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    # the first word that is not an option names the command (the top level has no
    # option that takes a value)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    with _ctrl_c_noted() as ctrl_c:
        try:
            args = build_parser(command if command in COMMANDS else None).parse_args(argv)
            if args.command in KEEP_FREED_MEMORY:
                from ..memory import keep_freed_memory

                keep_freed_memory()
            return args.run(args) or 0
        except KeyboardInterrupt as interrupted:  # Ctrl-C at any moment, start-up included
            ctrl_c.handled = True
            return _interrupted(command, interrupted)
        except BrokenPipeError as error:  # e.g. `cnnlab kernels | head`: the reader left
            if isinstance(error.__context__, KeyboardInterrupt):  # Ctrl-C ended it: `| tee`
                ctrl_c.handled = True
                return _interrupted(command, error.__context__)
            _silence(sys.stdout)
            return 0
        except Exception as error:
            if ctrl_c.pressed:  # an error Ctrl-C caused: an import cut short in NumPy's C code
                ctrl_c.handled = True
                return _interrupted(command, KeyboardInterrupt())
            from .errors import UsageError, error_message  # here: --help needs none of it

            if not isinstance(error, (UsageError, ValueError, TypeError, OSError)):
                raise  # a bug: its traceback
            if os.environ.get("CNNLAB_DEBUG"):
                raise
            print(error_message(command, error), file=sys.stderr)
            return 2


class _CtrlC:
    """What :func:`_ctrl_c_noted` knows: Ctrl-C presses, and whether ``main`` has seen one."""

    def __init__(self) -> None:
        self.pressed: list[int] = []
        self.handled = False  # set by main once a KeyboardInterrupt has reached it


@contextmanager
def _ctrl_c_noted() -> Iterator[_CtrlC]:
    """Note each Ctrl-C for the block, and raise KeyboardInterrupt as usual.

    Ctrl-C inside C code can come out as another error with the KeyboardInterrupt gone:
    cut into NumPy's first import, it is an ImportError. The note tells the two apart.
    And one that lands in a finalizer (a ``__del__``, a weakref callback, as imports run)
    would be printed as "Exception ignored" and lost, the run going on: it is sent
    again. So is one that has not reached ``main`` within ``RESEND_SECONDS``: C code that
    clears every error (``PyDict_GetItem``, ``PyObject_HasAttr``) can swallow it while it
    runs Python code, and the run would go on to its end. Only where Python's own handler
    is in place, and for the block only.
    """
    state = _CtrlC()
    timers: list[threading.Timer] = []

    def again_unless_handled() -> None:
        if not state.handled:
            os.kill(os.getpid(), signal.SIGINT)

    def on_ctrl_c(signum, frame):
        state.pressed.append(signum)
        timer = threading.Timer(RESEND_SECONDS, again_unless_handled)
        timer.daemon = True
        timers.append(timer)
        timer.start()
        raise KeyboardInterrupt

    def on_unraisable(unraisable) -> None:
        if issubclass(unraisable.exc_type, KeyboardInterrupt):  # Ctrl-C again, in 50 ms:
            # once this hook has returned, since a KeyboardInterrupt in it is lost too
            threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
        else:
            hook(unraisable)

    ours = threading.current_thread() is threading.main_thread()
    ours = ours and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if ours:
        hook, sys.unraisablehook = sys.unraisablehook, on_unraisable
        signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield state
    finally:
        state.handled = True
        for timer in timers:
            timer.cancel()
        if ours:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sys.unraisablehook = hook


def run_and_exit() -> None:
    """The ``cnnlab`` program: :func:`main` on ``sys.argv``, then exit with its status.

    After Ctrl-C the process ends at once (``os._exit``), once its output is flushed:
    the interpreter's teardown is skipped, since a Ctrl-C that cut into an extension
    module's import (NumPy's, BLAS's threads) can make that teardown abort ("Fatal Python
    error ... finalizing") instead of exiting with 130. Whatever needed saving was
    saved on the way out of ``main`` (fit writes its checkpoint before it stops).
    """
    status = main()
    if status == 130:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a reader that left, or a closed stream
                pass
        os._exit(130)
    sys.exit(status)


def _interrupted(command: str | None, interrupted: KeyboardInterrupt) -> int:
    """One line on stderr (fit's TrainingInterrupted says where to resume); status 130."""
    line = f"cnnlab {command}: {interrupted}" if str(interrupted) else "cnnlab: interrupted"
    try:
        sys.stdout.flush()  # what was printed before, then the line on stderr
    except (BrokenPipeError, ValueError):  # a reader that left, or a closed stream
        _silence(sys.stdout)
    try:
        print(line, file=sys.stderr)
    except (BrokenPipeError, ValueError):
        _silence(sys.stderr)
    return 130


def _silence(stream) -> None:
    """Point ``stream``'s descriptor at /dev/null, so that Python's flush at exit is quiet."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError):  # no descriptor (pytest's capture)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
