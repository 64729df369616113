"""Issue 15: dialogs open with the keyboard in the field the cashier types into next, so a
quantity or a manager PIN followed by Enter does what was typed; Esc cancels without blame.
Driven only by keys sent to the focused widget."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.store.db import Database
from pos_app.store.models import JournalEntry
from pos_app.ui.line_dialogs import DiscountDialog, QtyDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QApplication, QPushButton, Qt, QTimer
from tests.conftest import MANAGER_PIN, barcode_of
from tests.ui.conftest import FakeClock, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text


def journal_kinds(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(JournalEntry.kind)))


def answer_override(qtbot: QtBot, keys: Callable[[OverrideDialog], None]) -> list[str]:
    """When the modal override dialog has the keyboard, send keys; returns what it said."""
    said: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, OverrideDialog) or not dialog.isAncestorOf(
            QApplication.focusWidget()
        ):
            QTimer.singleShot(10, answer)  # not on screen with the keyboard yet
            return
        said.append(focused().objectName())
        keys(dialog)

    QTimer.singleShot(0, answer)
    return said


def approve_as_manager(clock: FakeClock) -> Callable[[OverrideDialog], None]:
    """The keys a manager types into the override dialog: staff number, Enter, PIN, Enter."""

    def keys(_dialog: OverrideDialog) -> None:
        type_text(clock, "2001")
        press(clock, ENTER)
        type_text(clock, MANAGER_PIN)
        press(clock, ENTER)

    return keys


def test_f3_then_a_number_and_enter_sets_the_quantity(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """F3, `3`, Enter: the quantity field has the keyboard, its text is replaced, the line is 3."""
    scan_code(clock, barcode_of("1001"))
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F3, QtyDialog)
    assert focused() is dialog.value
    type_text(clock, "3")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    assert window.sale.cart.lines[0].qty == 3
    assert window.sale.model.data(window.sale.model.index(0, 2)) == "3"


def test_f8_then_the_managers_pin_and_enter_voids_the_line(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """F8 opens the override dialog with the keyboard in the approver's number; number, Enter,
    PIN, Enter approves."""
    scan_code(clock, barcode_of("1001"))
    scan_code(clock, barcode_of("1002"))

    focus = answer_override(qtbot, approve_as_manager(clock))
    press(clock, Qt.Key.Key_F8)
    wait_idle(qtbot, window)
    assert focus == ["approver_code"]
    assert len(window.sale.cart.lines) == 1
    assert journal_kinds(db).count("void_line") == 1


def test_esc_on_the_override_dialog_cancels_without_saying_the_pin_was_wrong(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """F5, ¥3 off a ¥3.50 line (above the limit) + Enter asks a manager; Esc there cancels:
    the discount dialog says nobody approved, not that a PIN was wrong, and nothing changed."""
    scan_code(clock, barcode_of("1001"))
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F5, DiscountDialog)
    assert focused() is dialog.value
    type_text(clock, "3")
    focus = answer_override(qtbot, lambda _: press(clock, Qt.Key.Key_Escape))
    press(clock, ENTER)
    assert focus == ["approver_code"]
    assert dialog.error.text() == "未获授权，没有改动"
    assert window.sale.cart.lines[0].line_discount_fen == 0
    assert "discount" not in journal_kinds(db)


def test_a_due_with_three_quick_amounts_shows_three_buttons(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    """¥20.00 due (10 × ¥2.00 set by F3): 正好, ¥50.00 and ¥100.00 are offered and no blank
    fourth button; Tab through the dialog never lands on a button without a text."""
    scan_code(clock, barcode_of("1002"))
    open_by_key(qtbot, clock, window, Qt.Key.Key_F3, QtyDialog)
    type_text(clock, "10")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sale.table)
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    shown = [b.text() for b in dialog.quick_buttons if b.isVisible()]
    assert shown == ["正好", "¥50.00", "¥100.00"]
    for _ in range(20):
        press(clock, Qt.Key.Key_Tab)
        assert not (isinstance(focused(), QPushButton) and focused().text() == "")
