"""Sync fixtures: the real mall served by uvicorn on 127.0.0.1 (SQLite, and PostgreSQL when
POS_TEST_PG_URL is set), and real till databases whose outbox is filled like checkout fills it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.devices import new_pairing_code
from mall.local import LocalMall
from mall.models import SaleRow, StockMoveRow
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Store, Till
from pos_app.store.outbox import append_event
from sync.credentials import pair
from sync.engine import SyncEngine, engine_for
from sync.protocol import ProductData
from sync.sample import Item, sale_payload
from tests.pg import PG_URL_ENV, fresh_pg_database

COLA = Item("1001", "可口可乐 330ml", 1, 350)
WATER = Item("1002", "农夫山泉 550ml", 1, 200)
NOODLES = Item("1003", "康师傅红烧牛肉面", 1, 450)


def catalog() -> list[ProductData]:
    return [
        ProductData(
            sku=item.sku,
            name=item.name,
            price_fen=item.unit_price_fen,
            barcodes=[f"69000000{item.sku}"],
        )
        for item in (COLA, WATER, NOODLES)
    ]


@pytest.fixture(scope="session")
def pg_server_url() -> str | None:
    return os.environ.get(PG_URL_ENV)


@pytest.fixture(params=["sqlite", "postgresql"])
def mall_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_server_url: str | None
) -> Iterator[str]:
    """A fresh, empty mall database URL: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mall.db'}"
        return
    if not pg_server_url:
        pytest.skip(f"{PG_URL_ENV} is not set (bash scripts/start-postgres.sh prints one)")
    with fresh_pg_database(pg_server_url) as url:
        yield url


@dataclass
class Mall:
    """The running mall and a direct line to its database for setting up and checking."""

    server: LocalMall
    db: MallDatabase

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def pair_code(self, store_id: str = "S001") -> str:
        with self.db.write() as session:
            return new_pairing_code(session, store_id, ttl_s=600)

    def sales(self, store_id: str) -> tuple[int, int]:
        """How many sales and refunds the store has, and their total in fen."""
        with self.db.read() as session:
            count, total = session.execute(
                select(func.count(), func.coalesce(func.sum(SaleRow.total_fen), 0)).where(
                    SaleRow.store_id == store_id
                )
            ).one()
        return count, total

    def stock(self, store_id: str, sku: str) -> int:
        with self.db.read() as session:
            return session.scalar(
                select(func.coalesce(func.sum(StockMoveRow.delta), 0)).where(
                    StockMoveRow.store_id == store_id, StockMoveRow.sku == sku
                )
            )


def open_mall(url: str, **limits: int) -> Iterator[Mall]:
    server = LocalMall.for_database(url, **limits).start()
    db = MallDatabase(url)
    with db.write() as session:
        add_store(session, "S001", "人民路店")
        add_store(session, "S002", "解放路店")
        upsert_products(session, catalog())
    try:
        yield Mall(server, db)
    finally:
        server.stop()
        db.dispose()


@pytest.fixture
def mall(mall_url: str) -> Iterator[Mall]:
    """The mall on a free port with stores S001 and S002 and three products."""
    yield from open_mall(mall_url)


@dataclass
class TillUnderTest:
    """A till's real database and data dir; sales go into its outbox as checkout writes them."""

    db: Database
    data_dir: Path
    store_id: str
    till_id: str
    sold: int = 0

    def sell(self, *items: Item, count: int = 1) -> None:
        """Record `count` sales of the items (one transaction), each as one outbox event."""
        with self.db.write() as session:
            for _ in range(count):
                self.sold += 1
                payload = sale_payload(
                    store_id=self.store_id, till_id=self.till_id, till_seq=self.sold, items=items
                )
                append_event(session, "sale", payload)

    def pair(self, mall: Mall) -> SyncEngine:
        pair(mall.base_url, mall.pair_code(self.store_id), self.data_dir, till_id=self.till_id)
        return self.engine()

    def engine(self, **options: int) -> SyncEngine:
        engine = engine_for(self.db, self.data_dir)
        for name, value in options.items():
            setattr(engine, name, value)
        return engine


@pytest.fixture
def make_till(tmp_path: Path) -> Iterator[Callable[..., TillUnderTest]]:
    tills: list[TillUnderTest] = []

    def make(store_id: str = "S001", till_id: str = "T01", name: str = "") -> TillUnderTest:
        """A till database of its own (name tells apart two tills of one number)."""
        data_dir = tmp_path / f"till-{store_id}-{till_id}{name}"
        upgrade(data_dir / "till.db")
        db = Database(data_dir / "till.db")
        with db.write() as session:
            session.add(Store(id=store_id, name="测试店"))
            session.add(Till(id=till_id, store_id=store_id, name=till_id))
        till = TillUnderTest(db, data_dir, store_id, till_id)
        tills.append(till)
        return till

    yield make
    for till in tills:
        till.db.dispose()
