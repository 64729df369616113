"""Products as one store sells them: chain data, its barcodes and the store's price override.

Used by the change feed (a page of skus) and by the snapshot (chunks in id order); both build
plain dicts in ProductData's shape, so the snapshot can stream a million without pydantic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mall.models import BarcodeRow, ProductRow, StoreProductRow
from sync.protocol import ProductData

IdFilter = Callable[[InstrumentedAttribute[int]], ColumnElement[bool]]

_COLUMNS = (
    ProductRow.id,
    ProductRow.sku,
    ProductRow.name,
    ProductRow.pinyin_full,
    ProductRow.pinyin_initials,
    ProductRow.unit,
    ProductRow.price_fen,
    ProductRow.member_price_fen,
    ProductRow.tax_rate_bp,
    ProductRow.category,
    ProductRow.weighed,
    ProductRow.plu_code,
    ProductRow.status,
)


_KEYS = tuple(column.key for column in _COLUMNS[1:])  # ProductData's names, after the id


def _as_dicts(
    session: Session, store_id: str, rows: Sequence[Any], id_filter: IdFilter
) -> list[dict[str, Any]]:
    connection = session.connection()  # Core rows: no ORM loading per row
    barcodes: defaultdict[int, list[str]] = defaultdict(list)
    for code, product_id in connection.execute(
        select(BarcodeRow.code, BarcodeRow.product_id).where(id_filter(BarcodeRow.product_id))
    ):
        barcodes[product_id].append(code)
    overrides = {
        product_id: (price, member_price)
        for product_id, price, member_price in connection.execute(
            select(
                StoreProductRow.product_id,
                StoreProductRow.price_fen,
                StoreProductRow.member_price_fen,
            ).where(StoreProductRow.store_id == store_id, id_filter(StoreProductRow.product_id))
        )
    }
    result = []
    for row in rows:
        product_id = row[0]
        data = dict(zip(_KEYS, row[1:], strict=True))
        price, member_price = overrides.get(product_id, (None, None))
        if price is not None:
            data["price_fen"] = price
        if member_price is not None:
            data["member_price_fen"] = member_price
        data["barcodes"] = sorted(barcodes.get(product_id, ()))
        result.append(data)
    return result


def products_by_sku(
    session: Session, store_id: str, skus: Sequence[str]
) -> dict[str, ProductData | None]:
    """The current data of each sku for store_id; None (a tombstone) if deleted or unknown."""
    found: dict[str, ProductData | None] = dict.fromkeys(skus)
    if not skus:
        return found
    rows = session.execute(
        select(*_COLUMNS).where(ProductRow.sku.in_(skus), ProductRow.status != "deleted")
    ).all()
    ids = [row.id for row in rows]
    for data in _as_dicts(session, store_id, rows, lambda column: column.in_(ids)):
        found[data["sku"]] = ProductData.model_validate(data)
    return found


def product_chunk(
    session: Session, store_id: str, after_id: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """Up to limit live products with id > after_id in id order, and the last id seen."""
    rows = (
        session.connection()
        .execute(
            select(*_COLUMNS)
            .where(ProductRow.id > after_id, ProductRow.status != "deleted")
            .order_by(ProductRow.id)
            .limit(limit)
        )
        .all()
    )
    if not rows:
        return after_id, []
    first, last = rows[0].id, rows[-1].id
    return last, _as_dicts(session, store_id, rows, lambda column: column.between(first, last))
