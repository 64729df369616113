"""What the ledgers beside a sale read of it (stock, outbox event, member balances, popularity,
journal): the checkout hands them plain records of the rows it wrote with Core (no ORM object on
the cashier's path), a refund its ORM rows. Records and rows have the same attributes, so the
same code records both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pos_app.store.models import Sale, SaleLine


@dataclass(slots=True)
class LineRecord:
    """A sale_lines row as the checkout wrote it (its columns, the id left to the database)."""

    sale_id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    barcode: str
    weighed: bool
    qty: int
    unit_price_fen: int
    price_source: str
    gross_fen: int
    discount_fen: int
    net_fen: int
    unit_cost_fen: int | None
    line_cost_fen: int | None


@dataclass(slots=True)
class PaymentRecord:
    """A payments row as the checkout wrote it."""

    sale_id: int
    kind: str
    amount_fen: int
    tendered_fen: int
    change_fen: int
    reference: str


@dataclass(slots=True)
class SaleRecord:
    """A sales row as the checkout wrote it, with its lines and payments; never a refund."""

    id: int
    sale_no: str
    kind: str
    store_id: str
    till_id: str
    till_seq: int
    shift_id: int
    cashier_id: int
    member_id: str | None
    created_at: datetime
    subtotal_fen: int
    discount_fen: int
    rounding_fen: int
    total_fen: int
    points_earned: int
    lines: list[LineRecord] = field(default_factory=list)
    payments: list[PaymentRecord] = field(default_factory=list)
    original_sale: None = None


# What the recorders accept: a sale or refund as the ORM holds it, or as the checkout wrote it.
SaleFacts = Sale | SaleRecord
LineFacts = SaleLine | LineRecord
