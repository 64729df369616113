"""Shifts driven by keys only, as a cashier does (issue 13 case 6): logging in without an open
shift leads to the open-shift form and nothing sells before it; the Z close confirms, warns about
held sales, stores the Z and prints its report on the receipt printer."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.domain.print_jobs import JobKind
from pos_app.services.shift import close_shift
from pos_app.store.db import Database
from pos_app.store.models import HeldCart, JournalEntry, Payment, PrintJob, Sale, Shift
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QApplication, QMessageBox, Qt
from pos_app.ui.shift_dialog import ShiftDialog
from tests.conftest import CASHIER_ID, CASHIER_PIN, barcode_of
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.ui.conftest import FakeClock, find_open, open_window, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text

WAIT_MS = 10_000


def cash_sale_by_keys(qtbot: QtBot, window: MainWindow, clock: FakeClock, sku: str) -> None:
    """Scan one item, F12, type the exact amount and Enter."""
    scan_code(clock, barcode_of(sku))
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, dialog.due.text().lstrip("¥￥"))
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sale.table)


def z_confirm(window: MainWindow) -> QMessageBox | None:
    box = window.findChild(QMessageBox, "z_confirm")
    return box if box is not None and box.isVisible() else None


def wait_for_z_confirm(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: z_confirm(window) is not None, timeout=WAIT_MS)
    box = z_confirm(window)
    assert box is not None
    qtbot.waitUntil(lambda: box.isAncestorOf(QApplication.focusWidget()))
    return box


def test_z_close_with_a_held_sale_warns_confirms_by_keys_stores_the_z_and_prints_it(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    printer: FakePrinter,
    printing: PrinterBridge,
) -> None:
    """A ¥3.50 cash sale, then a cart of water held (F6). F9, Tab to the counted cash, 503.50,
    Enter: a Z-close question warns about the held sale. Enter there backs out (nothing
    closed); Enter again and Y closes the shift: Z #1 stored and journaled, the held cart kept,
    the Z report printed on the receipt printer, the status bar says 未开班."""
    cash_sale_by_keys(qtbot, window, clock, "1001")
    scan_code(clock, barcode_of("1002"))
    press(clock, Qt.Key.Key_F6)
    assert window.sale.cart.is_empty and "挂单" in window.sale.message.text()

    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F9, ShiftDialog)
    assert focused() is dialog.move_amount
    press(clock, Qt.Key.Key_Tab)
    press(clock, Qt.Key.Key_Tab)
    assert focused() is dialog.counted
    type_text(clock, "503.50")
    press(clock, ENTER)
    box = wait_for_z_confirm(qtbot, window)
    assert "不可撤销" in box.windowTitle()
    assert "1 张挂单（合计 ¥2.00）" in box.text() and "实点现金 ¥503.50" in box.text()

    press(clock, ENTER)  # the safe default: back out
    qtbot.waitUntil(lambda: z_confirm(window) is None)
    wait_idle(qtbot, window)
    with db.read() as session:
        assert session.scalars(select(Shift.z_no)).all() == [None]
    qtbot.waitUntil(lambda: focused() is dialog.counted)

    press(clock, ENTER)
    wait_for_z_confirm(qtbot, window)
    type_text(clock, "y")
    qtbot.waitUntil(lambda: dialog.report_title.text().startswith("Z 报表 #1"), timeout=WAIT_MS)
    figures = dialog.report_values()
    assert figures["销售 1 笔"] == "¥3.50" and figures["长短款"] == "¥0.00"
    wait_idle(qtbot, window)  # the Z report is queued in the background after it is shown

    with db.read() as session:
        shift = session.scalars(select(Shift)).one()
        assert (shift.z_no, shift.counted_cash_fen, shift.expected_cash_fen) == (1, 50350, 50350)
        assert session.scalar(select(HeldCart.total_fen)) == 200  # the held sale survives
        z_entry = session.scalars(select(JournalEntry).where(JournalEntry.kind == "z_close")).one()
        assert z_entry.actor_id == CASHIER_ID
        assert session.scalars(select(PrintJob.kind)).all()[-1] == JobKind.REPORT

    jobs = printer.wait_for_jobs(3, timeout_s=WAIT_MS / 1000)  # drawer kick, receipt, Z report
    lines = decode_escpos(jobs[-1]).lines
    text = "\n".join(lines)
    assert "Z 报表 #1" in text and "销售 1 笔" in text
    assert any(line.startswith("长短款") and line.endswith("￥0.00") for line in lines)
    assert any(line.startswith("实点现金") and line.endswith("￥503.50") for line in lines)
    qtbot.waitUntil(lambda: "已送小票打印机" in dialog.message.text())

    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    qtbot.waitUntil(lambda: window.status_labels["shift"].text() == "未开班")
    assert window.sale.shift_banner.isVisible()


def test_login_without_a_shift_leads_to_open_shift_by_keys_then_the_first_sale(
    qtbot: QtBot, db: Database, clock: FakeClock
) -> None:
    """No shift open. The cashier logs in by keys: the sale screen says in large type that a
    shift must be opened and the open-shift form has the keyboard. Esc out of it, a scan is
    refused at once (not at payment); F9, float 300 + Enter opens the shift and the first sale
    is made and stored in it."""
    close_shift(db, staff_id=CASHIER_ID, counted_cash_fen=50000)
    window = open_window(qtbot, db, clock)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is window.login.code)
    type_text(clock, "1001")
    press(clock, ENTER)
    type_text(clock, CASHIER_PIN)
    press(clock, ENTER)

    dialog = find_open_when_focused(qtbot, window)
    assert window.sale.shift_banner.isVisible()
    assert "请按 F9 输入备用金开班" in window.sale.shift_banner.text()
    assert focused() is dialog.float_amount and dialog.float_amount.selectedText() == "500.00"

    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    qtbot.waitUntil(lambda: focused() is window.sale.table)
    scan_code(clock, barcode_of("1001"))
    assert window.sale.cart.is_empty
    assert "当前没有班次，请按 F9 开班" in window.sale.message.text()

    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_F9, ShiftDialog)
    assert focused() is dialog.float_amount
    type_text(clock, "300")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.sale.shift_banner.isVisible())
    assert window.status_labels["shift"].text().startswith("班次 #2")
    qtbot.waitUntil(lambda: focused() is window.sale.table)

    cash_sale_by_keys(qtbot, window, clock, "1001")
    with db.read() as session:
        shift = session.scalars(select(Shift).where(Shift.z_no.is_(None))).one()
        assert (shift.id, shift.float_fen, shift.opened_by) == (2, 30000, CASHIER_ID)
        sale = session.scalars(select(Sale)).one()
        assert (sale.shift_id, sale.total_fen) == (2, 350)
        assert session.scalar(select(Payment.kind)) == "cash"
        opened = session.scalars(select(JournalEntry).where(JournalEntry.kind == "shift_open"))
        assert [entry.actor_id for entry in opened] == [CASHIER_ID, CASHIER_ID]
    wait_idle(qtbot, window)


def find_open_when_focused(qtbot: QtBot, window: MainWindow) -> ShiftDialog:
    """The open-shift dialog that log-in opened, once it has the keyboard."""
    qtbot.waitUntil(lambda: len(window.sale.open_dialogs()) == 1, timeout=WAIT_MS)
    dialog = find_open(window, ShiftDialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog
