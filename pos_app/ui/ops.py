"""Background work for the UI (Anki's QueryOp/CollectionOp idea): one worker thread runs the
operations in order, so database writes from the till never race each other, and the result or
the error comes back to a callback on the GUI thread.

The operation function runs on the worker thread: it must not touch any widget. The callbacks
run on the GUI thread, and are skipped when the widget that asked has been deleted meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from pos_app.ui.qt import QObject, Signal, is_alive

T = TypeVar("T")
log = logging.getLogger(__name__)


class OpRunner(QObject):
    """A single-worker executor whose results are delivered on the GUI thread.

    Create it on the GUI thread. `finished` is emitted after each callback ran, which lets
    tests and benches wait for an operation without sleeping.
    """

    finished = Signal()
    _deliver = Signal(object)  # a zero-argument callable, emitted from the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pos-op")
        self._pending = 0
        # The connection is queued: the slot runs on the thread this object lives in (GUI).
        self._deliver.connect(self._on_deliver)

    @property
    def busy(self) -> bool:
        """True while an operation is queued or running or its callback is not yet delivered."""
        return self._pending > 0

    def run(
        self,
        op: Callable[[], T],
        *,
        success: Callable[[T], None],
        failure: Callable[[Exception], None],
        owner: QObject | None = None,
    ) -> Future[Any]:
        """Run op on the worker; then success(result) or failure(error) on the GUI thread.

        When owner is given and has been deleted by the time the result arrives, the callbacks
        are dropped (the dialog that asked is gone).
        """
        self._pending += 1

        def work() -> None:
            # This runs on the worker thread.
            try:
                result = op()
            except Exception as error:  # every error goes back to the GUI to be shown
                failed: Exception = error
                self._deliver.emit(lambda: self._finish(owner, failure, failed))
            else:
                self._deliver.emit(lambda: self._finish(owner, success, result))

        return self._executor.submit(work)

    def _finish(self, owner: QObject | None, callback: Callable[[Any], None], value: Any) -> None:
        # This runs on the GUI thread.
        if owner is None or is_alive(owner):
            callback(value)
        else:
            log.debug("dropped the result of an operation whose owner is gone")

    def _on_deliver(self, deliver: Callable[[], None]) -> None:
        try:
            deliver()
        finally:
            self._pending -= 1
            self.finished.emit()

    def shutdown(self) -> None:
        """Wait for queued operations to finish (their callbacks are not delivered any more)."""
        self._executor.shutdown(wait=True)
