"""Ctrl-C is always clean: ``cnnlab train`` stops at once, in one line, at any moment.

First the thread pool's part of it, in this process: Ctrl-C during a job is raised once
every part has finished, and a worker whose wait is cut short just after it ended still
finishes (the hang seen in ``Worker.finish``). Then whole runs:

Each run gets SIGINT at a random moment of its start-up or its training, and must end
within ``EXIT_SECONDS`` with status 130 (or by SIGINT, see ``check_clean``), one line on
stderr and no traceback; where the
line names a checkpoint to resume from, the file is there. The moments are drawn from
when the process starts loading NumPy, that is once it runs cnnlab's own code: before
that, Python itself is starting (its own imports, ``site``), and a Ctrl-C there shows
Python's traceback, out of cnnlab's reach. Runs go three at a time, with two cnnlab
threads each, so that the thread pool's hand-offs are among the moments hit.
"""

import _thread
import os
import pty
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import cnnlab
from cnnlab.backend.fast import parallel
from cnnlab.backend.fast._workers import Worker

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to see the run start up"
)

EXIT_SECONDS = 20  # a hang never ends; a clean stop takes under a second, more when busy
LATEST_SECONDS = 2.5  # after NumPy starts loading: start-up, data, a few hundred batches


@pytest.fixture
def two_threads():
    before = cnnlab.get_num_threads()
    cnnlab.set_num_threads(2)
    yield
    cnnlab.set_num_threads(before)


def test_ctrl_c_during_a_parallel_job_is_raised_once_every_part_has_finished(two_threads):
    finished = []

    def work(start, stop, part):
        if part == 0:
            _thread.interrupt_main()  # Ctrl-C, as the signal handler sees it
        time.sleep(0.1)
        finished.append(part)

    with pytest.raises(KeyboardInterrupt):
        parallel.parallel_for(work, 8)
    assert sorted(finished) == [0, 1]  # the caller's own part was not cut short either
    assert parallel.parallel_for(lambda start, stop, part: part, 8) == [0, 1]


class RaisesAfterTaking:
    """A lock whose first acquire succeeds and then raises, as a signal handler can."""

    def __init__(self, lock):
        self.lock, self.raised = lock, False

    def acquire(self, blocking=True):
        taken = self.lock.acquire(blocking)
        if not self.raised:
            self.raised = True
            raise KeyboardInterrupt
        return taken

    def release(self):
        self.lock.release()


def test_a_wait_cut_short_just_after_the_task_ended_still_ends():
    worker = Worker("cut-short")
    worker._done = RaisesAfterTaking(worker._done)
    worker.start(lambda: 6 * 7)
    outcome = []

    def finish():
        try:
            worker.finish()
        except KeyboardInterrupt:
            outcome.append("interrupted")

    waiting = threading.Thread(target=finish, daemon=True)
    waiting.start()
    waiting.join(timeout=10)
    assert not waiting.is_alive(), "finish() waits for good"
    assert outcome == ["interrupted"]
    worker.start(lambda: 7)
    assert worker.finish() == 7  # the worker is ready for the next task
    worker.stop()


def test_an_error_that_ctrl_c_caused_is_reported_as_the_interruption(monkeypatch, capsys):
    from cnnlab.cli import kernels
    from cnnlab.cli.main import main

    def run(args):  # as NumPy's first import does when Ctrl-C cuts into its C code
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            raise ImportError("Importing the numpy C-extensions failed.") from None

    monkeypatch.setattr(kernels, "run", run)
    assert main(["kernels"]) == 130
    assert capsys.readouterr().err == "cnnlab: interrupted\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back


def test_ctrl_c_that_something_swallows_is_sent_again(monkeypatch, capsys):
    from cnnlab.cli import kernels
    from cnnlab.cli.main import RESEND_SECONDS, main

    def run(args):  # as C code that clears every error would, while Python code runs in it
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            pass  # swallowed: the command goes on
        time.sleep(5)
        return 0

    monkeypatch.setattr(kernels, "run", run)
    started = time.monotonic()
    assert main(["kernels"]) == 130
    assert time.monotonic() - started < RESEND_SECONDS + 2
    assert capsys.readouterr().err == "cnnlab: interrupted\n"


def test_ctrl_c_that_lands_in_a_finalizer_still_stops_the_command(monkeypatch, capsys):
    from cnnlab.cli import kernels
    from cnnlab.cli.main import main

    class Finalized:
        def __del__(self):  # as where Ctrl-C lands in a weakref callback during an import
            raise KeyboardInterrupt

    def run(args):
        Finalized()  # Python prints "Exception ignored" and goes on
        time.sleep(5)
        return 0

    monkeypatch.setattr(kernels, "run", run)
    started = time.monotonic()
    assert main(["kernels"]) == 130
    assert time.monotonic() - started < 4
    assert capsys.readouterr().err == "cnnlab: interrupted\n"


def interrupt_once(folder, moment: float, stdout: str) -> dict:
    """Start ``cnnlab train shapes``, send SIGINT ``moment`` s into its start-up; the outcome."""
    command = [sys.executable, "-m", "cnnlab", "train", "shapes", "--epochs", "10"]
    command += ["--out", str(folder)]
    env = {**os.environ, "CNNLAB_NUM_THREADS": "2"}
    terminal = None
    if stdout == "pipe":
        out = subprocess.PIPE
    elif stdout == "file":
        out = open(folder.with_suffix(".log"), "w")  # noqa: SIM115 (closed below)
    else:
        terminal, out = pty.openpty()
        threading.Thread(target=drain, args=(terminal,), daemon=True).start()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=env, text=True)
    try:
        wait_for_numpy(process.pid)
        time.sleep(moment)
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        try:
            _, err = process.communicate(timeout=EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return {"moment": moment, "stdout": stdout, "hung": True}
        return {
            "moment": moment,
            "stdout": stdout,
            "hung": False,
            "seconds": time.monotonic() - sent,
            "status": process.returncode,
            "stderr": err,
        }
    finally:
        if stdout == "file":
            out.close()
        elif stdout == "terminal":
            os.close(out)


def wait_for_numpy(pid: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/maps") as maps:
                if "_multiarray_umath" in maps.read():
                    return
        except FileNotFoundError:  # it ended already
            return
        time.sleep(0.002)


def drain(terminal: int) -> None:
    """Read what the run writes to its terminal, so that it never waits for a reader."""
    try:
        while os.read(terminal, 65536):
            pass
    except OSError:  # the run ended and the terminal closed
        pass


def interrupt_many(tmp_path, kinds: list[str], seed: int) -> list[dict]:
    rng = random.Random(seed)
    moments = [rng.uniform(0, LATEST_SECONDS) for _ in kinds]
    with ThreadPoolExecutor(3) as pool:
        runs = pool.map(
            interrupt_once, [tmp_path / f"run{i}" for i in range(len(kinds))], moments, kinds
        )
        return list(runs)


def check_clean(outcome: dict) -> None:
    assert not outcome["hung"], f"no exit {EXIT_SECONDS} s after Ctrl-C: {outcome}"
    said = f"status {outcome['status']} at {outcome['moment']:.2f} s: {outcome['stderr'][-800:]}"
    lines = outcome["stderr"].splitlines()
    assert len(lines) == 1 and lines[0].startswith("cnnlab"), said
    # 130; now and then Python itself ends the run by SIGINT once cnnlab has said its line
    # (-2 here), which a shell reports as 130 all the same
    assert outcome["status"] in (130, -signal.SIGINT), said
    if "resume from " in lines[0]:
        checkpoint = lines[0].split("resume from ", 1)[1].rstrip(".")
        assert os.path.isfile(checkpoint), said


@linux_only
def test_ctrl_c_at_random_moments_of_a_piped_training_run_never_hangs(tmp_path):
    outcomes = interrupt_many(tmp_path, ["pipe"] * 30, seed=14)
    for outcome in outcomes:
        check_clean(outcome)
    assert max(outcome["seconds"] for outcome in outcomes) < EXIT_SECONDS


@linux_only
def test_ctrl_c_is_clean_with_output_to_a_file_or_a_terminal(tmp_path):
    for outcome in interrupt_many(tmp_path, ["file", "terminal"] * 3, seed=15):
        check_clean(outcome)
