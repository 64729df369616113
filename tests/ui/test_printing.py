"""The till window prints each receipt through the real TCP printer connection, and offers to
reprint receipts of committed sales that never printed."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.store.db import Database
from pos_app.store.models import Payment
from pos_app.ui.main_window import MainWindow
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QMessageBox, Qt
from tests.conftest import CASHIER_ID, barcode_of
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.services.test_checkout import cart_with
from tests.ui.conftest import FakeClock, log_in, open_window
from tests.ui.keys import ENTER, open_by_key, press, scan_code, type_text
from tests.ui.test_selling import open_payment, pay, ring_up


def test_a_cash_sale_prints_its_receipt_and_the_status_bar_says_ready(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    printer: FakePrinter,
    bridge: PrinterBridge,
) -> None:
    """After paying, the receipt with the sale number arrives at the printer in Chinese."""
    bridge.start()
    ring_up(window, clock, "1001")
    pay(qtbot, window, open_payment(window), "cash", "10")
    jobs = printer.wait_for_jobs(2)  # the drawer kick, then the receipt
    text = "\n".join(decode_escpos(job).text for job in jobs)
    assert "T01-000001" in text and "可口可乐" in text
    assert "￥10.00" in text and "￥6.50" in text  # cash as handed over, and the change
    qtbot.waitUntil(lambda: bridge.status_text() == "就绪")


def test_receipts_that_never_printed_are_offered_for_reprint_on_start(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    printer: FakePrinter,
    bridge: PrinterBridge,
) -> None:
    """A sale committed before a crash (no print job) is offered; 全部重印 prints it once."""
    checkout(
        db,
        cart=cart_with(db, barcode_of("1002")),
        tenders=[Tender(TenderKind.CARD, 200)],
        cashier_id=CASHIER_ID,
    )
    bridge.start()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "unprinted_offer") is not None)
    offer = window.findChild(QMessageBox, "unprinted_offer")
    assert "T01-000001" in offer.text()
    [again] = [b for b in offer.buttons() if b.text() == "全部重印"]
    again.click()
    [job] = printer.wait_for_jobs(1)
    assert "T01-000001" in decode_escpos(job).text


def test_a_cash_sale_with_the_printer_off_says_the_drawer_stays_shut_and_never_kicks_later(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    printer: FakePrinter,
    bridge: PrinterBridge,
) -> None:
    """Case 7 by keys: printer off, a cash sale. The sale screen says in Chinese that the drawer
    did not open and will not open later; when the printer is back only the receipt prints."""
    printer.set_mode("refuse")
    bridge.start()
    scan_code(clock, barcode_of("1001"))
    open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
    type_text(clock, "3.50")
    press(clock, ENTER)
    qtbot.waitUntil(lambda: window.sale.open_dialogs() == [])
    qtbot.waitUntil(lambda: "钱箱没有打开" in window.sale.message.text(), timeout=10_000)
    assert "之后也不会自动弹开" in window.sale.message.text()
    with db.read() as session:
        assert session.scalar(select(Payment.kind)) == "cash"

    printer.set_mode("normal")
    bridge.worker.retry_now()
    [receipt] = printer.wait_for_jobs(1)
    assert "T01-000001" in decode_escpos(receipt).text
    qtbot.wait(300)  # the worker would have sent a queued kick by now
    assert len(printer.jobs) == 1 and b"\x1bp" not in printer.jobs[0]


def test_with_no_printer_the_status_bar_says_where_to_set_one_up(
    qtbot: QtBot, clock: FakeClock, db: Database
) -> None:
    """No receipt printer: a sale is kept and the status bar says, briefly, that F10 sets one
    up (instead of a sentence that does not fit it)."""
    window = open_window(qtbot, db, clock, printer=True)
    log_in(qtbot, window)
    bridge = window.till.printer
    assert bridge is not None
    bridge.start()
    try:
        scan_code(clock, barcode_of("1001"))
        open_by_key(qtbot, clock, window, Qt.Key.Key_F12, PaymentDialog)
        type_text(clock, "3.50")
        press(clock, ENTER)
        status = window.status_labels["printer"]
        qtbot.waitUntil(lambda: "F10" in status.text(), timeout=10_000)
    finally:
        bridge.stop()
    assert status.text() == "打印 未设置（按 F10 设置）"
