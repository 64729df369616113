"""Catalog administration and the change feed: latest state only, each store sees its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from mall.catalog import delete_product, read_csv, set_store_price, upsert_products
from mall.db import MallDatabase
from mall.errors import NotFound
from mall.feed import head_seq, publish, read_page
from mall.models import ChangeRow, ProductRow
from mall.orders import create_order
from mall.stock import add_move
from sync.protocol import ProductData


def keys(db: MallDatabase, store_id: str, cursor: int = 0) -> list[tuple[str, str]]:
    publish(db)
    with db.read() as session:
        return [(c.entity, c.key) for c in read_page(session, store_id, cursor, 100).changes]


def test_a_key_changed_many_times_appears_once_at_its_latest_position(mall_db: MallDatabase):
    """Three edits of 1001 leave one change row, after 1002's."""
    for price in (360, 370, 380):
        with mall_db.write() as session:
            upsert_products(
                session, [ProductData(sku="1001", name="可口可乐 330ml", price_fen=price)]
            )
    assert keys(mall_db, "S001") == [("product", "1002"), ("product", "1001")]
    publish(mall_db)
    with mall_db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChangeRow)) == 2
        page = read_page(session, "S001", 0, 100)
        assert page.changes[-1].data.price_fen == 380 and page.next_cursor == head_seq(session)


def test_a_store_price_and_an_order_reach_only_their_store(mall_db: MallDatabase):
    """S001's price override and order are invisible to S002, which keeps the chain price."""
    with mall_db.write() as session:
        set_store_price(session, "S001", "1001", price_fen=300, member_price_fen=280)
        add_move(session, "S001", "1002", 5, "receive", "")
        create_order(session, "S001", [("1002", 2)])
    publish(mall_db)
    with mall_db.read() as session:
        mine = read_page(session, "S001", 0, 100).changes
        theirs = read_page(session, "S002", 0, 100).changes
    # 1001 is listed chain-wide and again for S001; both carry the price S001 sells at.
    assert [(c.entity, c.key) for c in mine[:3]] == [
        ("product", "1001"),
        ("product", "1002"),
        ("product", "1001"),
    ]
    assert mine[3].entity == "order" and len(mine) == 4
    assert {(c.data.price_fen, c.data.member_price_fen) for c in mine if c.key == "1001"} == {
        (300, 280)
    }
    assert [c.entity for c in theirs] == ["product", "product"]
    assert {c.data.price_fen for c in theirs} == {350, 200}


def test_paging_follows_the_cursor_and_a_deleted_product_is_a_tombstone(mall_db: MallDatabase):
    """Pages of two with has_more, then the tombstone of 1002 at the end."""
    with mall_db.write() as session:
        upsert_products(
            session, [ProductData(sku=f"3{n}", name=f"货{n}", price_fen=n) for n in range(3)]
        )
        delete_product(session, "1002")
    seen = []
    cursor, more = 0, True
    while more:
        publish(mall_db)
        with mall_db.read() as session:
            page = read_page(session, "S001", cursor, 2)
        seen += [(c.key, c.data is None) for c in page.changes]
        cursor, more = page.next_cursor, page.has_more
    assert seen == [("1001", False), ("30", False), ("31", False), ("32", False), ("1002", True)]
    with mall_db.write() as session, pytest.raises(NotFound):
        delete_product(session, "1002")


def test_a_barcode_moved_to_another_product_changes_both(mall_db: MallDatabase):
    """The product that lost the code is fed again, without it."""
    with mall_db.write() as session:
        upsert_products(
            session,
            [
                ProductData(
                    sku="1002", name="农夫山泉 550ml", price_fen=200, barcodes=["6901234567892"]
                )
            ],
        )
    publish(mall_db)
    with mall_db.read() as session:
        page = read_page(session, "S001", 0, 100)
    data = {c.key: c.data.barcodes for c in page.changes}
    assert data == {"1001": [], "1002": ["6901234567892"]}


def test_a_csv_import_computes_pinyin_and_reads_every_column(mall_db: MallDatabase, tmp_path: Path):
    """Member price, unit, category, weighed, PLU and several barcodes come through."""
    csv = tmp_path / "goods.csv"
    csv.write_text(
        "sku,name,price_fen,member_price_fen,unit,category,weighed,plu_code,barcodes\n"
        "4001,散装苹果,1290,,kg,水果,1,42,\n"
        "4002,康师傅绿茶 500ml,300,280,瓶,饮料,0,,6901234567809;6901234567816\n",
        encoding="utf-8",
    )
    with mall_db.write() as session:
        assert upsert_products(session, read_csv(csv)) == 2
    publish(mall_db)
    with mall_db.read() as session:
        apple = session.scalar(select(ProductRow).where(ProductRow.sku == "4001"))
        assert (apple.pinyin_full, apple.pinyin_initials, apple.weighed, apple.plu_code) == (
            "sanzhuangpingguo",
            "szpg",
            True,
            "42",
        )
        tea = read_page(session, "S001", 0, 100).changes[-1].data
    assert (tea.member_price_fen, tea.unit, tea.category, tea.barcodes) == (
        280,
        "瓶",
        "饮料",
        ["6901234567809", "6901234567816"],
    )
