"""A long product name on the mall keeps its whole pinyin (issue 16: it was cut at 400 letters):
migration 0017 computes again the keys it cut, a new product stores all 712 letters, and the
shelf finds both by the last syllables of the name. SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, select, text

from mall.catalog import add_store, upsert_products
from mall.customer.shelf import products
from mall.db import MallDatabase
from mall.migrate import alembic_config, upgrade
from mall.models import ProductRow
from sync.pinyin import pinyin_keys
from sync.protocol import ProductData

LONG_NAME = "双床装" * 39 + "芒果干"  # 120 characters, 712 letters of pinyin
OLD_ROW = text(
    "INSERT INTO products (sku, name, pinyin_full, pinyin_initials, unit, price_fen,"
    " tax_rate_bp, weighed, status, updated_at)"
    " VALUES ('L1', :name, :full, :initials, '袋', 990, 1300, false, 'active', CURRENT_TIMESTAMP)"
)


def test_a_long_name_is_found_on_the_shelf_by_its_last_syllables(mall_url: str) -> None:
    """A product stored at 0016 with its pinyin cut at 400 letters and one added after the
    upgrade both hold the whole pinyin, and mangguogan (its last letters) finds them."""
    command.upgrade(alembic_config(mall_url), "0016")
    full, initials = pinyin_keys(LONG_NAME)
    engine = create_engine(mall_url)
    with engine.begin() as connection:
        connection.execute(OLD_ROW, {"name": LONG_NAME, "full": full[:400], "initials": initials})
    engine.dispose()
    upgrade(mall_url)
    db = MallDatabase(mall_url)
    with db.write() as session:
        add_store(session, "S001", "人民路店")
        upsert_products(session, [ProductData(sku="L2", name=LONG_NAME, price_fen=990)])
    with db.read() as session:
        stored = session.execute(select(ProductRow.pinyin_full, ProductRow.pinyin_initials))
        assert set(stored) == {(full, initials)} and len(full) == 712
        for q in ("mangguogan", full, "zmgg"):
            page = products(session, "S001", category=None, q=q, offset=0, limit=10)
            assert [item.sku for item in page.items] == ["L1", "L2"], q
    db.dispose()
