"""The background sync as the GUI sees it: the SyncWorker's status as a cached status-bar text,
the number of open pickup orders for the badge, and hand-overs of pickup orders.
Created and used on the GUI thread; the worker's signals arrive here queued."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.ui.i18n import tr
from pos_app.ui.qt import QObject, Signal
from sync.engine import SyncEngine, SyncStatus
from sync.protocol import OnlineOrder
from sync.worker import SyncWorker

if TYPE_CHECKING:  # the window imports this module through the pickup dialog
    from pos_app.ui.main_window import MainWindow


def status_text(status: SyncStatus) -> str:
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
        parts.append(tr("sync_last", time=status.last_sync_at.astimezone().strftime("%H:%M")))
    if status.last_error and not status.online:
        parts.append(status.last_error[:40])
    return " ".join(parts)


class SyncBridge(QObject):
    """Owns the sync worker while the window lives."""

    orders_changed = Signal(int)  # open pickup orders
    handed_over = Signal(object)  # OnlineOrder
    handover_failed = Signal(str)  # reason for the cashier

    def __init__(self, engine: SyncEngine, worker: SyncWorker | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.worker = worker or SyncWorker(engine)
        self._text = status_text(engine.status())
        self.worker.statusChanged.connect(self._on_status)
        self.worker.handoverDone.connect(self._on_handed_over)
        self.worker.handoverFailed.connect(
            lambda _order_id, reason: self.handover_failed.emit(reason)
        )

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def status_text(self) -> str:
        return self._text

    def pickup_orders(self) -> list[OnlineOrder]:
        """Open pickup orders as last synced (a small local read)."""
        return [order for order in self.engine.pickup_orders() if order.kind == "pickup"]

    def hand_over(self, pickup_code: str) -> OnlineOrder | None:
        """Start handing over the order this code belongs to; None if no open order has it."""
        order = self.engine.find_order(pickup_code.strip())
        if order is not None:
            self.worker.hand_over(str(order.id), pickup_code.strip())
        return order

    def _on_status(self, status: SyncStatus) -> None:
        self._text = status_text(status)
        self.orders_changed.emit(status.open_orders)

    def _on_handed_over(self, order: OnlineOrder) -> None:
        self.handed_over.emit(order)
        self.orders_changed.emit(len(self.pickup_orders()))


def attach_sync(window: MainWindow, engine: SyncEngine) -> SyncBridge:
    """Wire the sync worker into a main window: status bar, pickup key badge, pickup dialog.
    The caller starts it and stops it when the window closes."""
    bridge = SyncBridge(engine)
    window.sync_status = bridge
    window.ctx.sync = bridge
    bridge.orders_changed.connect(window.sale.show_pickup_count)
    window.sale.sale_committed.connect(lambda _result: bridge.worker.sync_now())
    window.sale.refund_committed.connect(lambda _result: bridge.worker.sync_now())
    return bridge
