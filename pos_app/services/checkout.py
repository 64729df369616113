"""Checkout: the sale, its lines, payments, stock deltas, outbox event and journal entry in ONE
local transaction (DESIGN §3). Nothing here touches the network or the printer; printing is
queued by the caller after commit.

It is the till's hottest write, so it is a fixed handful of Core statements whatever the number
of lines (one executemany per table) with autoflush off. The sale, its lines and payments are
plain records (services/sale_facts.py) built from the rows written, which the later steps read:
no ORM object is made or flushed on the cashier's path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen
from pos_app.domain.tenders import Settlement, Tender, TenderKind, settle, with_change
from pos_app.services.errors import EmptyCart, NotFullyPaid
from pos_app.services.members import record_member_sale, redeemed_fen
from pos_app.services.payment_attempts import claim_code_payments, close_payment_draft
from pos_app.services.points import cart_points
from pos_app.services.promotions import SalePromotions, record_promotions
from pos_app.services.recording import journal_sale, post_stock, queue_sale_event
from pos_app.services.sale_facts import LineRecord, PaymentRecord, SaleRecord
from pos_app.services.search_popularity import record_sold
from pos_app.services.stock import line_cost_fen
from pos_app.services.till import rounding_mode, sale_columns
from pos_app.store.bulk import insert_row, insert_rows
from pos_app.store.db import Database
from pos_app.store.models import Payment, Product, Sale, SaleLine

_PRODUCTS = Product.__table__.c
_PRODUCT_IDS = select(_PRODUCTS.sku, _PRODUCTS.id, _PRODUCTS.cost_fen).where(
    _PRODUCTS.sku.in_(bindparam("skus", expanding=True))
)


@dataclass(frozen=True)
class CheckoutResult:
    sale_id: int
    sale_no: str
    total_fen: int
    change_fen: int
    points_earned: int
    cash_fen: int = 0  # the cash the customer handed over (change included)


@dataclass
class _Draft:
    """What the steps of one checkout share; lives inside the transaction only."""

    session: Session
    cart: Cart
    cashier_id: int
    settlement: Settlement
    payable_fen: int
    payment_draft: str | None
    sale: SaleRecord = field(init=False)
    promotions: SalePromotions = field(init=False)


def _insert_sale(draft: _Draft) -> None:
    cart = draft.cart
    row = sale_columns(draft.session, kind="sale", cashier_id=draft.cashier_id)
    row.update(
        member_id=cart.member_id,
        subtotal_fen=cart.subtotal_fen,
        discount_fen=cart.discount_fen,
        rounding_fen=draft.payable_fen - cart.total_fen,
        total_fen=draft.payable_fen,
        points_earned=cart_points(
            draft.session,
            cart,
            payable_fen=draft.payable_fen,
            redeemed_fen=redeemed_fen(draft.settlement.applied),
        ),
    )
    draft.sale = SaleRecord(id=insert_row(draft.session, Sale, row), **row)


def _insert_lines(draft: _Draft) -> None:
    cart, sale = draft.cart, draft.sale
    skus = {line.product.sku for line in cart.lines}
    products = {
        sku: (pid, cost)
        for sku, pid, cost in draft.session.connection().execute(_PRODUCT_IDS, {"skus": list(skus)})
    }
    order_shares = cart.allocate_order_discount()
    for line in cart.lines:
        discount = (
            line.line_discount_fen + line.promo_discount_fen + order_shares.get(line.line_no, 0)
        )
        product_id, cost_fen = products[line.product.sku]
        sale.lines.append(
            LineRecord(
                sale_id=sale.id,
                line_no=line.line_no,
                product_id=product_id,
                sku=line.product.sku,
                name=line.product.name,
                barcode=line.barcode,
                weighed=line.product.weighed,
                qty=line.qty,
                unit_price_fen=line.unit_price_fen,
                price_source=str(line.price_source),
                gross_fen=line.gross_fen,
                discount_fen=discount,
                net_fen=line.gross_fen - discount,
                unit_cost_fen=cost_fen,
                line_cost_fen=line_cost_fen(line.product.weighed, line.qty, cost_fen),
            )
        )
    insert_rows(draft.session, SaleLine, [_columns(line) for line in sale.lines])
    draft.promotions = SalePromotions.of_cart(cart)
    record_promotions(draft.session, sale.id, draft.promotions)


def _insert_payments(draft: _Draft) -> None:
    """One row per tender that pays; the change is recorded on the last cash tender."""
    sale = draft.sale
    for tender, change in with_change(draft.settlement):
        sale.payments.append(
            PaymentRecord(
                sale_id=sale.id,
                kind=str(tender.kind),
                amount_fen=tender.amount_fen,
                tendered_fen=tender.amount_fen + change,
                change_fen=change,
                reference=tender.reference,
            )
        )
    insert_rows(draft.session, Payment, [_columns(payment) for payment in sale.payments])


def _columns(record: LineRecord | PaymentRecord) -> dict[str, Any]:
    """A record's fields, which are its table's columns."""
    return {name: getattr(record, name) for name in record.__slots__}


def _claim_code_payments(draft: _Draft) -> None:
    claim_code_payments(draft.session, draft.sale)
    if draft.payment_draft is not None:
        close_payment_draft(draft.session, draft.payment_draft)


def _record_member(draft: _Draft) -> None:
    record_member_sale(draft.session, draft.sale)


def _post_stock(draft: _Draft) -> None:
    post_stock(draft.session, draft.sale)


def _queue_event(draft: _Draft) -> None:
    queue_sale_event(draft.session, draft.sale, draft.promotions)


def _count_sold(draft: _Draft) -> None:
    record_sold(draft.session, draft.sale.lines, day=draft.sale.created_at.date())


def _write_journal(draft: _Draft) -> None:
    journal_sale(draft.session, draft.sale)


CHECKOUT_STEPS: list[Callable[[_Draft], None]] = [
    _insert_sale,
    _insert_lines,
    _insert_payments,
    _claim_code_payments,
    _post_stock,
    _queue_event,
    _record_member,
    _count_sold,
    _write_journal,
]


def checkout(
    db: Database,
    *,
    cart: Cart,
    tenders: Sequence[Tender],
    cashier_id: int,
    payment_draft: str | None = None,
) -> CheckoutResult:
    """Commit a fully paid cart as a sale; all of it is stored, or none of it. payment_draft
    names the payment step the tenders were taken in: its code payments the sale does not use
    are given up in the same transaction, so they are reversed, never made into a second sale."""
    if cart.is_empty:
        raise EmptyCart("The cart is empty: scan an item first.", code="empty_cart")
    with db.write() as session, session.no_autoflush:
        payable = cart.payable_fen(rounding_mode(session))
        settlement = settle(payable, tenders)
        if not settlement.is_paid:
            raise NotFullyPaid(
                f"{format_fen(settlement.remaining_fen)} is still to pay.",
                code="not_paid",
                amount=format_fen(settlement.remaining_fen),
            )
        draft = _Draft(session, cart, cashier_id, settlement, payable, payment_draft)
        for step in CHECKOUT_STEPS:
            step(draft)
        sale = draft.sale
        cash = sum(t.amount_fen for t in tenders if t.kind is TenderKind.CASH)
        return CheckoutResult(
            sale.id, sale.sale_no, sale.total_fen, settlement.change_fen, sale.points_earned, cash
        )
