"""Stock on hand, low- and negative-stock lists and a product's stock history (DESIGN §2), plus
the one way back-office documents post a stock delta.

The ledger (stock_moves) is the truth: on hand is the sum of a product's deltas. stock_levels
caches that sum per product; database triggers keep it in the same transaction as every ledger
row, whoever writes it, so the lists below are index range scans even at 1,000,000 SKUs.
`ledger_on_hand` sums the ledger itself, for checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.money import mul_div_half_up
from pos_app.services.catalog import FoundProduct, lookup_scan
from pos_app.services.events import queue_event
from pos_app.services.till import scale_layouts
from pos_app.store.backoffice_models import StockLevel
from pos_app.store.models import Product, StockMove, utc_now

DEFAULT_PAGE = 50
GRAMS_PER_KG = 1000
StockKey = tuple[int, int]  # (sort value, product id) of the last row of a page
StockQuery = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class StockRow:
    """A product on a stock list; quantities are units, or grams for weighed goods."""

    product_id: int
    sku: str
    name: str
    unit: str
    weighed: bool
    on_hand: int
    reorder_level: int | None


@dataclass(frozen=True)
class StockPage:
    rows: list[StockRow]
    next_after: StockKey | None  # pass as `after` for the next page; None on the last page


@dataclass(frozen=True)
class HistoryRow:
    """One delta of a product's ledger with its source document and the balance after it."""

    move_id: int
    created_at: datetime
    delta: int
    reason: str  # sale | refund | receive | count | …
    ref: str  # sale number, receiving or stocktake document number
    balance: int


@dataclass(frozen=True)
class HistoryPage:
    rows: list[HistoryRow]
    next_before: int | None  # pass as `before` for older moves; None when there are none


def find_product(session: Session, code: str) -> FoundProduct:
    """The active product a scanned or typed code (barcode, SKU, PLU, scale label) stands for.

    Raises InvalidBarcode for a malformed code, UnknownBarcode when nothing matches.
    """
    return lookup_scan(session, parse_barcode(code, scale_layouts(session)))


def on_hand(session: Session, product_id: int) -> int:
    """Units (grams) on hand now, from the cache."""
    level = session.get(StockLevel, product_id)
    return 0 if level is None else level.on_hand


def ledger_on_hand(session: Session, product_id: int, *, up_to_move: int | None = None) -> int:
    """Sum of the product's deltas in the ledger, optionally only up to a move id (a cursor)."""
    query = select(func.coalesce(func.sum(StockMove.delta), 0)).where(
        StockMove.product_id == product_id
    )
    if up_to_move is not None:
        query = query.where(StockMove.id <= up_to_move)
    return int(session.scalar(query) or 0)


def ledger_cursor(session: Session) -> int:
    """The newest stock move id: everything at or below it has happened."""
    return int(session.scalar(select(func.max(StockMove.id))) or 0)


def stock_value_fen(*, weighed: bool, qty: int, cost_fen: int) -> int:
    """Goods at a cost price: cost × units, or cost per kg × grams / 1000 (half up)."""
    return mul_div_half_up(cost_fen, qty, GRAMS_PER_KG) if weighed else cost_fen * qty


def line_cost_fen(weighed: bool, qty: int, cost_fen: int | None) -> int | None:
    """A sale line's cost at the product's cost price (last cost: what the latest receiving
    paid, or the price set in the catalog); None when the product has no cost."""
    return (
        None if cost_fen is None else stock_value_fen(weighed=weighed, qty=qty, cost_fen=cost_fen)
    )


def post_delta(session: Session, product: Product, delta: int, *, reason: str, ref: str) -> None:
    """One ledger delta and its outbox "stock" event for the mall, in the caller's transaction."""
    from sync.protocol import StockPayload

    session.add(
        StockMove(product_id=product.id, delta=delta, reason=reason, ref=ref, created_at=utc_now())
    )
    queue_event(session, StockPayload(sku=product.sku, delta=delta, reason=reason, ref=ref))


def set_reorder_level(session: Session, product_id: int, level: int | None) -> None:
    """Set (or clear with None) the product's reorder level, keeping its cached on hand."""
    statement = insert(StockLevel).values(product_id=product_id, on_hand=0, reorder_level=level)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[StockLevel.product_id], set_={"reorder_level": level}
        )
    )


def reorder_level(session: Session, product_id: int) -> int | None:
    level = session.get(StockLevel, product_id)
    return None if level is None else level.reorder_level


def _stock_rows(sort_key: ColumnElement[int] | InstrumentedAttribute[int]) -> StockQuery:
    return (
        select(
            sort_key,
            Product.id,
            Product.sku,
            Product.name,
            Product.unit,
            Product.weighed,
            StockLevel.on_hand,
            StockLevel.reorder_level,
        )
        .select_from(StockLevel)
        .join(Product, Product.id == StockLevel.product_id)
        .where(Product.status == "active")
    )


def _page(session: Session, query: StockQuery, limit: int) -> StockPage:
    """A page of StockRows; the query's first column is the sort key, the second the id."""
    found: list[Any] = list(session.execute(query.limit(limit + 1)))
    rows = [StockRow(*row[1:]) for row in found[:limit]]
    last = found[limit - 1] if len(found) > limit else None
    return StockPage(rows, None if last is None else (int(last[0]), int(last[1])))


def low_stock(
    session: Session, *, after: StockKey | None = None, limit: int = DEFAULT_PAGE
) -> StockPage:
    """Products at or below their reorder level, the furthest below first (keyset paged)."""
    shortfall = StockLevel.on_hand - StockLevel.reorder_level
    query = _stock_rows(shortfall).where(StockLevel.reorder_level.is_not(None), shortfall <= 0)
    if after is not None:
        query = query.where(tuple_(shortfall, StockLevel.product_id) > tuple_(*after))
    return _page(session, query.order_by(shortfall, StockLevel.product_id), limit)


def negative_stock(
    session: Session, *, after: StockKey | None = None, limit: int = DEFAULT_PAGE
) -> StockPage:
    """Products whose on hand is below zero (sold more than was booked in), most negative first."""
    query = _stock_rows(StockLevel.on_hand).where(StockLevel.on_hand < 0)
    if after is not None:
        query = query.where(tuple_(StockLevel.on_hand, StockLevel.product_id) > tuple_(*after))
    return _page(session, query.order_by(StockLevel.on_hand, StockLevel.product_id), limit)


def stock_history(
    session: Session, product_id: int, *, before: int | None = None, limit: int = DEFAULT_PAGE
) -> HistoryPage:
    """The product's deltas, newest first, each with the balance after it (keyset paged)."""
    query = select(StockMove).where(StockMove.product_id == product_id)
    newer = select(func.coalesce(func.sum(StockMove.delta), 0)).where(
        StockMove.product_id == product_id
    )
    if before is not None:
        query = query.where(StockMove.id < before)
        newer = newer.where(StockMove.id >= before)
    moves = list(session.scalars(query.order_by(StockMove.id.desc()).limit(limit + 1)))
    balance = on_hand(session, product_id) - (int(session.scalar(newer) or 0) if before else 0)
    rows = []
    for move in moves[:limit]:
        rows.append(
            HistoryRow(move.id, move.created_at, move.delta, move.reason, move.ref, balance)
        )
        balance -= move.delta
    return HistoryPage(rows, moves[limit - 1].id if len(moves) > limit else None)
