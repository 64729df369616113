"""Catalog administration: stores, products with barcodes, per-store prices; each change is fed.

Products come in as ProductData (the same shape the tills receive). Missing pinyin keys are
computed here, once, so a till bootstrapping a million products does not have to.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from mall.errors import NotFound
from mall.feed import record_changes
from mall.models import BarcodeRow, ProductRow, StoreProductRow, StoreRow, utc_now
from sync.pinyin import pinyin_keys
from sync.protocol import ProductData, ShopId, Strict, Text100, Text200

BATCH = 5000


class NewStore(Strict):
    id: ShopId
    name: Text100
    address: Text200
    lat: Annotated[float, Field(ge=-90, le=90)] | None
    lng: Annotated[float, Field(ge=-180, le=180)] | None
    hours: Text100


def add_store(
    session: Session,
    store_id: str,
    name: str,
    *,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    hours: str = "",
) -> None:
    """Add a store; its id must fit a receipt token (1-15 letters, digits, '-' or '_'), its
    name and address the pages' limits, its position the globe."""
    NewStore.model_validate(
        {"id": store_id, "name": name, "address": address, "lat": lat, "lng": lng, "hours": hours}
    )
    session.add(StoreRow(id=store_id, name=name, address=address, lat=lat, lng=lng, hours=hours))


def _row_values(product: ProductData) -> dict[str, Any]:
    full, initials = (product.pinyin_full, product.pinyin_initials)
    if not full:
        full, initials = pinyin_keys(product.name)
    values = product.model_dump(exclude={"barcodes"})
    values.update(pinyin_full=full, pinyin_initials=initials, updated_at=utc_now())
    return values


def _ids_by_sku(session: Session, skus: Sequence[str]) -> dict[str, int]:
    rows = session.execute(select(ProductRow.sku, ProductRow.id).where(ProductRow.sku.in_(skus)))
    return {sku: product_id for sku, product_id in rows}


def _upsert_batch(session: Session, products: Sequence[ProductData]) -> None:
    skus = [product.sku for product in products]
    existing = _ids_by_sku(session, skus)
    values = [_row_values(product) for product in products]
    new_rows = [row for row in values if row["sku"] not in existing]
    old_rows = [{**row, "_id": existing[row["sku"]]} for row in values if row["sku"] in existing]
    if new_rows:
        session.execute(insert(ProductRow), new_rows)
    if old_rows:
        stmt = update(ProductRow).where(ProductRow.id == bindparam("_id"))
        session.connection().execute(stmt, old_rows)
    ids = _ids_by_sku(session, skus)
    codes = {code: ids[product.sku] for product in products for code in product.barcodes}
    # A code that moves here from another product changes that product too.
    robbed = session.scalars(
        select(ProductRow.sku)
        .join(BarcodeRow, BarcodeRow.product_id == ProductRow.id)
        .where(BarcodeRow.code.in_(list(codes)), ProductRow.id.not_in(list(ids.values())))
    ).all()
    session.execute(
        delete(BarcodeRow).where(
            or_(BarcodeRow.product_id.in_(list(ids.values())), BarcodeRow.code.in_(list(codes)))
        )
    )
    if codes:
        session.execute(
            insert(BarcodeRow), [{"code": c, "product_id": pid} for c, pid in codes.items()]
        )
    record_changes(session, "product", [*skus, *robbed])


def upsert_products(session: Session, products: Iterable[ProductData]) -> int:
    """Add or replace products (with their full barcode lists), in batches; returns the count."""
    count = 0
    batch: list[ProductData] = []
    for product in products:
        batch.append(product)
        if len(batch) == BATCH:
            _upsert_batch(session, batch)
            count += len(batch)
            batch = []
    if batch:
        _upsert_batch(session, batch)
        count += len(batch)
    return count


def _product_id(session: Session, sku: str) -> int:
    product_id = session.scalar(
        select(ProductRow.id).where(ProductRow.sku == sku, ProductRow.status != "deleted")
    )
    if product_id is None:
        raise NotFound(f"no product with sku {sku!r}")
    return product_id


def delete_product(session: Session, sku: str) -> None:
    """Mark the product deleted (the tills get a tombstone) and free its barcodes and PLU."""
    product_id = _product_id(session, sku)
    session.execute(
        update(ProductRow)
        .where(ProductRow.id == product_id)
        .values(status="deleted", plu_code=None, updated_at=utc_now())
    )
    session.execute(delete(BarcodeRow).where(BarcodeRow.product_id == product_id))
    record_changes(session, "product", [sku])


def set_store_price(
    session: Session,
    store_id: str,
    sku: str,
    *,
    price_fen: int | None,
    member_price_fen: int | None = None,
) -> None:
    """Set (or with None, drop) a store's own price for a product."""
    product_id = _product_id(session, sku)
    row = session.get(StoreProductRow, (store_id, product_id))
    if row is None:
        row = StoreProductRow(store_id=store_id, product_id=product_id, safety_stock=0)
        session.add(row)
    row.price_fen, row.member_price_fen = price_fen, member_price_fen
    record_changes(session, "product", [sku], scope=store_id)


def set_safety_stock(session: Session, store_id: str, sku: str, qty: int) -> None:
    product_id = _product_id(session, sku)
    row = session.get(StoreProductRow, (store_id, product_id))
    if row is None:
        session.add(StoreProductRow(store_id=store_id, product_id=product_id, safety_stock=qty))
    else:
        row.safety_stock = qty


def read_csv(path: Path) -> Iterator[ProductData]:
    """Products from a UTF-8 CSV with a header: sku,name,price_fen and optionally
    member_price_fen,unit,category,weighed(0/1),plu_code,barcodes (separated by ';')."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            yield ProductData(
                sku=row["sku"].strip(),
                name=row["name"].strip(),
                price_fen=int(row["price_fen"]),
                member_price_fen=int(row["member_price_fen"])
                if row.get("member_price_fen")
                else None,
                unit=row.get("unit") or "个",
                category=row.get("category") or None,
                weighed=row.get("weighed", "0").strip() in ("1", "true", "yes"),
                plu_code=row.get("plu_code") or None,
                barcodes=[code for code in (row.get("barcodes") or "").split(";") if code],
            )
