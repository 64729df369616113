"""Pull: the mall's catalog, prices and pickup orders reach the till, page by page."""

from __future__ import annotations

from sqlalchemy import select

from mall.catalog import delete_product, set_store_price, upsert_products
from mall.orders import create_order
from mall.stock import add_move
from pos_app.store.models import Barcode, Product, StockMove
from sync.local_reads import find_open_order, online_orders
from sync.protocol import ProductData
from sync.state import get_state
from sync.status import CURSOR
from tests.sync.conftest import COLA, NOODLES, WATER, Mall


def till_product(till, sku: str) -> tuple[str, int, str, list[str]]:
    with till.db.read() as session:
        product = session.scalar(select(Product).where(Product.sku == sku))
        codes = sorted(
            session.scalars(select(Barcode.code).where(Barcode.product_id == product.id))
        )
        return product.name, product.price_fen, product.status, codes


def test_first_start_loads_the_catalog_and_later_changes_arrive_in_small_pages(
    mall: Mall, make_till
):
    """New products, a store price, a moved barcode and a deletion all reach the till."""
    till = make_till()
    engine = till.pair(mall)
    engine.run_once()
    assert till_product(till, COLA.sku) == (COLA.name, 350, "active", ["690000001001"])
    with mall.db.write() as session:
        upsert_products(
            session,
            [ProductData(sku=f"2{n:03d}", name=f"新品{n}号", price_fen=100 + n) for n in range(25)],
        )
        set_store_price(session, "S001", COLA.sku, price_fen=300)
        set_store_price(session, "S002", WATER.sku, price_fen=1)
        upsert_products(
            session,
            [ProductData(sku=WATER.sku, name=WATER.name, price_fen=210, barcodes=["690000001001"])],
        )
        delete_product(session, NOODLES.sku)
    engine.page_size = 4
    assert engine.pull() >= 28
    assert till_product(till, COLA.sku) == (COLA.name, 300, "active", [])
    assert till_product(till, WATER.sku) == (WATER.name, 210, "active", ["690000001001"])
    assert till_product(till, NOODLES.sku)[2:] == ("deleted", [])
    assert till_product(till, "2024")[:2] == ("新品24号", 124)
    with till.db.read() as session:
        new = session.scalar(select(Product).where(Product.sku == "2024"))
        assert (new.pinyin_full, new.pinyin_initials) == ("xinpin24hao", "xp24h")
        cursor = get_state(session, CURSOR)
    assert engine.pull() == 0
    with till.db.read() as session:
        assert get_state(session, CURSOR) == cursor


def test_a_pickup_order_appears_at_its_store_only_and_hand_over_completes_it(mall: Mall, make_till):
    """The order shows on the store's till, the scanned code finds it, hand-over sells it."""
    with mall.db.write() as session:
        add_move(session, "S001", COLA.sku, 10, "receive", "")
        order, code = create_order(session, "S001", [(COLA.sku, 2)], customer_phone="13800001234")
    here, there = make_till("S001", "T01"), make_till("S002", "T09")
    engine, other = here.pair(mall), there.pair(mall)
    engine.run_once()
    other.run_once()
    assert [o.order_no for o in online_orders(engine.db)] == [order.order_no]
    assert online_orders(other.db) == []
    assert engine.status().open_orders == 1
    assert find_open_order(engine.db, "00000000" if code != "00000000" else "11111111") is None
    found = find_open_order(engine.db, code)
    assert found is not None and found.customer_phone_tail == "1234"
    assert engine.client.stock(COLA.sku).available == 8
    done = engine.hand_over(str(found.id), code)
    assert done.status == "completed"
    assert engine.hand_over(str(found.id), code).status == "completed"
    engine.run_once()
    assert online_orders(engine.db) == []
    assert mall.sales("S001") == (1, 700)
    assert engine.client.stock(COLA.sku).model_dump(include={"on_hand", "reserved"}) == {
        "on_hand": 8,
        "reserved": 0,
    }
    with here.db.read() as session:
        assert session.scalars(select(StockMove.delta)).all() == [-2]
