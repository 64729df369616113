"""Background work for the UI (Anki's QueryOp/CollectionOp idea): operations run on the till's
one writer (services/writer.py) in the order they were asked, so database writes never race
each other, and the result or the error comes back to a callback on the GUI thread.

The operation function runs on the writer thread: it must not touch any widget. The callbacks
run on the GUI thread, and are skipped when the widget that asked has been deleted meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any, TypeVar

from pos_app.services.writer import Writer
from pos_app.ui.qt import QObject, Signal, is_alive

T = TypeVar("T")
log = logging.getLogger(__name__)


class OpRunner(QObject):
    """Operations on the writer whose results are delivered on the GUI thread.

    Create it on the GUI thread. `finished` is emitted after each callback ran, which lets
    tests and benches wait for an operation without sleeping.
    """

    finished = Signal()
    _deliver = Signal(object)  # a zero-argument callable, emitted from the writer thread

    def __init__(self, parent: QObject | None = None, *, writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.writer = writer or Writer()  # its own only where no till runs (a tool, a test)
        self._pending = 0
        self._queued: list[Future[Any]] = []  # touched on the GUI thread only
        self._closed = False
        # The connection is queued: the slot runs on the thread this object lives in (GUI).
        self._deliver.connect(self._on_deliver)

    @property
    def busy(self) -> bool:
        """True while an operation is queued or running or its callback is not yet delivered.
        A runner deleted with its window delivers nothing more: never busy then."""
        return self._pending > 0 and is_alive(self)

    def run(
        self,
        op: Callable[[], T],
        *,
        success: Callable[[T], None],
        failure: Callable[[Exception], None],
        owner: QObject | None = None,
    ) -> Future[Any]:
        """Run op on the writer; then success(result) or failure(error) on the GUI thread.

        When owner is given and has been deleted by the time the result arrives, the callbacks
        are dropped (the dialog that asked is gone).
        """
        if self._closed:
            raise RuntimeError("the window is closing: no more operations")
        self._pending += 1

        def work() -> None:
            # This runs on the writer thread.
            try:
                result = op()
            except Exception as error:  # every error goes back to the GUI to be shown
                failed: Exception = error
                self._deliver.emit(lambda: self._finish(owner, failure, failed))
            else:
                self._deliver.emit(lambda: self._finish(owner, success, result))

        future = self.writer.submit(work)
        self._queued = [queued for queued in self._queued if not queued.done()]
        self._queued.append(future)
        return future

    def _finish(self, owner: QObject | None, callback: Callable[[Any], None], value: Any) -> None:
        # This runs on the GUI thread.
        if owner is None or is_alive(owner):
            callback(value)
        else:
            log.debug("dropped the result of an operation whose owner is gone")

    def _on_deliver(self, deliver: Callable[[], None]) -> None:
        try:
            if not self._closed:  # the window that asked is closing: nobody to tell
                deliver()
        finally:
            self._pending -= 1
            self.finished.emit()

    def shutdown(self) -> None:
        """Wait for the operations this runner queued (their callbacks are not delivered any
        more) and take no new ones. The writer goes on for the till's other work."""
        self._closed = True
        wait(self._queued)
