"""Mall fixtures: a migrated SQLite mall database, the mall served on a free local port (one per
test module), and freshly paired devices that talk raw HTTP to it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from mall.catalog import add_store, upsert_products
from mall.db import MallDatabase
from mall.devices import new_pairing_code, revoke
from mall.local import LocalMall
from mall.migrate import upgrade
from mall.models import DeviceRow
from sync.protocol import ProductData, payload_hash
from sync.sample import Item, sale_payload
from tests.pg import PG_URL_ENV, fresh_pg_database


def make_mall_db(path: Path) -> MallDatabase:
    """A migrated mall with stores S001, S002 and products 1001 (¥3.50) and 1002 (¥2.00)."""
    url = f"sqlite:///{path}"
    upgrade(url)
    db = MallDatabase(url)
    with db.write() as session:
        add_store(session, "S001", "人民路店")
        add_store(session, "S002", "解放路店")
        upsert_products(
            session,
            [
                ProductData(
                    sku="1001", name="可口可乐 330ml", price_fen=350, barcodes=["6901234567892"]
                ),
                ProductData(sku="1002", name="农夫山泉 550ml", price_fen=200),
            ],
        )
    return db


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped without POS_TEST_PG_URL)."""
    server = os.environ.get(PG_URL_ENV)
    if not server:
        pytest.skip(f"{PG_URL_ENV} is not set (bash scripts/start-postgres.sh prints one)")
    with fresh_pg_database(server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def mall_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty mall database on SQLite, then on a fresh PostgreSQL one (skipped without
    POS_TEST_PG_URL): not migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mall.db'}"
        return
    server = os.environ.get(PG_URL_ENV)
    if not server:
        pytest.skip(f"{PG_URL_ENV} is not set (bash scripts/with-postgres.sh runs it)")
    with fresh_pg_database(server) as url:
        yield url


@pytest.fixture
def mall_db(tmp_path: Path) -> Iterator[MallDatabase]:
    db = make_mall_db(tmp_path / "mall.db")
    yield db
    db.dispose()


@dataclass
class Device:
    """A paired device talking raw HTTP to the mall, for requests a real till would never send."""

    base_url: str
    device_id: str
    secret: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Device {self.device_id}:{self.secret}"}

    def post(self, path: str, **kwargs) -> requests.Response:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return requests.post(f"{self.base_url}/api/v1{path}", headers=headers, timeout=10, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(
            f"{self.base_url}/api/v1{path}", headers=self.auth, timeout=10, **kwargs
        )


def sale_event(seq: int, store_id: str = "S001", qty: int = 1) -> dict:
    payload = sale_payload(
        store_id=store_id,
        till_id="T01",
        till_seq=seq,
        items=[Item("1001", "可口可乐 330ml", qty, 350)],
    )
    return {
        "id": str(uuid.uuid4()),
        "device_seq": seq,
        "kind": "sale",
        "payload": payload,
        "payload_hash": payload_hash(payload),
    }


@dataclass
class ServedMall:
    server: LocalMall
    db: MallDatabase

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def new_device(self, store_id: str = "S001", till_id: str = "T01") -> Device:
        """Pair a device as this till, unpairing the one before it (one device per till)."""
        with self.db.write() as session:
            for old in session.scalars(
                select(DeviceRow.id).where(
                    DeviceRow.store_id == store_id,
                    DeviceRow.till_id == till_id,
                    DeviceRow.revoked_at.is_(None),
                )
            ).all():
                revoke(session, old)
            code = new_pairing_code(session, store_id, ttl_s=60)
        answer = requests.post(
            f"{self.base_url}/api/v1/pair", json={"code": code, "till_id": till_id}, timeout=10
        )
        answer.raise_for_status()
        body = answer.json()
        return Device(self.base_url, body["device_id"], body["device_secret"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedMall]:
    """The mall on a free port with small body limits (256 KiB sent, 1 MiB inflated)."""
    db = make_mall_db(tmp_path_factory.mktemp("mall") / "mall.db")
    server = LocalMall.for_database(
        db.url, max_body_bytes=256 * 1024, max_inflated_bytes=1024 * 1024
    ).start()
    yield ServedMall(server, db)
    server.stop()
    db.dispose()


@pytest.fixture
def device(served: ServedMall) -> Device:
    """A new device of store S001, so every test starts at device_seq 1."""
    return served.new_device()
