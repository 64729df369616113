"""Shared fixtures: a real, migrated SQLite till database with a small catalog and an open shift."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_app.domain.gtin import make_ean13
from pos_app.services.auth import hash_pin
from pos_app.services.pinyin import pinyin_keys
from pos_app.services.shift import open_shift
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Barcode, Product, Staff, Store, Till
from pos_app.store.settings import set_setting
from pos_app.ui.gui_thread_gc import collect_due_generation

WAIT_LIMIT_MS = 20_000
"""How long qtbot waits for a condition, a signal or a window unless a test says otherwise.
pytest-qt's 5 s is a limit on waiting, not a speed budget, and CI's loaded two-core machine
exceeded it: a background journal write queued behind other processes' disk work kept a window's
operation runner busy past 5 s (test_zhe_discount's teardown). Passing tests still return as soon
as their condition holds; only a failure takes longer to report."""
for _wait in (
    QtBot.waitUntil,
    QtBot.waitSignal,
    QtBot.waitSignals,
    QtBot.waitExposed,
    QtBot.waitActive,
    QtBot.waitCallback,
):
    _wait.__kwdefaults__["timeout"] = WAIT_LIMIT_MS

CASHIER_ID, MANAGER_ID, SUPERVISOR_ID = 1, 2, 3
CASHIER_PIN, MANAGER_PIN, SUPERVISOR_PIN = "1234", "9999", "5678"
SUPERVISOR_CODE = "3001"


@cache
def pin_hash(pin: str) -> str:
    """Argon2id is slow on purpose: each test PIN is hashed once per test process."""
    return hash_pin(pin)


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


def seed_small_till(db: Database, till_id: str = "T01") -> None:
    with db.write() as session:
        session.add(Store(id="S001", name="门店通测试店"))
        session.add(Till(id=till_id, store_id="S001", name=f"{till_id} 收银台"))
        if till_id != "T01":
            set_setting(session, "till_id", till_id)
        session.add(
            Staff(
                id=CASHIER_ID,
                code="1001",
                name="张三",
                role="cashier",
                pin_hash=pin_hash(CASHIER_PIN),
            )
        )
        session.add(
            Staff(
                id=MANAGER_ID,
                code="2001",
                name="李经理",
                role="manager",
                pin_hash=pin_hash(MANAGER_PIN),
            )
        )
        session.add(
            Staff(
                id=SUPERVISOR_ID,
                code=SUPERVISOR_CODE,
                name="王主管",
                role="supervisor",
                pin_hash=pin_hash(SUPERVISOR_PIN),
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


def small_till(path: Path, till_id: str = "T01") -> Database:
    """A migrated till database at path with the small catalog, staff and an open shift."""
    upgrade(path)
    database = Database(path)
    seed_small_till(database, till_id)
    open_shift(database, staff_id=CASHIER_ID, float_fen=50000)
    return database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated till database with the small catalog, staff and an open shift."""
    database = small_till(tmp_path / "till.db")
    yield database
    database.dispose()


gc.disable()


@pytest.fixture(autouse=True)
def collect_garbage_on_the_main_thread() -> Iterator[None]:
    """Qt objects must be destroyed on the GUI thread; a cycle holding one, collected by chance
    on the in-process mall's server thread, crashed test processes (segmentation fault in the
    collector). As in the till (pos_app/ui/gui_thread_gc.py) the automatic collector is off and
    the main thread collects what is due, here after each test."""
    yield
    collect_due_generation()
