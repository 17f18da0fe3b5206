"""A thread that runs one task at a time, handed over through two locks.

:mod:`cnnlab.backend.fast.parallel` keeps one per extra thread. Handing a task to a
``concurrent.futures.ThreadPoolExecutor`` and waiting for its result took about 73 µs
here (a queue, a future and a condition, each behind Python-level locks); releasing one
lock to start the task and acquiring another to wait for it takes about 15 µs, which is
what lets small layers be split at all.

>>> worker = Worker("example")
>>> worker.start(lambda: 6 * 7)
>>> worker.finish()
42
>>> worker.stop()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class Worker:
    """A daemon thread that runs the tasks given by :meth:`start`, one at a time."""

    def __init__(self, name: str, on_start: Callable[[], None] | None = None):
        self._go, self._done = threading.Lock(), threading.Lock()
        self._go.acquire()  # held until there is a task
        self._done.acquire()  # held until the task has finished
        self._task: Callable[[], Any] | None = None
        self._result: Any = None
        self._error: BaseException | None = None
        self._ended: Callable[[], Any] | None = None  # the last task whose _done is released
        self._on_start = on_start
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def start(self, task: Callable[[], Any]) -> None:
        """Begin ``task()`` on the worker's thread; :meth:`finish` waits for it."""
        self._task = task
        self._go.release()

    def finish(self) -> Any:
        """Wait for the task, then return its result or raise its error.

        An exception raised in this thread while it waits (by a signal handler) does not
        cut the wait short, since the task is still writing; it is raised once the task is
        done. (:func:`~cnnlab.backend.fast.parallel.parallel_for` holds Ctrl-C back until then
        anyway.)
        """
        try:
            self._done.acquire()
        except BaseException:
            self._wait_after_exception()
            raise
        finally:
            result, error = self._result, self._error
            self._result = self._error = None
        if error is not None:
            raise error
        return result

    def stop(self) -> None:
        """Let the thread end (it must be idle: no task started and not finished)."""
        self._task = None
        self._go.release()

    def _wait_after_exception(self) -> None:
        """Wait for the task after an exception ended :meth:`finish`'s wait.

        A signal's handler runs just after a call returns, so the exception may come after
        ``_done`` was taken: waiting on ``_done`` again would then wait for good. The worker
        says which task it has released ``_done`` for (``_ended``); once that is this task,
        ``_done`` is taken here unless it was taken already. Exceptions meanwhile (a second
        Ctrl-C) wait too: the task is short, and it is still writing.
        """
        while True:
            try:
                while self._ended is not self._task:
                    time.sleep(0.001)
                self._done.acquire(blocking=False)
                return
            except BaseException:
                continue

    def _run(self) -> None:
        if self._on_start is not None:
            self._on_start()
        while True:
            self._go.acquire()
            task = self._task
            if task is None:
                return
            try:
                self._result = task()
            except BaseException as error:  # handed to the caller by finish()
                self._error = error
            self._done.release()
            self._ended = task  # after the release: see _wait_after_exception
