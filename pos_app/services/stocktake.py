"""Stocktake (盘点), shelf by shelf: each count is recorded as "counted N as of cursor X", where X
is the newest stock move id at that moment. Its variance is N − (on hand as of X); moves after X
(the shop kept selling while counting) are neither shrinkage nor lost when posting: after
posting, on hand = N + the moves since X. Posting writes exactly the variances the report shows,
as "count" deltas with outbox events, in one transaction with a journal entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.services.errors import ServiceError
from pos_app.services.permissions import require_manager
from pos_app.services.stock import find_product, ledger_cursor, post_delta, stock_value_fen
from pos_app.services.till import till_identity
from pos_app.store.backoffice_models import StockLevel, Stocktake, StocktakeCount
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.models import Product, StockMove, utc_now

MAX_COUNT = 10_000_000  # units, or grams


class StocktakeError(ServiceError):
    pass


@dataclass(frozen=True)
class StocktakeInfo:
    stocktake_id: int
    doc_no: str
    counts: int


@dataclass(frozen=True)
class CountRecorded:
    product_id: int
    name: str
    counted_qty: int
    cursor: int


@dataclass(frozen=True)
class VarianceLine:
    """One counted product. Quantities are units, or grams for weighed goods."""

    product_id: int
    sku: str
    name: str
    unit: str
    weighed: bool
    shelf: str
    counted: int
    cursor: int
    on_hand_at_count: int
    moved_since: int  # deltas after the count (sales while counting): kept as they are
    variance: int  # counted − on hand at count: the delta posting writes
    variance_cost_fen: int | None  # variance at the product's cost; None when cost is unknown

    @property
    def on_hand_after(self) -> int:
        return self.counted + self.moved_since


@dataclass(frozen=True)
class PostedStocktake:
    doc_no: str
    lines: list[VarianceLine]

    @property
    def adjustments(self) -> list[VarianceLine]:
        return [line for line in self.lines if line.variance]


def _open(session: Session, stocktake_id: int) -> Stocktake:
    stocktake = session.get(Stocktake, stocktake_id)
    if stocktake is None or stocktake.status != "open":
        raise StocktakeError(
            f"Stocktake {stocktake_id} is not open any more.",
            code="stocktake_closed",
            id=stocktake_id,
        )
    return stocktake


def _info(session: Session, stocktake: Stocktake) -> StocktakeInfo:
    query = select(func.count()).where(StocktakeCount.stocktake_id == stocktake.id)
    return StocktakeInfo(stocktake.id, stocktake.doc_no, int(session.scalar(query) or 0))


def current_stocktake(session: Session) -> StocktakeInfo | None:
    """The stocktake being counted, if any (there is at most one at a time)."""
    stocktake = session.scalar(select(Stocktake).where(Stocktake.status == "open"))
    return None if stocktake is None else _info(session, stocktake)


def open_stocktake(db: Database, *, actor_id: int, note: str = "") -> StocktakeInfo:
    """Start a stocktake; refused while another one is open."""
    with db.write() as session:
        require_manager(session, actor_id)
        if current_stocktake(session) is not None:
            raise StocktakeError(
                "A stocktake is already open: post or cancel it first.", code="stocktake_open"
            )
        number = (session.scalar(select(func.max(Stocktake.id))) or 0) + 1
        stocktake = Stocktake(
            doc_no=f"PD{number:06d}",
            status="open",
            note=note,
            opened_by=actor_id,
            opened_at=utc_now(),
        )
        session.add(stocktake)
        session.flush()
        return _info(session, stocktake)


def record_count(
    db: Database, *, stocktake_id: int, code: str, counted_qty: int, actor_id: int, shelf: str = ""
) -> CountRecorded:
    """Record "counted N as of now" for the product of code; counting it again replaces it."""
    if not 0 <= counted_qty <= MAX_COUNT:
        raise StocktakeError(
            f"A count must be between 0 and {MAX_COUNT}, not {counted_qty}.",
            code="stocktake_count",
            most=MAX_COUNT,
            qty=counted_qty,
        )
    with db.write() as session:
        require_manager(session, actor_id)
        _open(session, stocktake_id)
        found = find_product(session, code)
        cursor = ledger_cursor(session)
        count = session.scalar(
            select(StocktakeCount).where(
                StocktakeCount.stocktake_id == stocktake_id,
                StocktakeCount.product_id == found.product_id,
            )
        )
        if count is None:
            count = StocktakeCount(stocktake_id=stocktake_id, product_id=found.product_id)
            session.add(count)
        count.counted_qty, count.cursor, count.shelf = counted_qty, cursor, shelf
        count.counted_by, count.counted_at = actor_id, utc_now()
        return CountRecorded(found.product_id, found.info.name, counted_qty, count.cursor)


def variance_report(session: Session, stocktake_id: int) -> list[VarianceLine]:
    """Every count of the stocktake with its variance, by shelf and SKU."""
    moved_since = (
        select(func.coalesce(func.sum(StockMove.delta), 0))
        .where(
            StockMove.product_id == StocktakeCount.product_id,
            StockMove.id > StocktakeCount.cursor,
        )
        .correlate(StocktakeCount)
        .scalar_subquery()
    )
    query = (
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.unit,
            Product.weighed,
            Product.cost_fen,
            StocktakeCount.shelf,
            StocktakeCount.counted_qty,
            StocktakeCount.cursor,
            func.coalesce(StockLevel.on_hand, 0),
            moved_since,
        )
        .join(Product, Product.id == StocktakeCount.product_id)
        .outerjoin(StockLevel, StockLevel.product_id == StocktakeCount.product_id)
        .where(StocktakeCount.stocktake_id == stocktake_id)
        .order_by(StocktakeCount.shelf, Product.sku)
    )
    return [_variance_line(*row) for row in session.execute(query)]


def _variance_line(
    product_id: int,
    sku: str,
    name: str,
    unit: str,
    weighed: bool,
    cost_fen: int | None,
    shelf: str,
    counted: int,
    cursor: int,
    on_hand_now: int,
    moved_since: int,
) -> VarianceLine:
    at_count = on_hand_now - moved_since
    variance = counted - at_count
    return VarianceLine(
        product_id,
        sku,
        name,
        unit,
        weighed,
        shelf,
        counted,
        cursor,
        at_count,
        moved_since,
        variance,
        None
        if cost_fen is None
        else stock_value_fen(weighed=weighed, qty=variance, cost_fen=cost_fen),
    )


def _close(session: Session, stocktake: Stocktake, status: str, actor_id: int) -> None:
    stocktake.status, stocktake.closed_by, stocktake.closed_at = status, actor_id, utc_now()


def post_stocktake(db: Database, *, stocktake_id: int, actor_id: int) -> PostedStocktake:
    """Write each non-zero variance as a "count" delta; the stocktake is then closed."""
    with db.write() as session:
        require_manager(session, actor_id)
        stocktake = _open(session, stocktake_id)
        lines = variance_report(session, stocktake_id)
        for line in lines:
            if line.variance:
                product = session.get(Product, line.product_id)
                assert product is not None
                post_delta(session, product, line.variance, reason="count", ref=stocktake.doc_no)
        _close(session, stocktake, "posted", actor_id)
        posted = PostedStocktake(stocktake.doc_no, lines)
        known_costs = [line.variance_cost_fen or 0 for line in posted.adjustments]
        append_journal(
            session,
            till_id=till_identity(session).till_id,
            kind="stocktake",
            actor_id=actor_id,
            payload={
                "doc_no": stocktake.doc_no,
                "counted": len(lines),
                "adjusted": len(posted.adjustments),
                "variance_cost_fen": sum(known_costs),
            },
        )
        return posted


def cancel_stocktake(db: Database, *, stocktake_id: int, actor_id: int) -> None:
    """Close the stocktake without touching stock; its counts are kept for the record."""
    with db.write() as session:
        require_manager(session, actor_id)
        _close(session, _open(session, stocktake_id), "cancelled", actor_id)
