"""Refunds: never more than was sold, at the price paid, stock back, original tenders."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.errors import RefundError
from pos_app.services.refund import refund_sale, split_over_payments
from pos_app.services.shift import x_report
from pos_app.store.db import Database
from pos_app.store.models import OutboxEvent, Payment, Sale, StockMove
from pos_app.store.settings import set_setting
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with


def sell(db: Database, cart: Cart, tenders: list[Tender]) -> str:
    return checkout(db, cart=cart, tenders=tenders, cashier_id=CASHIER_ID).sale_no


def test_partial_refund_returns_price_paid_and_puts_stock_back(db: Database) -> None:
    """Refunding 1 of 3 discounted colas refunds a third of the paid amount and one unit."""
    cart = cart_with(db, *[barcode_of("1001")] * 3)
    cart.set_line_discount(1, 150)  # 3 × 3.50 − 1.50 = 9.00
    sale_no = sell(db, cart, [Tender(TenderKind.CASH, 900)])
    result = refund_sale(
        db, sale_no=sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    assert result.refunded_fen == 300
    with db.read() as session:
        refund = session.scalars(select(Sale).where(Sale.kind == "refund")).one()
        assert (refund.total_fen, refund.lines[0].qty, refund.payments[0].amount_fen) == (
            -300,
            -1,
            -300,
        )
        assert session.scalar(select(func.sum(StockMove.delta))) == -2
        kinds = list(session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.device_seq)))
        assert kinds == ["sale", "refund"]


def test_refund_never_returns_more_than_was_sold(db: Database) -> None:
    """After refunding 2 of 2, another refund of the line is refused and nothing is written."""
    sale_no = sell(
        db, cart_with(db, barcode_of("1002"), barcode_of("1002")), [Tender(TenderKind.CASH, 400)]
    )
    refund_sale(
        db, sale_no=sale_no, quantities={1: 2}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    with pytest.raises(RefundError, match="0 left to refund"):
        refund_sale(
            db, sale_no=sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
        )
    with pytest.raises(RefundError, match="no line 9"):
        refund_sale(
            db, sale_no=sale_no, quantities={9: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
        )
    with db.read() as session:
        assert session.scalar(select(func.count()).where(Sale.kind == "refund")) == 1


def test_refund_goes_back_to_the_original_tenders_in_proportion(db: Database) -> None:
    """A sale paid half by card and half cash is refunded half to each."""
    sale_no = sell(
        db,
        cart_with(db, barcode_of("1003"), barcode_of("1003")),
        [Tender(TenderKind.CARD, 450, "card-1"), Tender(TenderKind.CASH, 450)],
    )
    refund_sale(
        db, sale_no=sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    with db.read() as session:
        rows = session.execute(
            select(Payment.kind, Payment.amount_fen).where(Payment.amount_fen < 0)
        ).all()
    assert sorted(rows) == [("card", -225), ("cash", -225)]


def test_member_refund_takes_back_the_points_of_the_returned_goods(db: Database) -> None:
    """A member who returns everything keeps none of the points the sale earned."""
    cart = cart_with(db, barcode_of("1003"), barcode_of("1003"), barcode_of("1003"))
    cart.attach_member("M-1")
    sale_no = sell(db, cart, [Tender(TenderKind.CASH, 1200)])
    first = refund_sale(
        db, sale_no=sale_no, quantities={1: 1}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    second = refund_sale(
        db, sale_no=sale_no, quantities={1: 2}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    with db.read() as session:
        earned = session.scalar(select(Sale.points_earned).where(Sale.sale_no == sale_no))
    assert earned == 12
    assert first.points_reversed + second.points_reversed == 12


def test_split_over_payments_always_sums_exactly() -> None:
    """Shares of a refund over tenders add up to the refund to the fen."""
    payments = [Payment(kind="cash", amount_fen=a, tendered_fen=a) for a in (333, 333, 334)]
    for amount in range(0, 1001, 7):
        assert sum(split_over_payments(amount, payments)) == amount


def rounded_split_sale(db: Database) -> str:
    """Lines ¥48.95, 抹零 −¥0.05, paid ¥48.90: card ¥10.00 + cash ¥38.90 (the issue's sale)."""
    with db.write() as session:
        set_setting(session, "rounding_mode", "jiao_down")
    cart = cart_with(db, *[barcode_of("1001")] * 5, *[barcode_of("1003")] * 7)  # 17.50 + 31.50
    cart.set_line_discount(2, 5)  # 48.95
    assert cart.total_fen == 4895
    return sell(db, cart, [Tender(TenderKind.CARD, 1000, "card-1"), Tender(TenderKind.CASH, 3890)])


def refunded_by_tender(db: Database) -> dict[str, int]:
    with db.read() as session:
        rows = session.execute(
            select(Payment.kind, func.sum(Payment.amount_fen))
            .join(Sale, Payment.sale_id == Sale.id)
            .where(Sale.kind == "refund")
            .group_by(Payment.kind)
        ).all()
    return {kind: -amount for kind, amount in rows}


def test_a_rounded_sale_is_refunded_exactly_what_was_paid_per_tender(db: Database) -> None:
    """Refunding all of a 抹零 sale gives card ¥10.00 and cash ¥38.90 back, not ¥10.01 + ¥38.94,
    and the shift report shows no card money going out."""
    sale_no = rounded_split_sale(db)
    result = refund_sale(
        db, sale_no=sale_no, quantities={1: 5, 2: 7}, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
    )
    assert result.refunded_fen == 4890
    assert refunded_by_tender(db) == {"card": 1000, "cash": 3890}
    report = x_report(db)
    assert report.by_tender == {"card": 0, "cash": 0}
