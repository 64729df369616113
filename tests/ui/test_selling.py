"""Whole sales on the real main window: cash with change, split tenders, payment codes, hold and
recall across a restart, refunds, manager overrides and the Z close; checked on screen and in
the database."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.services.permissions import Need
from pos_app.store.db import Database
from pos_app.store.models import JournalEntry, Payment, Product, Sale, Shift
from pos_app.ui.context import TillContext
from pos_app.ui.line_dialogs import QtyDialog, RecallDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.qt import QDialogButtonBox, QMessageBox, Qt, QWidget
from pos_app.ui.refund_dialog import RefundDialog
from pos_app.ui.shift_dialog import ShiftDialog
from pos_app.ui.widgets import FormDialog
from tests.conftest import MANAGER_ID, barcode_of
from tests.ui.conftest import FakeClock, find_open, log_in, open_window, scan, wait_idle


def ring_up(window: MainWindow, clock: FakeClock, *skus: str) -> None:
    for sku in skus:
        scan(window, barcode_of(sku), clock, target=window.sale.table)


def open_payment(window: MainWindow) -> PaymentDialog:
    window.sale.open_payment()
    dialog = find_open(window, PaymentDialog)
    assert dialog.isVisible()
    return dialog


def pay(qtbot: QtBot, window: MainWindow, dialog: PaymentDialog, button: str, yuan: str) -> None:
    dialog.amount.setText(yuan)
    qtbot.mouseClick(dialog.findChild(QWidget, button), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)


def click_ok(qtbot: QtBot, dialog: FormDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def sales(db: Database) -> list[Sale]:
    with db.read() as session:
        rows = session.scalars(select(Sale).order_by(Sale.id)).all()
        for sale in rows:
            _ = (sale.payments, sale.lines)
        session.expunge_all()  # keep them readable after the read transaction ends
        return list(rows)


def test_a_cash_sale_shows_the_change_and_is_stored(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """¥9.00 paid with ¥20 in cash: the screen shows ¥11.00 change and the sale is committed."""
    ring_up(window, clock, "1001", "1001", "1002")
    assert window.sale.total.text() == "¥9.00"
    dialog = open_payment(window)
    assert dialog.due.text() == "¥9.00"
    pay(qtbot, window, dialog, "cash", "20")
    assert window.sale.open_dialogs() == []
    assert window.sale.last_sale.text().endswith("：收 ¥20.00 找 ¥11.00")  # as handed over
    assert window.sale.model.rowCount() == 0 and window.sale.total.text() == "¥0.00"
    [sale] = sales(db)
    assert (sale.total_fen, [(p.kind, p.tendered_fen, p.change_fen) for p in sale.payments]) == (
        900,
        [("cash", 2000, 1100)],
    )


def test_a_split_payment_stores_both_tenders(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """¥5 cash then the rest by card: the dialog shows what remains, the sale has two payments."""
    ring_up(window, clock, "1001", "1003")
    dialog = open_payment(window)
    pay(qtbot, window, dialog, "cash", "5")
    assert dialog.remaining.text() == "¥3.00"
    assert dialog.amount.text() == "3.00"
    pay(qtbot, window, dialog, "card", "3.00")
    [sale] = sales(db)
    assert [(p.kind, p.amount_fen) for p in sale.payments] == [("cash", 500), ("card", 300)]
    assert window.sale.last_sale.text().endswith("：收 ¥5.00 找 ¥0.00，另付 ¥3.00")


def test_the_payment_code_step_says_online_payment_is_unavailable(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """A scanned WeChat code goes to the gateway, which refuses plainly; nothing is committed."""
    ring_up(window, clock, "1002")
    dialog = open_payment(window)
    scan(window, "134567890123456789", clock, target=dialog.amount)
    wait_idle(qtbot, window)
    assert "线上支付暂不可用" in dialog.message.text()
    assert dialog.tenders == [] and sales(db) == []
    dialog.reject()


def test_rounding_takes_the_fen_off_the_amount_due(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """With 抹零 to the yuan a ¥12.50 cart is due as ¥12.00 and stored so."""
    from pos_app.services.till_settings import read_settings, save_settings

    settings = read_settings(db)
    save_settings(
        db,
        type(settings)(**{**settings.__dict__, "rounding_mode": "yuan_down"}),
        actor_id=MANAGER_ID,
        approver_id=MANAGER_ID,
    )
    window.ctx.reload_settings()
    ring_up(window, clock, "1001", "1001", "1001", "1002")  # 3 × 3.50 + 2.00 = 12.50
    dialog = open_payment(window)
    assert (dialog.due.text(), dialog.rounding.text()) == ("¥12.00", "抹零 -¥0.50")
    pay(qtbot, window, dialog, "cash", "12")
    [sale] = sales(db)
    assert (sale.total_fen, sale.rounding_fen) == (1200, -50)


def test_a_weighed_item_takes_its_weight_in_kilograms(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    """F3 on loose apples at ¥12.90/kg: 0.350 kg is stored as 350 g and costs ¥4.52."""
    with db.read() as session:
        apple_id = session.scalar(select(Product.id).where(Product.sku == "2001"))
    window.sale.add_product(apple_id)
    window.sale.change_qty()
    dialog = find_open(window, QtyDialog)
    dialog.value.setText("0.350")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    model = window.sale.model
    assert [model.data(model.index(0, c)) for c in (2, 5)] == ["0.350 kg", "4.52"]
    assert window.sale.cart.lines[0].qty == 350


def test_a_held_sale_is_recalled_after_a_restart(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """F6 holds the cart; a new window on the same database file recalls it with F6."""
    ring_up(window, clock, "1001", "1003")
    window.sale.hold_or_recall()
    assert window.sale.model.rowCount() == 0
    window.close()
    restarted = open_window(qtbot, Database(db.path), clock)
    log_in(qtbot, restarted)
    restarted.sale.hold_or_recall()
    dialog = find_open(restarted, RecallDialog)
    assert dialog.list.count() == 1
    assert "¥8.00" in dialog.list.item(0).text()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    model = restarted.sale.model
    assert [model.data(model.index(row, 1)) for row in range(2)] == [
        "可口可乐 330ml",
        "康师傅红烧牛肉面",
    ]
    assert restarted.sale.total.text() == "¥8.00"
    restarted.close()


def test_part_of_a_sale_can_be_refunded(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database, manager_approves: list[str]
) -> None:
    """One of two colas is refunded with the manager's approval; one is left to refund."""
    ring_up(window, clock, "1001", "1001", "1002")
    pay(qtbot, window, open_payment(window), "cash", "9")
    window.sale.open_refund()
    dialog = find_open(window, RefundDialog)
    scan(window, "T01-000001", clock, target=dialog.number)
    assert "T01-000001" in dialog.header.text()
    dialog.set_refund_qty(1, "1")
    assert dialog.total.text() == "退款合计 ¥3.50"
    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "已退款 ¥3.50" in dialog.message.text() and "现金" in dialog.message.text()
    assert dialog.table.item(0, 3).text() == "1"
    assert manager_approves == ["退款 ¥3.50"]
    refund = sales(db)[-1]
    assert (refund.kind, refund.total_fen, refund.payments[0].kind) == ("refund", -350, "cash")
    dialog.reject()


def test_a_wrong_manager_pin_refuses_the_void(
    qtbot: QtBot,
    window: MainWindow,
    clock: FakeClock,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F8 asks for an approver; the cashier's own number and PIN are refused (a cashier may not
    void) and the line stays."""
    refusals: list[str] = []

    def ask_with_wrong_pin(
        parent: QWidget | None, ctx: TillContext, reason: str, need: Need
    ) -> None:
        dialog = OverrideDialog(parent, ctx, reason, need)
        dialog.show()
        dialog.code.setText("1001")
        dialog.pin.setText("1234")  # the cashier's own
        click_ok(qtbot, dialog)
        qtbot.waitUntil(lambda: "不能批准" in dialog.error.text())
        refusals.append(dialog.error.text())
        dialog.reject()
        return dialog.approval

    monkeypatch.setattr(OverrideDialog, "ask", ask_with_wrong_pin)
    ring_up(window, clock, "1001")
    window.sale.void_line()
    assert refusals and window.sale.model.rowCount() == 1
    with db.read() as session:
        kinds = session.scalars(select(JournalEntry.kind)).all()
    assert "void_line" not in kinds


def test_a_void_with_the_managers_approval_is_journaled(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database, manager_approves: list[str]
) -> None:
    """F8 with approval removes the line; the journal names both people and the amount."""
    ring_up(window, clock, "1001", "1002")
    window.sale.void_line()
    wait_idle(qtbot, window)
    assert window.sale.model.rowCount() == 1
    with db.read() as session:
        entry = session.scalars(select(JournalEntry).where(JournalEntry.kind == "void_line")).one()
        assert (entry.actor_id, entry.approver_id) == (1, MANAGER_ID)
        assert '"amount_fen":200' in entry.payload  # the voided water, for the voids report


def test_z_close_figures_match_the_sales_made(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, db: Database
) -> None:
    """Two sales (cash, card) and a blind count ¥1 short: the Z report shows exactly that."""
    ring_up(window, clock, "1001", "1001", "1002")
    pay(qtbot, window, open_payment(window), "cash", "20")
    ring_up(window, clock, "1003")
    pay(qtbot, window, open_payment(window), "card", "4.50")
    window.sale.open_shift()
    dialog = find_open(window, ShiftDialog)
    dialog.counted.setText("508.00")  # float ¥500 + cash ¥9 = ¥509 expected
    qtbot.mouseClick(dialog.findChild(QWidget, "z_close"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "z_confirm") is not None)
    qtbot.keyClick(dialog.findChild(QMessageBox, "z_confirm"), Qt.Key.Key_Y)  # Z is final: confirm
    qtbot.waitUntil(lambda: bool(dialog.report_values()))
    figures = dialog.report_values()
    assert figures["销售 2 笔"] == "¥13.50"
    assert (figures["现金"], figures["银行卡"]) == ("¥9.00", "¥4.50")
    assert (figures["应有现金"], figures["实点现金"]) == ("¥509.00", "¥508.00")
    assert figures["长短款"] == "-¥1.00"
    assert dialog.report_title.text().startswith("Z 报表 #1")
    with db.read() as session:
        shift = session.scalars(select(Shift)).one()
        assert (shift.z_no, shift.counted_cash_fen, shift.expected_cash_fen) == (1, 50800, 50900)
        assert session.scalar(select(Payment.amount_fen).where(Payment.kind == "card")) == 450
    dialog.accept()
    wait_idle(qtbot, window)
    assert window.status_labels["shift"].text() == "未开班"
