"""Helpers for the catalog tests: an empty migrated till database and products with pinyin."""

from __future__ import annotations

from pathlib import Path

from pos_app.domain.gtin import make_ean13
from pos_app.services.pinyin import pinyin_keys
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Barcode, Product


def empty_till_db(tmp_path: Path) -> Database:
    """A real SQLite file at the newest schema with no products."""
    path = tmp_path / "till.db"
    upgrade(path)
    return Database(path)


def add_product(
    db: Database,
    sku: str,
    name: str,
    *,
    price_fen: int = 100,
    barcode_body: str | None = None,
    plu_code: str | None = None,
    status: str = "active",
) -> int:
    """Insert one product (pinyin keys filled in as every writer must) and return its id."""
    full, initials = pinyin_keys(name)
    product = Product(
        sku=sku,
        name=name,
        pinyin_full=full,
        pinyin_initials=initials,
        price_fen=price_fen,
        weighed=plu_code is not None,
        unit="kg" if plu_code else "个",
        plu_code=plu_code,
        status=status,
    )
    if barcode_body is not None:
        product.barcodes.append(Barcode(code=make_ean13(barcode_body)))
    with db.write() as session:
        session.add(product)
        session.flush()
        return product.id
