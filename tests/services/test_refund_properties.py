"""Property: whatever the cart (line and order discounts, 抹零), the split of tenders and the
order and sizes of partial refunds, no tender ever gets back more than it paid, and once every
unit is returned each tender has got back exactly what it paid. Real checkout and refund
services on a real SQLite till."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos_app.domain.cart import Cart
from pos_app.domain.money import RoundingMode
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.refund import refund_sale
from pos_app.store.db import Database
from pos_app.store.models import Payment, Sale
from pos_app.store.settings import set_setting
from tests.conftest import CASHIER_ID, MANAGER_ID, barcode_of
from tests.services.test_checkout import cart_with

SKUS = ("1001", "1002", "1003")


@dataclass(frozen=True)
class Line:
    sku: str
    qty: int
    unit_price_fen: int
    discount_permille: int  # of the line amount


@st.composite
def sales(draw: st.DrawFn) -> tuple[RoundingMode, list[Line], int, list[int]]:
    """Lines, an order discount (per mille), a rounding mode and tender weights."""
    lines = draw(
        st.lists(
            st.builds(
                Line,
                st.sampled_from(SKUS),
                st.integers(1, 5),
                st.integers(1, 9999),
                st.sampled_from([0, 0, 33, 100, 500, 999]),
            ),
            min_size=1,
            max_size=4,
        )
    )
    mode = draw(st.sampled_from(list(RoundingMode)))
    order_permille = draw(st.sampled_from([0, 0, 7, 150, 333]))
    weights = draw(st.lists(st.integers(0, 100), min_size=1, max_size=3))
    return mode, lines, order_permille, weights


@st.composite
def refund_steps(draw: st.DrawFn, qty_by_line: dict[int, int]) -> list[dict[int, int]]:
    """Every unit of every line returned, in chunks of random size and random order, a few
    chunks per refund."""
    chunks: list[tuple[int, int]] = []
    for line_no, qty in qty_by_line.items():
        while qty:
            size = draw(st.integers(1, qty))
            chunks.append((line_no, size))
            qty -= size
    chunks = draw(st.permutations(chunks))
    steps: list[dict[int, int]] = []
    while chunks:
        take = draw(st.integers(1, len(chunks)))
        step: dict[int, int] = {}
        for line_no, size in chunks[:take]:
            step[line_no] = step.get(line_no, 0) + size
        steps.append(step)
        chunks = chunks[take:]
    return steps


def ring_up(db: Database, lines: list[Line], order_permille: int) -> Cart:
    cart = Cart()
    for line in lines:
        code = barcode_of(line.sku)
        cart.add(cart_with(db, code).lines[0].product, barcode=code)
        last = cart.lines[-1]
        cart.set_qty(last.line_no, last.qty + line.qty - 1)
        cart.set_manual_price(last.line_no, line.unit_price_fen)
        cart.set_line_discount(last.line_no, last.gross_fen * line.discount_permille // 1000)
    cart.set_order_discount(cart.total_fen * order_permille // 1000)
    return cart


def split(payable_fen: int, weights: list[int]) -> list[Tender]:
    """payable over a card, a second card and cash, by weight; the rest in cash."""
    kinds = [(TenderKind.CASH, ""), (TenderKind.CARD, "card-A"), (TenderKind.CARD, "card-B")]
    total = sum(weights) or 1
    amounts = [payable_fen * w // total for w in weights]
    amounts[0] += payable_fen - sum(amounts)
    return [
        Tender(kind, amount, ref)
        for (kind, ref), amount in zip(kinds, amounts, strict=False)
        if amount > 0
    ]


def refunded(db: Database, sale_no: str) -> dict[tuple[str, str], int]:
    with db.read() as session:
        sale_id = session.scalar(select(Sale.id).where(Sale.sale_no == sale_no))
        rows = session.execute(
            select(Payment.kind, Payment.reference, -func.sum(Payment.amount_fen))
            .join(Sale, Payment.sale_id == Sale.id)
            .where(Sale.original_sale_id == sale_id)
            .group_by(Payment.kind, Payment.reference)
        ).all()
    return {(kind, ref): amount for kind, ref, amount in rows}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sale=sales(), data=st.data())
def test_refunds_never_exceed_a_tender_and_a_full_refund_returns_exactly_what_was_paid(
    db: Database,
    sale: tuple[RoundingMode, list[Line], int, list[int]],
    data: st.DataObject,
) -> None:
    """Each tender's refunds stay within what it paid after every partial refund, each refund
    sums to its payments, and the last one brings every tender to exactly what it paid."""
    mode, lines, order_permille, weights = sale
    with db.write() as session:
        set_setting(session, "rounding_mode", str(mode))
    cart = ring_up(db, lines, order_permille)
    payable = cart.payable_fen(mode)
    tenders = split(payable, weights)
    if not tenders:
        return  # a free cart: nothing was paid, nothing to give back
    sale_no = checkout(db, cart=cart, tenders=tenders, cashier_id=CASHIER_ID).sale_no
    paid: dict[tuple[str, str], int] = {}
    for tender in tenders:
        key = (str(tender.kind), tender.reference)
        paid[key] = paid.get(key, 0) + tender.amount_fen
    steps = data.draw(refund_steps({line.line_no: line.qty for line in cart.lines}))
    total_back = 0
    for step in steps:
        result = refund_sale(
            db, sale_no=sale_no, quantities=step, cashier_id=CASHIER_ID, approver_id=MANAGER_ID
        )
        total_back += result.refunded_fen
        back = refunded(db, sale_no)
        assert all(0 <= back[key] <= paid[key] for key in back), (back, paid)
        assert sum(back.values()) == total_back
    assert refunded(db, sale_no) == {key: fen for key, fen in paid.items() if fen}
    assert total_back == payable
