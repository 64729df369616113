"""Two tills of one store against one mall: each set up with its own number (`pos setup`),
paired with the same store, both selling while the mall cannot be reached, then syncing. The
mall must have every sale once, under two distinct till numbers, and nothing in conflict."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from mall.catalog import upsert_products
from mall.models import ConflictRow, SaleRow
from pos_app.cli import main
from pos_app.domain.gtin import make_ean13
from sync.protocol import ProductData
from tests.sync.conftest import Mall
from tests.sync.faultproxy import FaultProxy

COLA = make_ean13("690123456789")
SALES_PER_TILL = 3


def set_up(folder: Path, number: int, proxy: FaultProxy, mall: Mall) -> list[str]:
    till = ["--db", str(folder / "till.db")]
    manager = ["--manager", "2001", "--pin", "9999"]
    assert main([*till, "setup", "--store-name", "人民路店", "--till", str(number), *manager]) == 0
    assert main([*till, "pair", proxy.base_url, mall.pair_code("S001")]) == 0
    assert main([*till, "sync", "--once"]) == 0  # the catalog
    return till


def sell(till: list[str]) -> None:
    assert main([*till, "sale", "--cashier", "2001", "--scan", COLA, "--pay", "cash:500"]) == 0


def test_two_tills_of_one_store_sell_offline_and_every_sale_reaches_the_mall_once(
    mall: Mall, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with mall.db.write() as session:
        upsert_products(
            session, [ProductData(sku="1001", name="可口可乐", price_fen=350, barcodes=[COLA])]
        )
    proxy = FaultProxy(int(mall.base_url.rsplit(":", 1)[1]), [])
    try:
        first = set_up(tmp_path / "till-1", 1, proxy, mall)
        second = set_up(tmp_path / "till-2", 2, proxy, mall)
        proxy.faults.extend(["drop_before"] * 1000)  # the shop's internet is down
        for _ in range(SALES_PER_TILL):
            sell(first)
            sell(second)
        assert main([*first, "sync", "--once"]) != 0
        proxy.faults.clear()  # back online
        assert main([*first, "sync", "--once"]) == 0
        assert main([*second, "sync", "--once"]) == 0
        assert main([*second, "sync", "--once"]) == 0  # a second round sends nothing again
    finally:
        proxy.close()
    out = capsys.readouterr().out
    assert "sale T01-000001" in out and "sale T02-000001" in out
    with mall.db.read() as session:
        rows = session.execute(
            select(SaleRow.sale_no, SaleRow.till_id).where(SaleRow.store_id == "S001")
        ).all()
        conflicts = list(session.scalars(select(ConflictRow.reason)))
    assert conflicts == []
    sale_nos = sorted(no for no, _ in rows)
    assert sale_nos == sorted(
        f"T0{till}-{n:06d}" for till in (1, 2) for n in range(1, SALES_PER_TILL + 1)
    )
    assert {till for _, till in rows} == {"T01", "T02"}
