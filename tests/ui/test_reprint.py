"""Issue 15: 重打 (Ctrl+P) on the sale screen reprints the last receipt, or one picked from the
till's latest sales, to the real TCP printer endpoint, marked 重印, without opening the drawer.
Driven by keys sent to the focused widget; the printed bytes are decoded back to Chinese."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.store.db import Database
from pos_app.store.models import JournalEntry
from pos_app.ui.line_dialogs import ReprintDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QApplication, Qt
from tests.conftest import barcode_of
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.ui.conftest import FakeClock, wait_idle
from tests.ui.keys import ENTER, focused, open_by_key, press, scan_code, type_text

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def printing(bridge: PrinterBridge) -> PrinterBridge:
    """Every test here has the receipt printer (tests/ui/conftest.py `printer`) running."""
    bridge.start()
    return bridge


def text_of(job: bytes) -> str:
    return "\n".join(decode_escpos(job).lines)


def sell(qtbot: QtBot, clock: FakeClock, window: MainWindow, sku: str, cash: str) -> None:
    """Scan one item and pay cash by keys: F12, the amount, Enter."""
    scan_code(clock, barcode_of(sku))
    open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, cash)
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    wait_idle(qtbot, window)


def reprint_dialog(qtbot: QtBot, clock: FakeClock, window: MainWindow) -> ReprintDialog:
    dialog = open_by_key(qtbot, clock, window, Qt.Key.Key_P, ReprintDialog, CTRL)
    assert focused() is dialog.list
    return dialog


def journal_rows(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        rows = session.execute(select(JournalEntry.kind, JournalEntry.payload)).all()
    return [(kind, str(payload)) for kind, payload in rows]


def test_ctrl_p_then_enter_reprints_the_last_receipt_marked_reprint_without_the_drawer(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database, printer: FakePrinter
) -> None:
    """A cash sale prints (drawer kick + receipt); Ctrl+P, Enter prints it once more, marked
    重印, with no second drawer kick; the screen says so and the journal records who did it."""
    sell(qtbot, clock, window, "1001", "10")
    drawer, first = printer.wait_for_jobs(2)
    assert b"\x1bp" in drawer and "重印" not in text_of(first)

    dialog = reprint_dialog(qtbot, clock, window)
    assert dialog.list.item(0).text().startswith("T01-000001")
    assert "可口可乐" in dialog.list.item(0).text() and "¥3.50" in dialog.list.item(0).text()
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    *_, copy = printer.wait_for_jobs(3)
    text = text_of(copy)
    assert "重印" in text and "T01-000001" in text and "可口可乐" in text
    assert b"\x1bp" not in copy
    qtbot.waitUntil(lambda: "T01-000001 重印小票" in window.sale.message.text())
    wait_idle(qtbot, window)
    assert [kind for kind, _ in journal_rows(db)].count("reprint") == 1
    assert QApplication.focusWidget() is window.sale.table  # scanning goes on at once


def test_an_older_sale_is_picked_with_the_arrow_keys(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, printer: FakePrinter
) -> None:
    """Two sales: the list shows the newest first; Down, Enter reprints the older one only."""
    sell(qtbot, clock, window, "1001", "10")
    sell(qtbot, clock, window, "1003", "10")
    printer.wait_for_jobs(4)
    dialog = reprint_dialog(qtbot, clock, window)
    rows = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    assert [row.split("　")[0] for row in rows] == ["T01-000002", "T01-000001"]
    assert "康师傅红烧牛肉面" in rows[0]
    press(clock, Qt.Key.Key_Down)
    press(clock, ENTER)
    *_, copy = printer.wait_for_jobs(5)
    text = text_of(copy)
    assert "T01-000001" in text and "重印" in text and "康师傅" not in text
    qtbot.wait(300)  # nothing else follows
    assert len(printer.jobs) == 5


def test_with_no_sales_yet_the_list_says_so_and_esc_prints_nothing(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database, printer: FakePrinter
) -> None:
    """Ctrl+P on a fresh till: the dialog says there is nothing to reprint; Enter keeps it open
    with that message, Esc closes it; nothing reaches the printer or the journal."""
    dialog = reprint_dialog(qtbot, clock, window)
    assert dialog.list.count() == 0
    press(clock, ENTER)
    assert dialog.error.text() == "本机还没有成交的单据"
    press(clock, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    qtbot.wait(200)
    assert printer.jobs == []
    assert "reprint" not in [kind for kind, _ in journal_rows(db)]
