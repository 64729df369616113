"""Migration 0004 on a mall made before it: a till number paired twice keeps its newest device
and the older pairing is revoked; two real sales with one sale number stop the upgrade with a
message that names them. SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from mall.migrate import alembic_config
from tests.pg import PG_URL_ENV, fresh_pg_database

DEVICE = text(
    "INSERT INTO devices (id, store_id, till_id, name, secret_sha256, last_seq, created_at)"
    " VALUES (:id, 'S001', :till, '', 'x', 0, :at)"
)
SALE = text(
    "INSERT INTO sales (id, store_id, till_id, device_id, source, kind, sale_no, till_seq,"
    " created_at, cashier, subtotal_fen, discount_fen, rounding_fen, total_fen, points_earned)"
    " VALUES (:id, 'S001', 'T01', :device, 'till', 'sale', :no, 1, :at, '', 100, 0, 0, 100, 0)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def mall_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty mall database at schema 0003 with store S001."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'mall.db'}"
        yield from _at_0003(url)
        return
    server = os.environ.get(PG_URL_ENV)
    if not server:
        pytest.skip(f"{PG_URL_ENV} is not set")
    with fresh_pg_database(server) as url:
        yield from _at_0003(url)


def _at_0003(url: str) -> Iterator[str]:
    command.upgrade(alembic_config(url), "0003")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO stores (id, name, address, hours, created_at)"
                " VALUES ('S001', '一号店', '', '', :at)"
            ),
            {"at": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    engine.dispose()
    yield url


def run(url: str, statement: text, **values: object) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(statement, values)
    engine.dispose()


def active_devices(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT till_id, id FROM devices WHERE revoked_at IS NULL ORDER BY till_id")
        ).all()
    engine.dispose()
    return [(till, device) for till, device in rows]


def test_a_till_paired_twice_keeps_its_newest_device(mall_url: str) -> None:
    run(mall_url, DEVICE, id="old", till="T01", at=datetime(2026, 3, 1, tzinfo=UTC))
    run(mall_url, DEVICE, id="new", till="T01", at=datetime(2026, 6, 1, tzinfo=UTC))
    run(mall_url, DEVICE, id="other", till="T02", at=datetime(2026, 3, 1, tzinfo=UTC))
    command.upgrade(alembic_config(mall_url), "head")
    assert active_devices(mall_url) == [("T01", "new"), ("T02", "other")]


def test_two_sales_with_one_number_stop_the_upgrade_and_are_named(mall_url: str) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    run(mall_url, DEVICE, id="old", till="T01", at=at)
    run(mall_url, SALE, id="sale-a", device="old", no="T01-000001", at=at)
    run(mall_url, SALE, id="sale-b", device="old", no="T1-1", at=at)  # an older numbering
    with pytest.raises(RuntimeError, match="S001/T01#1"):
        command.upgrade(alembic_config(mall_url), "head")
