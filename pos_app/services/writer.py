"""The one writer of a running till: a single thread that runs, in the order they were asked,
the use cases that write the database, so writes from the screens and the print worker never
race each other for SQLite's lock. Qt-free; the screens reach it through ui/ops.py, which hands
results back to the GUI thread.

Rule that keeps it free of deadlocks: work run on the writer never waits for the thread that
asked (it calls services only and never blocks on the GUI or on a worker). A thread may then wait
for its own work (call()); work already on the writer runs inline instead of queueing behind
itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
THREAD_NAME = "pos-writer"


class Writer:
    """A single-thread executor for database work; close() once, when the till stops."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)
        self._thread: threading.Thread | None = None

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Queue work; RuntimeError once the writer is closed."""
        return self._executor.submit(self._mark_and_run, work)

    def call(self, work: Callable[[], T]) -> T:
        """Run work on the writer and wait for its result (its exception is raised here)."""
        if threading.current_thread() is self._thread:
            return work()
        return self.submit(work).result()

    def close(self) -> None:
        """Finish the queued work, then stop the thread."""
        self._executor.shutdown(wait=True)

    def _mark_and_run(self, work: Callable[[], T]) -> T:
        self._thread = threading.current_thread()
        return work()
