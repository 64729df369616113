"""The till's main window: log-in/lock page and sale screen in a stack, and the status bar
(cashier, shift, till, sync, printer, counter devices, clock). It owns the scanner filter, the
background runner and the scan router of this window. Runs on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pos_app.domain.cart import Cart
from pos_app.services.audit import record_action
from pos_app.services.errors import ServiceError
from pos_app.services.hold import hold_cart
from pos_app.services.payments import PaymentGateway, UnavailableGateway
from pos_app.services.permissions import Action, Need
from pos_app.services.till_views import till_status
from pos_app.store.db import Database
from pos_app.ui.close_guard import CloseChoice, CloseWithCartDialog
from pos_app.ui.context import StaffInfo, TillContext
from pos_app.ui.customer_display import CustomerDisplay
from pos_app.ui.devices import CounterDevices
from pos_app.ui.i18n import tr
from pos_app.ui.login import LoginPage
from pos_app.ui.ops import OpRunner
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
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
from pos_app.ui.scanner import KeyClock, ScannerFilter, ScanRouter, monotonic_ms

if TYPE_CHECKING:
    from pos_app.ui.backoffice.window import BackOfficeWindow

STATUS_REFRESH_MS = 1000
WINDOW_SIZE = (1024, 768)
SYNC_NOW_KEY = "Ctrl+S"


class StatusSource(Protocol):
    """Something whose state the status bar shows (printer, sync). status_text() is called on
    the GUI thread every second: it must return at once (a cached value, no I/O)."""

    def status_text(self) -> str: ...


class NotConnected:
    """The status source until the real one is wired: says "not connected"."""

    def status_text(self) -> str:
        return tr("not_connected")


class MainWindow(QMainWindow):
    """One till window on one database."""

    def __init__(
        self,
        db: Database,
        *,
        gateway: PaymentGateway | None = None,
        printer_status: StatusSource | None = None,
        sync_status: StatusSource | None = None,
        scanner_clock: KeyClock = monotonic_ms,
        with_customer_display: bool = False,
    ) -> None:
        super().__init__()
        self.setWindowTitle(tr("app_title"))
        self.resize(*WINDOW_SIZE)
        self.ops = OpRunner(self)
        self._exiting = False  # dispose(): the till is stopping, closing asks nothing
        self.router = ScanRouter(self._scan_default)
        self.ctx = TillContext(db, self.ops, self.router, gateway or UnavailableGateway())
        self.printer_status = printer_status or NotConnected()
        self.sync_status = sync_status or NotConnected()
        self.scanner = ScannerFilter(clock=scanner_clock, parent=self)
        self.scanner.scanned.connect(self.router.route)
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        self.scanner.install(app)
        self.login = LoginPage(self.ctx)
        self.sale = SaleScreen(self.ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.login)
        self.stack.addWidget(self.sale)
        self.setCentralWidget(self.stack)
        self.login.logged_in.connect(self.start_session)
        self.sale.lock_requested.connect(self.lock)
        self.sale.shift_changed.connect(self.refresh_status)
        self.devices = CounterDevices(self.sale)  # opened by devices.start() (app.py, settings)
        self.sale.devices_changed.connect(self.devices.start)
        self.customer_display = self._customer_display(db) if with_customer_display else None
        self.status_labels = self._status_bar()
        self._clock = QTimer(self, interval=STATUS_REFRESH_MS)
        self._clock.timeout.connect(self.refresh_status)
        self._clock.start()
        self.login.reset()
        self.refresh_status()

    def _customer_display(self, db: Database) -> CustomerDisplay:
        with db.read() as session:
            store_name = till_status(session).store_name
        display = CustomerDisplay(self.sale.model, store_name)
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

    def refresh_status(self) -> None:
        """Fill the status bar (one tiny read: till and open shift)."""
        from datetime import datetime

        staff = self.ctx.staff
        with self.ctx.db.read() as session:
            status = till_status(session)
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
        """Someone logged in (or unlocked): show the sale screen, cart as it was, and the
        open-shift form when no shift is open."""
        self.ctx.staff = staff
        self.ctx.reload_settings()
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
        window = BackOfficeWindow(self.ctx.db, viewer)
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
        try:
            hold_cart(self.ctx.db, cart=self.sale.cart, cashier_id=staff.staff_id)
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
