"""The background sync worker: a QObject living on its own QThread that runs SyncEngine rounds.

A round runs every interval_s while things go well; after a failure the next one waits for an
exponential backoff with jitter, but while the mall is unreachable its address is probed every
PROBE_EVERY_S and a round starts the moment it answers. `sync_now()` (e.g. after a sale, or
the cashier's 立即同步) starts a round at once. The engine is made on the worker's thread when
it starts, so its modules (the HTTP client, the change feed) load after the till's first screen.
Signals are delivered on the receiver's thread (the GUI's), so slots connected to statusChanged
may touch widgets. Nothing here blocks the GUI thread except stop(), which waits for a running
round to end (bounded by the client's timeouts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from sync.backoff import Backoff
from sync.errors import SyncError

if TYPE_CHECKING:
    from sync.engine import SyncEngine

log = logging.getLogger(__name__)
PROBE_EVERY_S = 3.0  # while offline, how often the mall's address is tried (a TCP connect)


class SyncWorker(QObject):
    statusChanged = Signal(object)  # SyncStatus, after every round
    handoverDone = Signal(object)  # OnlineOrder, completed
    handoverFailed = Signal(str, str)  # order id, reason for the cashier
    _wake = Signal()
    _stopRequested = Signal()
    _handoverRequested = Signal(str, str)

    def __init__(
        self,
        make_engine: Callable[[], SyncEngine],
        *,
        interval_s: float = 30.0,
        backoff: Backoff | None = None,
        probe_s: float = PROBE_EVERY_S,
    ) -> None:
        super().__init__()
        self._make_engine = make_engine
        self._engine: SyncEngine | None = None
        self.interval_s = interval_s
        self.probe_s = probe_s
        self._probe: QTimer | None = None
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

    @property
    def engine(self) -> SyncEngine:
        """The engine, made when the thread started (only the worker's slots use it)."""
        assert self._engine is not None, "the worker has not started"
        return self._engine

    @Slot()
    def _on_started(self) -> None:
        self._engine = self._make_engine()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run_round)
        self._probe = QTimer(self)
        self._probe.timeout.connect(self._probe_mall)
        self._run_round()

    @Slot()
    def _on_stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._probe is not None:
            self._probe.stop()
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
        if self._probe is not None:  # offline: knock every few seconds instead of waiting it out
            if self.engine.online is False:
                self._probe.start(int(self.probe_s * 1000))
            else:
                self._probe.stop()

    @Slot()
    def _probe_mall(self) -> None:
        if self.engine.mall_reachable():
            log.info("the mall is reachable again: syncing now")
            self._run_round()

    @Slot(str, str)
    def _hand_over(self, order_id: str, pickup_code: str) -> None:
        try:
            order = self.engine.hand_over(order_id, pickup_code)
        except SyncError as error:
            self.handoverFailed.emit(order_id, str(error))
            return
        self.handoverDone.emit(order)
