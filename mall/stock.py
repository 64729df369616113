"""Stock per store: on hand is the sum of the ledger; available online = on hand − reserved −
safety stock (never shown below zero)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.errors import NotFound
from mall.models import ProductRow, ReservationRow, StockMoveRow, StoreProductRow
from sync.protocol import StockLevel


def on_hand(session: Session, store_id: str, sku: str) -> int | None:
    """The ledger sum, or None when the store's ledger has never seen the sku."""
    return session.scalar(
        select(func.sum(StockMoveRow.delta)).where(
            StockMoveRow.store_id == store_id, StockMoveRow.sku == sku
        )
    )


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


def add_move(session: Session, store_id: str, sku: str, delta: int, reason: str, ref: str) -> None:
    session.add(StockMoveRow(store_id=store_id, sku=sku, delta=delta, reason=reason, ref=ref))
