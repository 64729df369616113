"""Demo catalog and demo store: deterministic, valid barcodes, scale items, searchable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pos_app.demo.data import (
    DemoDataError,
    generate_demo_catalog,
    sample_barcodes,
    sample_scale_barcodes,
    seed_demo_store,
)
from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.parsed_barcode import BarcodeKind
from pos_app.services.auth import log_in
from pos_app.services.catalog import lookup_scan
from pos_app.services.pinyin import pinyin_keys
from pos_app.services.search import search_products
from pos_app.store.db import Database
from pos_app.store.models import Barcode, Product, Staff, StockMove
from tests.services.catalog_helpers import add_product, empty_till_db

SKUS = 2000


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = empty_till_db(tmp_path)
    yield database
    database.dispose()


def catalog_of(db: Database) -> list[tuple[object, ...]]:
    """Everything about each product that the seed decides, in sku order."""
    with db.read() as session:
        products = session.scalars(select(Product).order_by(Product.sku)).all()
        return [
            (
                p.sku, p.name, p.price_fen, p.member_price_fen, p.cost_fen, p.plu_code,
                p.category.name if p.category else None, sorted(b.code for b in p.barcodes),
            )
            for p in products
        ]  # fmt: skip


def test_the_same_seed_gives_the_same_catalog(tmp_path: Path) -> None:
    """Two databases made with seed 1 hold identical products; seed 2 gives another catalog."""
    catalogs = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        database = empty_till_db(tmp_path / name)
        generate_demo_catalog(database, 300, seed=seed)
        catalogs.append(catalog_of(database))
        database.dispose()
    assert catalogs[0] == catalogs[1]
    assert catalogs[0] != catalogs[2]


def test_every_barcode_is_a_valid_chinese_ean13(db: Database) -> None:
    """Check digits verify, the GS1 prefix is 690–699, and the counts add up."""
    stats = generate_demo_catalog(db, SKUS)
    with db.read() as session:
        codes = session.scalars(select(Barcode.code)).all()
    assert len(codes) == stats.barcodes == len(set(codes))
    for code in codes:
        assert parse_barcode(code).kind is BarcodeKind.EAN13
        assert 690 <= int(code[:3]) <= 699
    assert stats.skus == SKUS and stats.weighed == SKUS // 50


def test_scale_barcodes_of_weighed_items_scan_back_to_their_product(db: Database) -> None:
    """A scale code printed for a weighed demo item finds that item through the till's lookup."""
    generate_demo_catalog(db, SKUS)
    with db.read() as session:
        codes = sample_scale_barcodes(session, 10)
        assert len(codes) == 10
        for code in codes:
            parsed = parse_barcode(code)
            found = lookup_scan(session, parsed)
            product = session.get(Product, found.product_id)
            assert product is not None and product.weighed and product.unit == "kg"
            assert product.plu_code == parsed.scale_item_code
            assert parsed.price_fen == product.price_fen


def test_sample_barcodes_belong_to_the_first_products(db: Database) -> None:
    """Benches and tests get real barcodes of the first products, in product order."""
    generate_demo_catalog(db, SKUS)
    with db.read() as session:
        codes = sample_barcodes(session, 5)
        owners = [lookup_scan(session, parse_barcode(code)).product_id for code in codes]
    assert owners == sorted(owners) and len(codes) == 5


def test_demo_products_are_searchable_and_new_products_still_get_indexed(db: Database) -> None:
    """The search index is built after the bulk load and its trigger is back afterwards."""
    generate_demo_catalog(db, SKUS)
    add_product(db, "X1", "门店通 特供 矿泉水")
    with db.read() as session:
        assert search_products(session, "可口可乐", limit=5)
        assert [h.sku for h in search_products(session, "门店通特价")] == []
        assert [h.sku for h in search_products(session, "门店通特供")] == ["X1"]  # spaces aside
        assert [h.sku for h in search_products(session, "门店通")] == ["X1"]
        product = session.scalars(select(Product).where(Product.sku == "000001")).one()
        assert (product.pinyin_full, product.pinyin_initials) == pinyin_keys(product.name)


def test_every_product_is_received_into_stock(db: Database) -> None:
    """Each product has one 'receive' move, so stock on hand starts positive."""
    generate_demo_catalog(db, SKUS)
    with db.read() as session:
        products = func.count(func.distinct(StockMove.product_id))
        query = select(func.count(), products, func.min(StockMove.delta))
        moves, received, smallest = session.execute(
            query.where(StockMove.reason == "receive")
        ).one()
    assert moves == received == SKUS and smallest > 0


def test_demo_data_refuses_a_catalog_that_already_has_products(db: Database) -> None:
    """Nothing is added on top of a real catalog."""
    add_product(db, "1", "真实商品")
    with pytest.raises(DemoDataError, match="already has products"):
        generate_demo_catalog(db, 10)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 1


def test_demo_store_staff_log_in_with_their_pins_and_seeding_twice_is_harmless(
    db: Database,
) -> None:
    """张三 1234 (cashier), 李经理 9999 (manager), 王主管 5678 (supervisor)."""
    seed_demo_store(db)
    seed_demo_store(db)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 3
        roles = {
            code: log_in(session, staff_code=code, pin=pin).role
            for code, pin in (("1001", "1234"), ("2001", "9999"), ("3001", "5678"))
        }
    assert roles == {"1001": "cashier", "2001": "manager", "3001": "supervisor"}
