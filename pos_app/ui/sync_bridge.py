"""The background sync as the GUI sees it: the SyncWorker's status as a cached status-bar text,
the number of open pickup orders for the badge, and hand-overs of pickup orders.
Created and used on the GUI thread; the worker's signals arrive here queued."""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo
from typing import TYPE_CHECKING

from pos_app.services.database import Database
from pos_app.ui.i18n import sync_error_text, tr
from pos_app.ui.qt import QObject, Signal
from sync.local_reads import (
    OutboxCount,
    find_open_order,
    online_orders,
    sync_status,
    watch_waiting,
)
from sync.status import SyncStatus
from sync.worker import SyncWorker

if TYPE_CHECKING:  # the contract's models (pydantic) load after the first screen
    from sync.protocol import OnlineOrder


def status_text(status: SyncStatus, zone: tzinfo | None = None) -> str:
    """Online/offline, events waiting, events in conflict (never counted as delivered), last
    sync time and the last error, in one short line."""
    if status.online is None:
        state = tr("sync_connecting")
    elif status.online:
        state = tr("sync_online")
    else:
        state = tr("sync_offline")
    parts = [state, tr("sync_pending", count=status.pending)]
    if status.conflicts:
        parts.append(tr("sync_conflicts", count=status.conflicts))
    if status.last_sync_at is not None:
        parts.append(tr("sync_last", time=status.last_sync_at.astimezone(zone).strftime("%H:%M")))
    if status.last_error and not status.online:
        parts.append(sync_error_text(status.last_error))
    return " ".join(parts)


class SyncBridge(QObject):
    """Owns the sync worker while the till runs; the main window wires it (status bar, pickup
    key badge, a round after each sale)."""

    orders_changed = Signal(int)  # open pickup orders
    handed_over = Signal(object)  # OnlineOrder
    handover_failed = Signal(str)  # reason for the cashier

    changed = Signal()  # the status text changed between sync rounds (events written)
    _outbox_counted = Signal(object)  # OutboxCount, from whichever thread committed

    def __init__(self, db: Database, worker: SyncWorker) -> None:
        super().__init__()
        self.db = db
        self.worker = worker
        self._outbox_counted.connect(self._on_outbox)
        self._unwatch = watch_waiting(db, self._outbox_counted.emit)
        self._counted = 0  # number of the newest outbox count shown
        self._status = sync_status(db, online=None)
        self.zone: tzinfo | None = None  # the store's, set by the window at each log-in
        self._text = status_text(self._status)
        self.worker.statusChanged.connect(self._on_status)
        self.worker.handoverDone.connect(self._on_handed_over)
        self.worker.handoverFailed.connect(
            lambda _order_id, reason: self.handover_failed.emit(reason)
        )

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self._unwatch()
        self.worker.stop()

    def status_text(self) -> str:
        return self._text

    def pickup_orders(self) -> list[OnlineOrder]:
        """Open pickup orders as last synced (a small local read)."""
        return [order for order in online_orders(self.db) if order.kind == "pickup"]

    def hand_over(self, pickup_code: str) -> OnlineOrder | None:
        """Start handing over the order this code belongs to; None if no open order has it."""
        order = find_open_order(self.db, pickup_code.strip())
        if order is not None:
            self.worker.hand_over(str(order.id), pickup_code.strip())
        return order

    def _on_status(self, status: SyncStatus) -> None:
        """A sync round ended. Its waiting count was read before the round's signal queued, so
        once commits are being counted (acknowledgements too), the newest count wins."""
        if self._counted:
            status = replace(status, pending=self._status.pending)
        self._show(status)
        self.orders_changed.emit(status.open_orders)

    def _on_outbox(self, count: OutboxCount) -> None:
        """An event was written or acknowledged: show the waiting count now, in commit order."""
        if count.number > self._counted:
            self._counted = count.number
            self._show(replace(self._status, pending=count.waiting))

    def _show(self, status: SyncStatus) -> None:
        self._status = status
        self._text = status_text(status, self.zone)
        self.changed.emit()

    def _on_handed_over(self, order: OnlineOrder) -> None:
        self.handed_over.emit(order)
        self.orders_changed.emit(len(self.pickup_orders()))
