"""The receipt printer as the GUI sees it: the Qt-free PrintWorker's events re-emitted as a Qt
signal (so they are handled on the GUI thread), a cached status text for the status bar, receipts
queued after each sale, and the offer to reprint receipts that never printed (the in-doubt window).
The main window wires it (ui/main_window.py) when its Till has a printer.
"""

from __future__ import annotations

from pos_app.domain.money import format_fen
from pos_app.domain.print_jobs import JobStatus, UnprintedSale
from pos_app.hardware.connections import PrinterStatus
from pos_app.hardware.print_worker import PrintEvent, PrintWorker
from pos_app.services.database import Database
from pos_app.services.printing import (
    enqueue_drawer_kick,
    enqueue_receipt,
    print_worker,
    reprint,
    unprinted_sales,
)
from pos_app.services.top_ups import TopUpResult, enqueue_top_up_receipt
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.ops import OpRunner
from pos_app.ui.qt import QMessageBox, QObject, QWidget, Signal

STATUS_KEYS = {
    PrinterStatus.READY: "printer_ready",
    PrinterStatus.PAPER_OUT: "printer_paper_out",
    PrinterStatus.COVER_OPEN: "printer_cover_open",
    PrinterStatus.OFFLINE: "printer_offline",
    PrinterStatus.UNKNOWN: "printer_unknown",
}


class PrinterBridge(QObject):
    """Owns the print worker of one database while the till runs; its writes go through the
    till's writer (ops.writer)."""

    printed = Signal(object)  # PrintEvent; emitted on the worker thread, delivered on the GUI's
    unprinted_found = Signal(list)  # list[UnprintedSale]
    drawer_dropped = Signal(str)  # why the drawer did not open, for the cashier

    def __init__(self, db: Database, ops: OpRunner, worker: PrintWorker | None = None) -> None:
        super().__init__()
        self.db = db
        self.ops = ops
        self.worker = worker or print_worker(db, ops.writer)
        self._text = tr("printer_unknown")
        self.printed.connect(self._on_event)
        self.worker.add_listener(self.printed.emit)

    def start(self) -> None:
        """Start sending, then look for sales whose receipt never printed."""
        self.worker.start()
        self.ops.run(lambda: unprinted_sales(self.db), success=self._found, failure=lambda _: None)

    def stop(self) -> None:
        self.worker.stop(timeout_s=5.0)

    def status_text(self) -> str:
        return self._text

    def queue_receipt(self, sale_id: int) -> None:
        """After a sale commits: render and store the job off the GUI thread."""
        self.ops.run(
            lambda: enqueue_receipt(self.db, sale_id), success=self._queued, failure=self._failed
        )

    def queue_top_up(self, result: TopUpResult) -> None:
        """After a top-up commits: its receipt (the drawer first when cash was paid)."""
        db = self.db

        def queue() -> None:
            if result.cash_fen:
                enqueue_drawer_kick(db)
            enqueue_top_up_receipt(db, result.top_up_id)

        self.ops.run(queue, success=self._queued, failure=self._failed)

    def reprint(self, sales: list[UnprintedSale]) -> None:
        def queue_all() -> None:
            for sale in sales:
                reprint(self.db, sale.sale_no)

        self.ops.run(queue_all, success=self._queued, failure=self._failed)

    def _queued(self, _result: object) -> None:
        self.worker.retry_now()

    def _failed(self, error: Exception) -> None:
        self._text = tr("printer_error", text=error_text(error))

    def _found(self, sales: list[UnprintedSale]) -> None:
        if sales:
            self.unprinted_found.emit(sales)

    def _on_event(self, event: PrintEvent) -> None:
        """GUI thread: remember what the printer said, for the status bar."""
        if event.outcome == "printed":
            self._text = tr("printer_ready")
        elif event.outcome == JobStatus.EXPIRED:
            self._text = tr(STATUS_KEYS[event.status])
            self.drawer_dropped.emit(tr("drawer_dropped", reason=self._text))
        elif event.code == "printer_not_set":  # short for the status bar; F10 sets one up
            self._text = tr("printer_not_set_up")
        else:
            reason = tr(f"err.{event.code}") if event.code else tr(STATUS_KEYS[event.status])
            self._text = tr("printer_waiting", reason=reason)


def offer_reprint(
    parent: QWidget, printer: PrinterBridge, sales: list[UnprintedSale]
) -> QMessageBox:
    """A non-modal question: reprint the receipts of committed sales that never printed."""
    listing = "\n".join(f"{sale.sale_no}  {format_fen(sale.total_fen)}" for sale in sales)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        tr("unprinted_title"),
        tr("unprinted_text", sales=listing),
        parent=parent,
        objectName="unprinted_offer",
    )
    again = box.addButton(tr("reprint_all"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("reprint_skip"), QMessageBox.ButtonRole.RejectRole)
    again.clicked.connect(lambda: printer.reprint(sales))
    box.setModal(False)
    box.show()
    return box
