"""Search ranks equal matches by how well they sell (issue 16): checkout counts the units, and of
two products at the same rank level the one sold more comes first; a better level still wins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from pos_app.domain.gtin import make_ean13
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.checkout import checkout
from pos_app.services.search import search_products
from pos_app.services.search_popularity import HALF_LIFE_DAYS, record_sold
from pos_app.store.db import Database
from pos_app.store.models import SaleLine
from tests.conftest import CASHIER_ID
from tests.services.catalog_helpers import add_product
from tests.services.test_checkout import cart_with


def names(db: Database, query: str) -> list[str]:
    with db.read() as session:
        return [hit.name for hit in search_products(session, query)]


def sell(db: Database, barcode: str, units: int) -> None:
    cart = cart_with(db, *[barcode] * units)
    checkout(db, cart=cart, tenders=[Tender(TenderKind.CASH, 100_000)], cashier_id=CASHIER_ID)


def test_of_two_equal_matches_the_one_sold_more_comes_first(db: Database) -> None:
    """绿茶 is in the middle of both tea names (the same level): index order until the later
    one sells three cans to the other's one, then it comes first; 绿茶 by its exact name still
    ranks above both, however little it sells."""
    add_product(db, "T1", "康师傅 绿茶", barcode_body="690000000101")
    add_product(db, "T2", "统一 绿茶", barcode_body="690000000102")
    assert names(db, "绿茶") == ["康师傅 绿茶", "统一 绿茶"]
    sell(db, make_ean13("690000000101"), 1)
    sell(db, make_ean13("690000000102"), 3)
    assert names(db, "绿茶") == ["统一 绿茶", "康师傅 绿茶"]
    assert names(db, "lvcha") == ["统一 绿茶", "康师傅 绿茶"]
    add_product(db, "T3", "绿茶", barcode_body="690000000103")
    assert names(db, "绿茶") == ["绿茶", "统一 绿茶", "康师傅 绿茶"]


def test_a_prefix_level_is_ordered_by_sales_before_names(db: Database) -> None:
    """Both names start with 农夫: 农夫果园 (sold) comes before 农夫山泉 550ml (not sold),
    which comes first by name."""
    add_product(db, "F1", "农夫果园 混合果汁", barcode_body="690000000201")
    assert names(db, "农夫") == ["农夫山泉 550ml", "农夫果园 混合果汁"]
    sell(db, make_ean13("690000000201"), 2)
    assert names(db, "农夫") == ["农夫果园 混合果汁", "农夫山泉 550ml"]


def test_old_sales_weigh_half_for_every_week(db: Database) -> None:
    """8 units sold three weeks ago count 1 today, so 2 units sold today rank above them."""
    a = add_product(db, "W1", "老 酸奶 原味")
    b = add_product(db, "W2", "新 酸奶 原味")
    today = datetime.now(UTC).date()
    with db.write() as session:
        record_sold(
            session,
            [SaleLine(product_id=a, qty=8, weighed=False)],
            day=today - timedelta(days=3 * HALF_LIFE_DAYS),
        )
        record_sold(session, [SaleLine(product_id=b, qty=2, weighed=False)], day=today)
        units = session.execute(text("SELECT units FROM product_popularity ORDER BY product_id"))
        assert [row[0] for row in units] == [8, 2]
    assert names(db, "酸奶") == ["新 酸奶 原味", "老 酸奶 原味"]
