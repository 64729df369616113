"""The refund screen driven by the keyboard alone, every key to QApplication.focusWidget():
a split sale (cash + card) is found by scanning its receipt, quantities are typed into the
本次退 column, Tab goes down the column to 退款 and Enter refunds; F4 refunds the rest. What is
stored (refund rows, tenders, journal, stock), the 退货单 the printer receives over TCP, the
drawer kick and the cash shown on screen are checked."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.shift import close_shift
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry, Product, Sale, StockMove
from pos_app.ui.main_window import MainWindow
from pos_app.ui.printing import PrinterBridge
from pos_app.ui.qt import QApplication, Qt
from pos_app.ui.refund_dialog import REFUND_COLUMN, RefundDialog
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.hardware.escpos_decode import decode_escpos
from tests.hardware.fake_printer import FakePrinter
from tests.services.test_checkout import cart_with
from tests.services.test_refund import rounded_split_sale
from tests.ui import keys
from tests.ui.conftest import FakeClock, wait_idle

DRAWER_KICK = "1b 70"  # ESC p: the cash drawer pulse


def split_sale(db: Database) -> str:
    """2 colas (¥3.50) and a noodle cup (¥4.50): ¥11.50 paid card ¥5.00 + cash ¥6.50."""
    cart = cart_with(db, barcode_of("1001"), barcode_of("1001"), barcode_of("1003"))
    tenders = [Tender(TenderKind.CARD, 500, "card-7"), Tender(TenderKind.CASH, 650)]
    return checkout(db, cart=cart, tenders=tenders, cashier_id=CASHIER_ID).sale_no


def refunds(db: Database) -> list[tuple[str, list[tuple[str, int]], list[tuple[str, int]]]]:
    """Each refund: its number, its lines (sku, qty) and tenders (kind, amount)."""
    with db.read() as session:
        return [
            (
                sale.sale_no,
                [(line.sku, line.qty) for line in sale.lines],
                [(p.kind, p.amount_fen) for p in sale.payments],
            )
            for sale in session.scalars(select(Sale).where(Sale.kind == "refund").order_by(Sale.id))
        ]


def stock(db: Database, sku: str) -> int:
    """The stock of a product as its moves add up."""
    with db.read() as session:
        query = select(func.sum(StockMove.delta)).join(Product).where(Product.sku == sku)
        return int(session.scalar(query) or 0)


def journal(db: Database, kind: str) -> list[dict[str, object]]:
    with db.read() as session:
        rows = session.scalars(select(JournalEntry).where(JournalEntry.kind == kind))
        return [{**json.loads(row.payload), "approver": row.approver_id} for row in rows]


def open_refund(qtbot: QtBot, clock: FakeClock, window: MainWindow) -> RefundDialog:
    dialog = keys.open_by_key(qtbot, clock, window, Qt.Key.Key_F7, RefundDialog)
    assert keys.focused() is dialog.number
    return dialog


def test_a_split_sale_is_refunded_by_keys_alone_with_slip_drawer_and_cash_on_screen(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    printer: FakePrinter,
    printing: PrinterBridge,
    manager_approves: list[str],
) -> None:
    """Scan the receipt, type 1 on each line (1 stays 1), Tab, Tab to 退款, Enter: ¥8.00 goes
    back as card ¥3.48 + cash ¥4.52, stock comes back, a 退货单 prints after a drawer kick and
    the screen says in large type to hand back ¥4.52."""
    sale_no = split_sale(db)
    cola_before, noodle_before = stock(db, "1001"), stock(db, "1003")
    dialog = open_refund(qtbot, clock, window)
    keys.scan_code(clock, sale_no)
    assert sale_no in dialog.header.text()
    assert dialog.table.currentColumn() == REFUND_COLUMN
    keys.type_text(clock, "1")
    assert keys.focused().text() == "1"  # was 11: the scanner filter saw the key twice
    keys.press(clock, Qt.Key.Key_Tab)
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (1, REFUND_COLUMN)
    keys.type_text(clock, "1")
    keys.press(clock, Qt.Key.Key_Tab)
    assert keys.focused() is dialog.refund_button
    assert dialog.total.text() == "退款合计 ¥8.00"
    assert "银行卡　¥3.48" in dialog.split.text() and "现金　¥4.52" in dialog.split.text()
    keys.press(clock, keys.ENTER)
    wait_idle(qtbot, window)

    assert manager_approves == ["退款 ¥8.00"]
    [(refund_no, lines, tenders)] = refunds(db)
    assert lines == [("1001", -1), ("1003", -1)]
    assert sorted(tenders) == [("card", -348), ("cash", -452)]
    assert (stock(db, "1001"), stock(db, "1003")) == (cola_before + 1, noodle_before + 1)
    [entry] = journal(db, "refund")
    assert entry["sale_no"] == refund_no and entry["original_sale_no"] == sale_no
    assert (entry["total_fen"], entry["approver"]) == (-800, MANAGER_ID)
    assert dialog.cash_back.text() == "请退还顾客现金 ¥4.52"
    assert dialog.cash_back.font().pointSize() >= 24

    kick, slip = printer.wait_for_jobs(2)
    assert any(command.startswith(DRAWER_KICK) for command in decode_escpos(kick).commands)
    text = decode_escpos(slip).text
    assert "退货单" in text and f"原单号: {sale_no}" in text and refund_no in text
    assert "可口可乐" in text and "康师傅红烧牛肉面" in text
    assert "退款合计" in text and "￥8.00" in text
    assert "银行卡" in text and "￥3.48" in text
    assert "应退现金" in text and "￥4.52" in text


def test_f4_refunds_everything_left_and_the_tenders_get_back_exactly_what_they_paid(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    printer: FakePrinter,
    printing: PrinterBridge,
    manager_approves: list[str],
) -> None:
    """After one cola was refunded by keys, 全部退货 (F4) fills in what is left and Enter on 退款
    refunds it: card and cash are back to exactly ¥5.00 and ¥6.50 over both refunds."""
    sale_no = split_sale(db)
    dialog = open_refund(qtbot, clock, window)
    keys.type_text(clock, sale_no)
    keys.press(clock, keys.ENTER)
    keys.type_text(clock, "1")
    keys.press(clock, keys.ENTER)  # Enter commits the cell and goes to the next line
    keys.press(clock, keys.ENTER)
    assert keys.focused() is dialog.refund_button
    keys.press(clock, keys.ENTER)
    wait_idle(qtbot, window)
    assert keys.focused() is dialog.number  # ready for the next receipt
    keys.type_text(clock, sale_no)
    keys.press(clock, keys.ENTER)
    keys.press(clock, Qt.Key.Key_F4)
    assert keys.focused() is dialog.refund_button
    assert dialog.total.text() == "退款合计 ¥8.00"
    keys.press(clock, keys.ENTER)
    wait_idle(qtbot, window)

    first, second = refunds(db)
    assert first[1] == [("1001", -1)] and second[1] == [("1001", -1), ("1003", -1)]
    back: dict[str, int] = {}
    for _, _, tenders in (first, second):
        for kind, amount in tenders:
            back[kind] = back.get(kind, 0) - amount
    assert back == {"card": 500, "cash": 650}
    assert [dialog.table.item(row, 3).text() for row in range(2)] == ["0", "0"]
    assert printer.wait_for_jobs(4)[3:] and len(journal(db, "refund")) == 2


def test_too_many_typed_says_how_many_are_left_and_nothing_is_refunded(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    manager_approves: list[str],
) -> None:
    """Typing 3 for a line of 2 keeps 退款 disabled and says in Chinese that at most 2 are left;
    Shift+Tab goes back up the column."""
    sale_no = split_sale(db)
    dialog = open_refund(qtbot, clock, window)
    keys.type_text(clock, sale_no)
    keys.press(clock, keys.ENTER)
    keys.type_text(clock, "3")
    keys.press(clock, Qt.Key.Key_Tab)
    assert dialog.message.text() == "可口可乐 330ml 最多可退 2"
    assert not dialog.refund_button.isEnabled()
    keys.press(clock, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (0, REFUND_COLUMN)
    keys.press(clock, Qt.Key.Key_Tab)
    keys.press(clock, Qt.Key.Key_Tab)
    keys.press(clock, keys.ENTER)
    assert refunds(db) == [] and manager_approves == []


KEYS = {
    "1": "1",
    "2": "2",
    "0": "0",
    "Tab": Qt.Key.Key_Tab,
    "Enter": Qt.Key.Key_Return,
    "Backspace": Qt.Key.Key_Backspace,
    "F4": Qt.Key.Key_F4,
}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=st.lists(st.sampled_from(sorted(KEYS)), min_size=1, max_size=14))
def test_any_keys_in_the_refund_screen_never_give_back_more_than_was_paid(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    manager_approves: list[str],
    typed: list[str],
) -> None:
    """Digits, Tab, Enter, Backspace and F4 in any order, typed into the refund screen of a
    split sale: every refund was approved, no line gives back more than was sold and no tender
    more than it paid; a full refund gives back exactly what was paid."""
    sale_no = split_sale(db)
    dialog = open_refund(qtbot, clock, window)
    keys.scan_code(clock, sale_no)
    for name in typed:
        if isinstance(KEYS[name], str):
            keys.type_text(clock, name)
        else:
            keys.press(clock, KEYS[name])
    wait_idle(qtbot, window)
    dialog.reject()
    window.activateWindow()  # the next example starts on the sale screen
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()))

    with db.read() as session:
        original = session.scalars(select(Sale).where(Sale.sale_no == sale_no)).one()
        back = session.scalars(select(Sale).where(Sale.original_sale_id == original.id)).all()
        sold = {line.id: line.qty for line in original.lines}
        returned = {line_id: 0 for line_id in sold}
        paid = {p.kind: p.amount_fen for p in original.payments}
        refunded = dict.fromkeys(paid, 0)
        for refund in back:
            for line in refund.lines:
                assert line.original_line_id is not None
                returned[line.original_line_id] -= line.qty
            for payment in refund.payments:
                refunded[payment.kind] -= payment.amount_fen
    assert len(manager_approves) >= len(back)
    assert all(returned[line_id] <= sold[line_id] for line_id in sold)
    assert all(0 <= refunded[kind] <= paid[kind] for kind in paid)
    if returned == sold:
        assert refunded == paid


def test_a_rounded_sale_refunded_by_keys_gives_back_what_was_paid_and_z_has_no_stray_fen(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    printer: FakePrinter,
    printing: PrinterBridge,
    manager_approves: list[str],
) -> None:
    """The issue's ¥48.95 sale with 抹零 −¥0.05, paid card ¥10.00 + cash ¥38.90: scan, F4,
    Enter refunds ¥48.90 (card ¥10.00, cash ¥38.90), the slip and the screen say ¥38.90 cash,
    and the Z report nets every tender to ¥0.00 (it showed 银行卡 −¥0.01)."""
    sale_no = rounded_split_sale(db)
    dialog = open_refund(qtbot, clock, window)
    keys.scan_code(clock, sale_no)
    keys.press(clock, Qt.Key.Key_F4)
    assert dialog.total.text() == "退款合计 ¥48.90"
    keys.press(clock, keys.ENTER)
    wait_idle(qtbot, window)

    [(_, _, tenders)] = refunds(db)
    assert sorted(tenders) == [("card", -1000), ("cash", -3890)]
    assert dialog.cash_back.text() == "请退还顾客现金 ¥38.90"
    text = decode_escpos(printer.wait_for_jobs(2)[1]).text
    assert "抹零" in text and "￥48.90" in text and "￥38.90" in text and "￥10.00" in text
    z = close_shift(db, staff_id=CASHIER_ID, counted_cash_fen=50000)
    assert z.by_tender == {"card": 0, "cash": 0}
