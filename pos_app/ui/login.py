"""Log-in and lock screen: staff number + PIN. Wrong PINs lock PIN entry for longer and longer,
across restarts (services.pin_guard); the PIN is checked on the background runner (Argon2id
is slow on purpose).

The page is also the till's first screen, shown before the database layer has loaded
(ui/first_screen.py): it imports Qt and the texts only, and a log-in submitted before the till
is attached waits for it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pos_app.services.errors import PinLocked
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.qt import (
    QFormLayout,
    QFrame,
    QLineEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import ERROR_STYLE, center_text, label, show_message

if TYPE_CHECKING:
    from pos_app.ui.context import StaffInfo, TillContext


class LoginPage(QWidget):
    """The page shown before anyone is logged in, and while the screen is locked."""

    logged_in = Signal(object)  # StaffInfo

    def __init__(self, ctx: TillContext | None, *, demo: bool = False) -> None:
        super().__init__()
        self.ctx = ctx  # None on the first screen, until the till is attached
        self.idle_hint = tr("demo_hint") if demo else ""  # the demo names its staff
        self._submit_waiting = False
        self._wait_left_s = 0
        self.locked_by: StaffInfo | None = None  # who locked the screen, if it is locked
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.title = center_text(label(tr("login_title"), point_size=26, bold=True, name="title"))
        self.hint = center_text(label(name="hint"))
        self.code = QLineEdit(objectName="staff_code")
        self.pin = QLineEdit(objectName="pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = QPushButton(tr("log_in"), objectName="log_in")
        self.message = center_text(label(name="message"))
        self.code.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self._build()

    def _build(self) -> None:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setFixedWidth(420)
        form = QFormLayout(box)
        for field in (self.code, self.pin, self.button):
            field.setMinimumHeight(44)
            font = field.font()
            font.setPointSize(16)
            field.setFont(font)
        form.addRow(tr("staff_code"), self.code)
        form.addRow(tr("pin"), self.pin)
        form.addRow(self.button)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(box, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.message)
        layout.addStretch(3)

    def reset(self, *, locked_by: StaffInfo | None = None) -> None:
        """Show the empty log-in form, or the lock screen of locked_by."""
        self.locked_by = locked_by
        self.title.setText(tr("locked_title" if locked_by else "login_title"))
        self.hint.setText(tr("locked_hint", name=locked_by.name) if locked_by else self.idle_hint)
        self.code.setText("")
        self.pin.clear()
        self.message.clear()
        self.code.setFocus()

    def take_card(self, code: str) -> None:
        """A staff card scanned (or digits typed fast) on this page: it is the staff number;
        with the PIN already typed it logs in, else the cursor goes to the PIN."""
        self.code.setText(code.strip())
        if self.pin.text():
            self.submit()
            return
        self.pin.setFocus()
        show_message(self.message, tr("card_read"), error=False)

    def attach(self, ctx: TillContext) -> None:
        """The till has loaded: a log-in submitted on the first screen goes ahead now."""
        self.ctx = ctx
        if self._submit_waiting:
            self._submit_waiting = False
            self.button.setEnabled(True)
            self.submit()

    def submit(self) -> None:
        if self._wait_left_s or not self.button.isEnabled():
            return
        self.button.setEnabled(False)
        show_message(self.message, tr("checking"), error=False)
        if self.ctx is None:
            self._submit_waiting = True  # attach() submits it
            return
        code, pin, db = self.code.text().strip(), self.pin.text(), self.ctx.db

        def check() -> StaffInfo:
            # This runs on the worker thread; the services load with the till, after the first
            # screen.
            from pos_app.services.audit import record_action
            from pos_app.services.pin_guard import log_in_guarded
            from pos_app.ui.context import StaffInfo

            owner = log_in_guarded(db, staff_code=code, pin=pin, now=datetime.now(UTC))
            info = StaffInfo(owner.staff_id, owner.name, owner.role)
            record_action(db, kind="login", actor_id=info.staff_id)
            return info

        self.ctx.ops.run(check, success=self._success, failure=self._failure, owner=self)

    def _success(self, staff: StaffInfo) -> None:
        self.button.setEnabled(True)
        self.pin.clear()
        self.message.clear()
        self.logged_in.emit(staff)

    def _failure(self, error: Exception) -> None:
        self.pin.clear()
        self.pin.setFocus()
        wait_s = error.seconds_left if isinstance(error, PinLocked) else 0
        show_message(self.message, error_text(error), error=True)
        if wait_s:
            self._wait_left_s = wait_s
            self._tick_text()
            self._countdown.start()
        else:
            self.button.setEnabled(True)

    def _tick(self) -> None:
        self._wait_left_s -= 1
        if self._wait_left_s <= 0:
            self._wait_left_s = 0
            self._countdown.stop()
            self.button.setEnabled(True)
            self.message.clear()
        else:
            self._tick_text()

    def _tick_text(self) -> None:
        self.message.setStyleSheet(ERROR_STYLE)  # no beep: it counts down every second
        self.message.setText(tr("wait_seconds", s=self._wait_left_s))
