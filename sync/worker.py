"""The background sync worker: a QObject living on its own QThread that runs SyncEngine rounds.

A round runs every interval_s while things go well; after a failure the next one waits for an
exponential backoff with jitter. `sync_now()` (e.g. after a sale, or the cashier's button)
starts a round at once. Signals are delivered on the receiver's thread (the GUI's), so slots
connected to statusChanged may touch widgets. Nothing here blocks the GUI thread except stop(),
which waits for a running round to end (bounded by the client's timeouts).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from sync.backoff import Backoff
from sync.engine import SyncEngine
from sync.errors import SyncError

log = logging.getLogger(__name__)


class SyncWorker(QObject):
    statusChanged = Signal(object)  # SyncStatus, after every round
    handoverDone = Signal(object)  # OnlineOrder, completed
    handoverFailed = Signal(str, str)  # order id, reason for the cashier
    _wake = Signal()
    _stopRequested = Signal()
    _handoverRequested = Signal(str, str)

    def __init__(
        self, engine: SyncEngine, *, interval_s: float = 30.0, backoff: Backoff | None = None
    ) -> None:
        super().__init__()
        self.engine = engine
        self.interval_s = interval_s
        self.backoff = backoff or Backoff()
        self.failures = 0
        self._thread = QThread()
        self._thread.setObjectName("sync-worker")
        self._timer: QTimer | None = None
        self.moveToThread(self._thread)
        self._thread.started.connect(self._on_started)
        self._wake.connect(self._run_round)
        self._stopRequested.connect(self._on_stop)
        self._handoverRequested.connect(self._hand_over)

    # -- called from the GUI thread -------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def sync_now(self) -> None:
        """Run a round as soon as the current one (if any) ends."""
        self._wake.emit()

    def hand_over(self, order_id: str, pickup_code: str) -> None:
        """Complete a pickup order at the mall; answers with handoverDone or handoverFailed."""
        self._handoverRequested.emit(order_id, pickup_code)

    def stop(self) -> None:
        """Stop the schedule, let a running round finish, and end the thread."""
        if self._thread.isRunning():
            self._stopRequested.emit()
            self._thread.wait()

    # -- these run on the worker's thread --------------------------------------------------------

    @Slot()
    def _on_started(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run_round)
        self._run_round()

    @Slot()
    def _on_stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._thread.quit()

    @Slot()
    def _run_round(self) -> None:
        assert self._timer is not None
        self._timer.stop()
        try:
            status = self.engine.run_once()
            self.failures = 0
            delay_s = self.interval_s
        except Exception as error:  # a bug must not kill the thread: report it and retry later
            if not isinstance(error, SyncError):
                log.exception("sync round failed unexpectedly")
            self.failures += 1
            delay_s = self.backoff.delay_s(self.failures)
            status = self.engine.status()
        self.statusChanged.emit(status)
        self._timer.start(int(delay_s * 1000))

    @Slot(str, str)
    def _hand_over(self, order_id: str, pickup_code: str) -> None:
        try:
            order = self.engine.hand_over(order_id, pickup_code)
        except SyncError as error:
            self.handoverFailed.emit(order_id, str(error))
            return
        self.handoverDone.emit(order)
