"""Read-only views the till's screens need, as plain dataclasses (no ORM objects leave here):
a product by id, a sale with what is left to refund, the till's status, the discount limit,
the latest sales to reprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos_app.services.catalog import FoundProduct, product_info
from pos_app.services.errors import UnknownBarcode
from pos_app.services.refund import Tendered, find_sale, refunded_qty, tendered
from pos_app.services.till import open_shift_of, till_identity
from pos_app.store.models import Product, Sale
from pos_app.store.settings import get_setting, store_zone

RECENT_SALES = 30


def product_by_id(session: Session, product_id: int) -> FoundProduct:
    """The active product with this id (a search hit the cashier picked)."""
    product = session.get(Product, product_id)
    if product is None or product.status != "active":
        raise UnknownBarcode(str(product_id))
    return FoundProduct(product.id, product_info(product))


@dataclass(frozen=True)
class RefundableLine:
    """A line of a sale; qty and refundable_qty are units, or grams when weighed."""

    line_no: int
    name: str
    weighed: bool
    qty: int
    refundable_qty: int
    net_fen: int


@dataclass(frozen=True)
class RefundableSale:
    sale_no: str
    created_at: datetime
    total_fen: int
    tenders: tuple[tuple[str, int], ...]  # (kind, amount_fen) as paid
    lines: tuple[RefundableLine, ...]
    tendered: tuple[Tendered, ...] = ()  # per tender: paid, and refunded so far


def refundable_sale(session: Session, sale_no: str) -> RefundableSale:
    """A sale and how much of each line can still be refunded; RefundError if unknown."""
    sale = find_sale(session, sale_no)
    done = refunded_qty(session, [line.id for line in sale.lines])
    return RefundableSale(
        sale_no=sale.sale_no,
        created_at=sale.created_at,
        total_fen=sale.total_fen,
        tenders=tuple((p.kind, p.amount_fen) for p in sale.payments),
        lines=tuple(
            RefundableLine(
                line_no=line.line_no,
                name=line.name,
                weighed=line.weighed,
                qty=line.qty,
                refundable_qty=line.qty - done.get(line.id, 0),
                net_fen=line.net_fen,
            )
            for line in sale.lines
        ),
        tendered=tuple(tendered(session, sale)),
    )


@dataclass(frozen=True)
class TillStatus:
    store_name: str
    till_id: str
    shift_id: int | None


def till_status(session: Session) -> TillStatus:
    """Store name, till and the open shift (None when no shift is open)."""
    till_id = till_identity(session).till_id
    shift = open_shift_of(session, till_id)
    return TillStatus(get_setting(session, "store_name"), till_id, shift.id if shift else None)


@dataclass(frozen=True)
class RecentSale:
    """A committed sale or refund as the reprint list shows it (time in the store's zone)."""

    sale_no: str
    is_refund: bool
    created_at: datetime
    total_fen: int
    first_item: str
    line_count: int


def recent_sales(session: Session, limit: int = RECENT_SALES) -> list[RecentSale]:
    """This till's latest sales and refunds, newest first: the last receipt is the first row."""
    zone, till_id = store_zone(session), till_identity(session).till_id
    sales = session.scalars(
        select(Sale)
        .where(Sale.till_id == till_id)
        .order_by(Sale.till_seq.desc())
        .limit(limit)
        .options(selectinload(Sale.lines))
    )
    return [
        RecentSale(
            sale_no=sale.sale_no,
            is_refund=sale.kind == "refund",
            created_at=sale.created_at.astimezone(zone),
            total_fen=sale.total_fen,
            first_item=sale.lines[0].name if sale.lines else "",
            line_count=len(sale.lines),
        )
        for sale in sales
    ]
