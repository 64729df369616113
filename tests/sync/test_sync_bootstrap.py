"""First start: the catalog comes down as one streamed snapshot, and a cut download starts over."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mall.catalog import upsert_products
from mall.demo import demo_products
from mall.feed import head_seq
from pos_app.services.search import search_products
from pos_app.store.models import Barcode, Product
from sync.client import MallClient
from sync.credentials import load_credentials
from sync.engine import SyncEngine
from sync.errors import SyncOffline
from sync.protocol import ProductData
from sync.state import CURSOR, get_state
from tests.sync.conftest import Mall
from tests.sync.faultproxy import FaultProxy

SKUS = 1200


def counts(till) -> tuple[int, int, int | None]:
    with till.db.read() as session:
        products = session.scalar(select(func.count()).select_from(Product))
        barcodes = session.scalar(select(func.count()).select_from(Barcode))
        return products, barcodes, get_state(session, CURSOR)


def test_a_snapshot_streamed_in_chunks_loads_every_product_and_sets_the_cursor(
    mall: Mall, make_till
):
    """1,200 products (plus the 3 of the fixture) arrive with barcodes and pinyin, cursor last."""
    with mall.db.write() as session:
        upsert_products(session, demo_products(SKUS))
    till = make_till()
    engine = till.pair(mall)
    engine.snapshot_batch = 500
    assert engine.bootstrap() == SKUS + 3
    with mall.db.read() as session:
        head = head_seq(session)
    assert counts(till) == (SKUS + 3, SKUS + 3, head)
    with till.db.read() as session:
        first = session.scalar(select(Product).where(Product.sku == "100000"))
        assert (first.name, first.pinyin_initials) == ("康师傅红烧牛肉面 330ml", "ksfhsnrm330ml")
        assert "100000" in {hit.sku for hit in search_products(session, "红烧牛肉面", limit=500)}
    with mall.db.write() as session:
        upsert_products(session, [ProductData(sku="X1", name="麻辣香锅调料", price_fen=990)])
    assert engine.pull() == 1
    with till.db.read() as session:  # the search index follows changes again after the load
        assert [hit.sku for hit in search_products(session, "香锅调料")] == ["X1"]


def test_a_snapshot_cut_off_in_the_middle_is_not_counted_and_the_next_start_completes_it(
    mall: Mall, make_till
):
    """Half a download leaves no cursor; the next round loads it all again, idempotently."""
    with mall.db.write() as session:
        upsert_products(session, demo_products(SKUS))
    till = make_till()
    till.pair(mall)
    credentials = load_credentials(till.data_dir)
    proxy = FaultProxy(mall.server.port, ["truncate"])
    client = MallClient(
        proxy.base_url,
        device_id=credentials.device_id,
        device_secret=credentials.device_secret,
        retries=0,
    )
    engine = SyncEngine(till.db, client, snapshot_batch=100)
    with pytest.raises(SyncOffline):
        engine.bootstrap()
    products, _, cursor = counts(till)
    assert cursor is None and products < SKUS + 3
    engine.run_once()
    assert counts(till)[:2] == (SKUS + 3, SKUS + 3)
    proxy.close()
