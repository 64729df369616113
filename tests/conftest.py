"""Shared fixtures: a real, migrated SQLite till database with a small catalog and an open shift."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_app.domain.barcodes import make_ean13
from pos_app.services.auth import hash_pin
from pos_app.services.pinyin import pinyin_keys
from pos_app.services.shift import open_shift
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Barcode, Product, Staff, Store, Till

CASHIER_ID, MANAGER_ID = 1, 2
CASHIER_PIN, MANAGER_PIN = "1234", "9999"

# sku, name, price_fen, member_price_fen, weighed, plu, barcode body (12 digits)
SMALL_CATALOG = [
    ("1001", "可口可乐 330ml", 350, 300, False, None, "690123456789"),
    ("1002", "农夫山泉 550ml", 200, None, False, None, "690987654321"),
    ("1003", "康师傅红烧牛肉面", 450, 400, False, None, "692000000001"),
    ("2001", "散装苹果", 1290, None, True, "00042", None),
]


def barcode_of(sku: str) -> str:
    body = next(row[6] for row in SMALL_CATALOG if row[0] == sku)
    return make_ean13(body)


def seed_small_till(db: Database) -> None:
    with db.write() as session:
        session.add(Store(id="S001", name="门店通测试店"))
        session.add(Till(id="T01", store_id="S001", name="一号收银台"))
        session.add(
            Staff(
                id=CASHIER_ID,
                code="1001",
                name="张三",
                role="cashier",
                pin_hash=hash_pin(CASHIER_PIN),
            )
        )
        session.add(
            Staff(
                id=MANAGER_ID,
                code="2001",
                name="李经理",
                role="manager",
                pin_hash=hash_pin(MANAGER_PIN),
            )
        )
        for sku, name, price, member_price, weighed, plu, body in SMALL_CATALOG:
            full, initials = pinyin_keys(name)
            product = Product(
                sku=sku,
                name=name,
                pinyin_full=full,
                pinyin_initials=initials,
                unit="kg" if weighed else "个",
                price_fen=price,
                member_price_fen=member_price,
                weighed=weighed,
                plu_code=plu,
            )
            if body:
                product.barcodes.append(Barcode(code=make_ean13(body)))
            session.add(product)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated till database with the small catalog, staff and an open shift."""
    path = tmp_path / "till.db"
    upgrade(path)
    database = Database(path)
    seed_small_till(database)
    open_shift(database, staff_id=CASHIER_ID, float_fen=50000)
    yield database
    database.dispose()
