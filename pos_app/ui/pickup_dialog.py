"""Online pickup orders (F11): the store's open orders from the mall, and the hand-over when
the cashier scans the pickup code the customer shows. The mall completes the order and turns
its reservation into a sale; the till takes the goods off its stock once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.domain.money import format_fen
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import tr
from pos_app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from pos_app.ui.widgets import label, show_message

if TYPE_CHECKING:  # the sync engine loads after the first paint (pos_app.ui.app)
    from pos_app.ui.sync_bridge import SyncBridge
    from sync.protocol import OnlineOrder

COLUMNS = ("col_order", "col_customer", "col_items", "col_total")


def _items_text(order: OnlineOrder) -> str:
    return "，".join(f"{line.name}×{line.qty}" for line in order.lines)


class PickupDialog(QDialog):
    """Lists open pickup orders; a scanned or typed pickup code hands its order over."""

    def __init__(self, parent: QWidget | None, ctx: TillContext, sync: SyncBridge) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sync = sync
        self.setWindowTitle(tr("pickup_title"))
        self.resize(820, 520)
        self.code = QLineEdit(objectName="pickup_code")
        self.code.setPlaceholderText(tr("pickup_hint"))
        self.code.returnPressed.connect(lambda: self.on_scan(self.code.text()))
        self.table = QTableWidget(0, len(COLUMNS), objectName="orders")
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.message = label(name="message")
        layout = QVBoxLayout(self)
        for widget in (self.code, self.table, self.message):
            layout.addWidget(widget)
        ctx.router.push(self.on_scan)
        self.finished.connect(lambda _: ctx.router.remove(self.on_scan))
        sync.handed_over.connect(self._done)
        sync.handover_failed.connect(self._failed)
        self.refresh()

    def refresh(self) -> None:
        orders = self.sync.pickup_orders()
        self.table.setRowCount(len(orders))
        for row, order in enumerate(orders):
            cells = (
                order.order_no,
                f"{order.customer_name} {order.customer_phone_tail}".strip(),
                _items_text(order),
                format_fen(order.total_fen),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if not orders:
            show_message(self.message, tr("pickup_none"), error=False)

    def on_scan(self, code: str) -> None:
        """A pickup code, scanned or typed: hand its order over (answered by a signal)."""
        self.code.clear()
        order = self.sync.hand_over(code)
        if order is None:
            show_message(self.message, tr("pickup_unknown", code=code.strip()), error=True)
            return
        show_message(self.message, tr("pickup_sending", order_no=order.order_no), error=False)

    def _done(self, order: OnlineOrder) -> None:
        self.refresh()
        show_message(self.message, tr("pickup_done", order_no=order.order_no), error=False)

    def _failed(self, reason: str) -> None:
        show_message(self.message, tr("pickup_failed", reason=reason), error=True)
