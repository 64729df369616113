"""Stock per store: on hand is the sum of the ledger; available online = on hand − reserved −
safety stock (never shown below zero).

The ledger (stock_moves) stays the truth; stock_on_hand holds its sum per store and sku, moved in
the same transaction as each move (add_moves), so reading it does not grow with history.
Concurrent pushes of one store update the rows of the skus they share in sku order, so they wait
for each other instead of deadlocking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from mall.db import upsert
from mall.errors import NotFound
from mall.models import (
    ProductRow,
    ReservationRow,
    StockMoveRow,
    StockOnHandRow,
    StoreProductRow,
    utc_now,
)
from sync.protocol import StockLevel


def on_hand(session: Session, store_id: str, sku: str) -> int | None:
    """The ledger sum, or None when the store's ledger has never seen the sku."""
    return session.scalar(
        select(StockOnHandRow.qty).where(
            StockOnHandRow.store_id == store_id, StockOnHandRow.sku == sku
        )
    )


def add_moves(session: Session, moves: Sequence[dict[str, Any]]) -> None:
    """Append ledger rows (store_id, sku, delta, reason, ref, event_id) and move on hand."""
    if not moves:
        return
    session.execute(insert(StockMoveRow), [{"created_at": utc_now(), **move} for move in moves])
    totals = Counter[tuple[str, str]]()
    for move in moves:
        totals[move["store_id"], move["sku"]] += move["delta"]
    for (store_id, sku), delta in sorted(totals.items()):
        row = upsert(session, StockOnHandRow).values(store_id=store_id, sku=sku, qty=delta)
        session.execute(
            row.on_conflict_do_update(
                index_elements=[StockOnHandRow.store_id, StockOnHandRow.sku],
                set_={"qty": StockOnHandRow.qty + row.excluded.qty},
            )
        )


def on_hand_differences(session: Session) -> list[tuple[str, str, int, int]]:
    """(store, sku, kept, ledger sum) wherever stock_on_hand disagrees with the ledger."""
    ledger = (
        select(StockMoveRow.store_id, StockMoveRow.sku, func.sum(StockMoveRow.delta).label("qty"))
        .group_by(StockMoveRow.store_id, StockMoveRow.sku)
        .subquery()
    )
    kept = select(StockOnHandRow.store_id, StockOnHandRow.sku, StockOnHandRow.qty).subquery()
    rows = session.execute(
        select(
            func.coalesce(kept.c.store_id, ledger.c.store_id),
            func.coalesce(kept.c.sku, ledger.c.sku),
            func.coalesce(kept.c.qty, 0),
            func.coalesce(ledger.c.qty, 0),
        )
        .select_from(
            kept.join(
                ledger,
                (kept.c.store_id == ledger.c.store_id) & (kept.c.sku == ledger.c.sku),
                full=True,
            )
        )
        .where(func.coalesce(kept.c.qty, 0) != func.coalesce(ledger.c.qty, 0))
    ).all()
    return [(str(a), str(b), int(c), int(d)) for a, b, c, d in rows]


def stock_level(session: Session, store_id: str, sku: str) -> StockLevel:
    product_id = session.scalar(
        select(ProductRow.id).where(ProductRow.sku == sku, ProductRow.status != "deleted")
    )
    counted = on_hand(session, store_id, sku)
    if product_id is None and counted is None:
        raise NotFound(f"no product with sku {sku!r}")
    reserved = session.scalar(
        select(func.coalesce(func.sum(ReservationRow.qty), 0)).where(
            ReservationRow.store_id == store_id,
            ReservationRow.sku == sku,
            ReservationRow.status == "active",
        )
    )
    safety = session.scalar(
        select(StoreProductRow.safety_stock).where(
            StoreProductRow.store_id == store_id, StoreProductRow.product_id == product_id
        )
    )
    level = counted or 0
    return StockLevel(
        store_id=store_id,
        sku=sku,
        on_hand=level,
        reserved=reserved or 0,
        safety_stock=safety or 0,
        available=max(0, level - (reserved or 0) - (safety or 0)),
    )


def stock_levels(session: Session, store_id: str, skus: Sequence[str]) -> dict[str, StockLevel]:
    """stock_level of many skus of a product page at once (three queries, whatever the count);
    skus the store has never seen have all zeros."""
    wanted = list(dict.fromkeys(skus))
    if not wanted:
        return {}
    counted: dict[str, int] = {
        sku: qty
        for sku, qty in session.execute(
            select(StockOnHandRow.sku, StockOnHandRow.qty).where(
                StockOnHandRow.store_id == store_id, StockOnHandRow.sku.in_(wanted)
            )
        )
    }
    reserved: dict[str, int] = {
        sku: qty
        for sku, qty in session.execute(
            select(ReservationRow.sku, func.sum(ReservationRow.qty))
            .where(
                ReservationRow.store_id == store_id,
                ReservationRow.sku.in_(wanted),
                ReservationRow.status == "active",
            )
            .group_by(ReservationRow.sku)
        )
    }
    safety: dict[str, int] = {
        sku: qty
        for sku, qty in session.execute(
            select(ProductRow.sku, StoreProductRow.safety_stock)
            .join(StoreProductRow, StoreProductRow.product_id == ProductRow.id)
            .where(StoreProductRow.store_id == store_id, ProductRow.sku.in_(wanted))
        )
    }
    levels = {}
    for sku in wanted:
        level, held, kept = counted.get(sku, 0), reserved.get(sku) or 0, safety.get(sku) or 0
        levels[sku] = StockLevel(
            store_id=store_id,
            sku=sku,
            on_hand=level,
            reserved=held,
            safety_stock=kept,
            available=max(0, level - held - kept),
        )
    return levels


def lock_stock(session: Session, store_id: str, skus: Sequence[str]) -> None:
    """Hold the store's on-hand rows of these skus until the transaction ends (in sku order, so
    two orders wait for each other instead of deadlocking): whoever reserves the last item
    first is the only one who gets it (PostgreSQL row locks; SQLite writers take turns anyway)."""
    session.execute(
        select(StockOnHandRow.sku)
        .where(StockOnHandRow.store_id == store_id, StockOnHandRow.sku.in_(sorted(set(skus))))
        .order_by(StockOnHandRow.sku)
        .with_for_update()
    ).all()


def add_move(session: Session, store_id: str, sku: str, delta: int, reason: str, ref: str) -> None:
    move = {"store_id": store_id, "sku": sku, "delta": delta, "reason": reason, "ref": ref}
    add_moves(session, [move])
