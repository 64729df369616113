"""The till's main window: log-in/lock page and sale screen in a stack, and the status bar
(cashier, shift, till, sync, printer, counter devices, clock). It owns the scanner filter, the
background runner and the scan router of this window. Runs on the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pos_app.domain.cart import Cart
from pos_app.services.audit import record_action
from pos_app.services.errors import ServiceError
from pos_app.services.hold import hold_cart
from pos_app.services.permissions import Action, Need
from pos_app.services.till_start import SellingSettings, selling_settings, status_of
from pos_app.services.till_views import TillStatus
from pos_app.ui.close_guard import CloseChoice, CloseWithCartDialog
from pos_app.ui.context import StaffInfo, TillContext
from pos_app.ui.customer_display import CustomerDisplay
from pos_app.ui.devices import CounterDevices
from pos_app.ui.first_screen import WINDOW_SIZE
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.login import LoginPage
from pos_app.ui.ops import OpRunner
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.payment_upkeep import show_recoveries
from pos_app.ui.printing import PrinterBridge, offer_reprint
from pos_app.ui.qt import (
    QApplication,
    QCloseEvent,
    QKeySequence,
    QLabel,
    QMainWindow,
    QPushButton,
    QShortcut,
    QStackedWidget,
    Qt,
    QTimer,
    delete_now,
)
from pos_app.ui.sale_screen import SaleScreen
from pos_app.ui.scanner import ScannerFilter, ScanRouter
from pos_app.ui.till import Till

if TYPE_CHECKING:
    from pos_app.services.mall_payments import Recovery
    from pos_app.ui.backoffice.window import BackOfficeWindow
    from pos_app.ui.sync_bridge import SyncBridge

log = logging.getLogger(__name__)

STATUS_REFRESH_MS = 1000
SYNC_NOW_KEY = "Ctrl+S"


class StatusSource(Protocol):
    """Something whose state the status bar shows (printer, sync). status_text() is called on
    the GUI thread every second: it must return at once (a cached value, no I/O)."""

    def status_text(self) -> str: ...


class NotConnected:
    """The status source of a part the till does not have: says "not connected"."""

    def status_text(self) -> str:
        return tr("not_connected")


class MainWindow(QMainWindow):
    """The window of one till (ui/till.py), which it receives whole and wires: the printer's
    receipts and status, sync's status and pickup badge, the payment upkeep's recoveries.
    The GUI thread never reads the database here: what the window shows first comes with the
    Till, what changes later is read on the writer (ops) and delivered back."""

    def __init__(
        self, till: Till, *, with_customer_display: bool = False, login: LoginPage | None = None
    ) -> None:
        """login: the first screen's log-in page, taken over as it is (ui/first_screen.py)."""
        super().__init__()
        self.setWindowTitle(tr("app_title"))
        self.resize(*WINDOW_SIZE)
        self.till = till
        self.ops = till.ops
        self.ops.setParent(self)  # deleted with the window: results arriving later are dropped
        self._exiting = False  # dispose(): the till is stopping, closing asks nothing
        self.router = ScanRouter(self._scan_default)
        self.ctx = TillContext(
            till.db, self.ops, self.router, till.gateway, till.members, sync=till.sync
        )
        self.printer_status: StatusSource = till.printer or NotConnected()
        self.sync_status: StatusSource = till.sync or NotConnected()
        self._status: TillStatus = till.start_view.status
        self.scanner = ScannerFilter(clock=till.clock, parent=self)
        self.scanner.scanned.connect(self.router.route)
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        self.scanner.install(app)
        self.login = login or LoginPage(self.ctx, demo=till.demo)
        self.login.attach(self.ctx)
        self.sale = SaleScreen(self.ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.login)
        self.stack.addWidget(self.sale)
        self.setCentralWidget(self.stack)
        self.login.logged_in.connect(self.start_session)
        self.sale.lock_requested.connect(self.lock)
        self.sale.shift_changed.connect(self.reload_status)
        self.devices = CounterDevices(self.sale)  # opened by devices.start() (app.py, settings)
        self.sale.devices_changed.connect(self.devices.start)
        self.customer_display = self._customer_display() if with_customer_display else None
        self.status_labels = self._status_bar()
        self._clock = QTimer(self, interval=STATUS_REFRESH_MS)
        self._clock.timeout.connect(self.refresh_status)
        self._clock.start()
        if login is None:
            self.login.reset()
        self._wire(till)
        self.refresh_status()

    def _wire(self, till: Till) -> None:
        """Connect the parts the till has to the sale screen and the status bar."""
        if till.printer is not None:
            self._wire_printer(till.printer)
        if till.sync is not None:
            self._wire_sync(till.sync)
        if till.upkeep is not None:
            till.upkeep.recovered.connect(self._recovered)
            if till.sync is not None:
                upkeep = till.upkeep
                till.sync.worker.statusChanged.connect(lambda _status: upkeep.housekeeping())

    def _wire_printer(self, printer: PrinterBridge) -> None:
        """Receipts after each sale, refund and top-up; the reprint offer; a dropped drawer."""
        self.sale.sale_committed.connect(lambda result: printer.queue_receipt(result.sale_id))
        self.sale.refund_committed.connect(lambda result: printer.queue_receipt(result.sale_id))
        self.sale.top_up_committed.connect(printer.queue_top_up)
        printer.unprinted_found.connect(lambda sales: offer_reprint(self, printer, sales))
        printer.drawer_dropped.connect(self.sale.error)

    def _wire_sync(self, sync: SyncBridge) -> None:
        """The status bar, the pickup key badge, and a sync round after each sale."""
        sync.zone = self.ctx.zone
        sync.orders_changed.connect(self.sale.show_pickup_count)
        sync.changed.connect(self.refresh_status)
        self.sale.sale_committed.connect(lambda _result: sync.worker.sync_now())
        self.sale.refund_committed.connect(lambda _result: sync.worker.sync_now())
        self.sale.top_up_committed.connect(lambda _result: sync.worker.sync_now())

    def _recovered(self, recoveries: list[Recovery]) -> None:
        """Interrupted payments the upkeep settled: receipts for completed sales, and a note."""
        if self.till.printer is not None:
            for recovery in recoveries:
                if recovery.sale is not None:
                    self.till.printer.queue_receipt(recovery.sale.sale_id)
        show_recoveries(self, recoveries)

    def _customer_display(self) -> CustomerDisplay:
        display = CustomerDisplay(self.sale.model, self._status.store_name)
        self.sale.cart_changed.connect(
            lambda: display.show_total(self.sale.cart.payable_fen(self.ctx.rounding))
        )
        return display

    def _status_bar(self) -> dict[str, QLabel]:
        labels = {
            name: QLabel(objectName=f"status_{name}")
            for name in ("user", "shift", "till", "sync", "printer", "devices", "clock")
        }
        bar = self.statusBar()
        bar.setStyleSheet("QStatusBar QLabel { padding: 0 6px; border-right: 1px solid #c8c8c8; }")
        for name, widget in labels.items():
            if name == "clock":
                bar.addPermanentWidget(widget)
            else:
                bar.addWidget(widget)
        sync_now = QPushButton(tr("sync_now"), objectName="sync_now")
        sync_now.clicked.connect(self.sync_now)
        QShortcut(QKeySequence(SYNC_NOW_KEY), self).activated.connect(self.sync_now)
        bar.addPermanentWidget(sync_now)
        backoffice = QPushButton(tr("backoffice"), objectName="backoffice")
        backoffice.clicked.connect(self.open_backoffice)
        bar.addPermanentWidget(backoffice)
        lock = QPushButton(tr("lock"), objectName="lock")
        lock.clicked.connect(self.lock)
        bar.addPermanentWidget(lock)
        return labels

    def reload_status(self) -> None:
        """A shift was opened or closed: read the till and its open shift again (on the writer,
        waiting for it: the next scan must already know whether it may sell), then show them."""
        db = self.ctx.db
        self._status = self.ctx.write(lambda: status_of(db))
        self.refresh_status()

    def refresh_status(self) -> None:
        """Fill the status bar from what is known (no I/O: it runs every second)."""
        staff, status = self.ctx.staff, self._status
        texts = {
            "user": tr("status_user", name=staff.name) if staff else tr("status_no_user"),
            "shift": tr("status_shift", id=status.shift_id)
            if status.shift_id
            else tr("status_no_shift"),
            "till": tr("status_till", till=status.till_id),
            "sync": tr("status_sync", text=self.sync_status.status_text()),
            "printer": tr("status_printer", text=self.printer_status.status_text()),
            "devices": self.devices.status_text(),
            "clock": datetime.now(self.ctx.zone).strftime("%m-%d %H:%M"),
        }
        for name, text in texts.items():
            self.status_labels[name].setText(text)
        self.sale.set_shift_open(status.shift_id is not None)

    # -- sessions ----------------------------------------------------------------------------

    def start_session(self, staff: StaffInfo) -> None:
        """Someone logged in (or unlocked): the selling settings and the status are read again
        (on the writer), then the session starts."""
        db = self.ctx.db
        self.ops.run(
            lambda: (selling_settings(db), status_of(db)),
            success=lambda read: self._enter(staff, *read),
            failure=lambda error: self.login.message.setText(error_text(error)),
        )

    def _enter(self, staff: StaffInfo, settings: SellingSettings, status: TillStatus) -> None:
        """Show the sale screen, cart as it was, and the open-shift form when no shift is
        open."""
        self.ctx.staff = staff
        self.ctx.use_settings(settings)
        if self.ctx.sync is not None:
            self.ctx.sync.zone = self.ctx.zone
        self._status = status
        self.stack.setCurrentWidget(self.sale)
        self.sale.refresh()
        self.sale.table.setFocus()
        self.refresh_status()
        if not self.sale.shift_open:
            self.sale.open_shift()  # no selling without a shift: open it first, float by keys

    def sync_now(self) -> None:
        """立即同步 (Ctrl+S): a sync round at once, instead of at the next scheduled one."""
        if self.ctx.sync is None:
            self.status_labels["sync"].setText(tr("status_sync", text=tr("sync_not_paired")))
            return
        self.ctx.sync.worker.sync_now()
        self.status_labels["sync"].setText(tr("status_sync", text=tr("sync_running")))

    def lock(self) -> None:
        """Lock the screen; the cart stays as it is until someone logs in again."""
        staff = self.ctx.staff
        if staff is None:
            return
        db = self.ctx.db
        self.ops.run(
            lambda: record_action(db, kind="logout", actor_id=staff.staff_id),
            success=lambda _: None,
            failure=self.sale.error,
        )
        self.ctx.staff = None
        self.login.reset(locked_by=staff)
        self.stack.setCurrentWidget(self.login)
        self.refresh_status()

    def open_backoffice(self) -> BackOfficeWindow | None:
        """The owner's back office in its own window, behind an approval (the permission table).
        While it is open, scans go to it (receiving and stocktake are done by scanning)."""
        if self.ctx.staff is None:
            self.login.message.setText(tr("scan_on_login"))
            return None
        need = Need(Action.BACK_OFFICE)
        approval = OverrideDialog.ask(self, self.ctx, tr("reason_backoffice"), need)
        if approval is None:
            return None
        from pos_app.ui.backoffice.window import BackOfficeWindow  # charts load on first use

        viewer = StaffInfo(approval.approver_id, approval.name, approval.role)
        ops = OpRunner(writer=self.till.writer)  # its own deliveries, the till's one writer
        window = BackOfficeWindow(self.ctx.db, viewer, ops=ops)
        ops.setParent(window)  # deleted with the window: results for it are dropped then
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.router.push(window.on_scan)
        window.destroyed.connect(lambda: self.router.remove(window.on_scan))
        window.show()
        return window

    def _scan_default(self, code: str) -> None:
        if self.stack.currentWidget() is self.login:  # a staff card, or a fast typist's number
            self.login.take_card(code)
            return
        if self.ctx.staff is None or self.stack.currentWidget() is not self.sale:
            self.login.message.setText(tr("scan_on_login"))
            return
        self.sale.on_scan(code)

    def dispose(self) -> None:
        """Close and delete the window now. Call it before the interpreter exits: PySide may
        crash tearing down a window that is still alive at exit. Nobody is asked any more (the
        till is stopping, e.g. on SIGTERM): a cart on the screen is held, to recall after the
        restart."""
        self._exiting = True
        if not self.sale.cart.is_empty:
            self._hold_cart()
        self.close()
        delete_now(self)

    def _hold_cart(self) -> bool:
        """Hold the cart on the screen under the cashier (or whoever locked the screen)."""
        staff = self.ctx.staff or self.login.locked_by
        if staff is None:
            return False
        db, cart = self.ctx.db, self.sale.cart
        try:
            self.ctx.write(lambda: hold_cart(db, cart=cart, cashier_id=staff.staff_id))
        except ServiceError as error:
            self.sale.error(error)
            return False
        self.sale.set_cart(Cart())
        return True

    def _may_close(self) -> bool:
        """Closing never loses money or a cart: a payment in progress keeps the window open
        (finish or cancel it first); a cart is held or voided with approval, or the cashier
        stays."""
        if self._exiting:
            return True
        if any(isinstance(d, PaymentDialog) for d in self.sale.open_dialogs()):
            self.sale.error(tr("close_while_paying"))
            return False
        cart = self.sale.cart
        if cart.is_empty:
            return True
        choice = CloseWithCartDialog.ask(self, cart)
        if choice is CloseChoice.HOLD:
            self._hold_cart()
        elif choice is CloseChoice.VOID and self.ctx.staff is not None:
            self.sale.void_sale()
        return self.sale.cart.is_empty

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        self._clock.stop()
        self.ops.shutdown()
        self.devices.stop()
        if self.customer_display is not None:
            self.customer_display.close()
        super().closeEvent(event)
