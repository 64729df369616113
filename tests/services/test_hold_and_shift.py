"""Hold/recall across a restart, and shift figures from open to Z close."""

from __future__ import annotations

import pytest

from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.errors import NoOpenShift, ShiftError
from pos_app.services.hold import hold_cart, list_held, recall_cart
from pos_app.services.refund import refund_sale
from pos_app.services.shift import close_shift, open_shift, record_cash_move, x_report
from pos_app.store.db import Database
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with


def test_held_cart_survives_a_restart_and_leaves_the_list_when_recalled(db: Database) -> None:
    """A held cart is read back by a new Database object on the same file, then is gone."""
    cart = cart_with(db, barcode_of("1001"), barcode_of("1003"))
    held_id = hold_cart(db, cart=cart, cashier_id=CASHIER_ID, label="穿红衣服的顾客")
    db.dispose()
    reopened = Database(db.path)
    [summary] = list_held(reopened)
    assert (summary.label, summary.total_fen, summary.item_count) == ("穿红衣服的顾客", 800, 2)
    recalled = recall_cart(reopened, held_id)
    assert [line.product.sku for line in recalled.lines] == ["1001", "1003"]
    assert list_held(reopened) == []


def test_z_close_reports_sales_refunds_and_over_short(db: Database) -> None:
    """Float + cash sales − cash refunds + cash moves = expected; the count gives over/short."""
    checkout(
        db,
        cart=cart_with(db, barcode_of("1001")),
        tenders=[Tender(TenderKind.CASH, 1000)],
        cashier_id=CASHIER_ID,
    )
    sale = checkout(
        db,
        cart=cart_with(db, barcode_of("1003")),
        tenders=[Tender(TenderKind.CASH, 450)],
        cashier_id=CASHIER_ID,
    )
    checkout(
        db,
        cart=cart_with(db, barcode_of("1002")),
        tenders=[Tender(TenderKind.CARD, 200)],
        cashier_id=CASHIER_ID,
    )
    refund_sale(
        db, sale_no=sale.sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    record_cash_move(db, staff_id=CASHIER_ID, amount_fen=-1000, reason="买零钱袋")
    running = x_report(db)
    assert (running.sales_count, running.refunds_count) == (3, 1)
    assert (running.sales_fen, running.refunds_fen, running.net_fen) == (1000, -450, 550)
    assert running.by_tender == {"cash": 350 + 450 - 450, "card": 200}
    assert running.expected_cash_fen == 50000 + 350 - 1000
    z = close_shift(db, staff_id=CASHIER_ID, counted_cash_fen=49300)
    assert (z.z_no, z.expected_cash_fen, z.over_short_fen) == (1, 49350, -50)
    with pytest.raises(NoOpenShift):
        x_report(db)
    with pytest.raises(NoOpenShift):
        close_shift(db, staff_id=CASHIER_ID, counted_cash_fen=0)


def test_a_second_shift_cannot_open_while_one_is_open(db: Database) -> None:
    """Opening a shift twice is refused with a clear message."""
    with pytest.raises(ShiftError, match="already open"):
        open_shift(db, staff_id=CASHIER_ID, float_fen=0)
