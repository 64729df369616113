"""Migration 0014 on a till made before it: a long name whose pinyin was cut at 400 letters gets
its whole pinyin back and is found by the end of it; a shop reading as long as the longest name
is accepted and searched to its last initial."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import update

from pos_app.services.pinyin import pinyin_keys
from pos_app.services.search import search_products
from pos_app.services.search_readings import MAX_READING, set_pinyin_reading
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Product
from tests.services.catalog_helpers import add_product
from tests.store.test_backoffice_migration import alembic_config

LONG_NAME = "双床装" * 39 + "芒果干"  # 120 characters, 712 letters of pinyin


def test_a_long_name_cut_before_the_migration_is_found_by_its_last_syllables(
    tmp_path: Path,
) -> None:
    """At 0013 the keys were stored cut at 400 letters (mangguogan lost); after the upgrade the
    whole pinyin is stored and mangguogan finds the product."""
    path = tmp_path / "till.db"
    command.upgrade(alembic_config(path), "0013")
    full, initials = pinyin_keys(LONG_NAME)
    old = Database(path)
    add_product(old, "L1", LONG_NAME)
    with old.write() as session:
        session.execute(update(Product).values(pinyin_full=full[:400]))
    old.dispose()
    upgrade(path)
    db = Database(path)
    with db.read() as session:
        assert [hit.sku for hit in search_products(session, "mangguogan")] == ["L1"]
        assert [hit.sku for hit in search_products(session, full)] == ["L1"]
    with sqlite3.connect(path) as raw:
        stored = raw.execute("SELECT pinyin_full, pinyin_initials FROM products").fetchone()
    raw.close()
    assert stored == (full, initials) and len(full) == 712
    db.dispose()


def test_a_shop_reading_of_the_longest_name_is_searched_to_its_end(tmp_path: Path) -> None:
    """120 six-letter syllables with spaces (839 letters) are accepted; the initials of the
    last syllables find the product."""
    path = tmp_path / "till.db"
    upgrade(path)
    db = Database(path)
    add_product(db, "L2", "壮" * 120)
    longest = " ".join(["shuang"] * 120)
    assert len(longest) == MAX_READING == 839
    set_pinyin_reading(db, sku="L2", reading=longest)
    set_pinyin_reading(db, sku="L2", reading=" ".join(["zhuang"] * 117 + ["mang", "guo", "gan"]))
    with db.read() as session:
        assert [hit.sku for hit in search_products(session, "zmgg")] == ["L2"]
        assert [hit.sku for hit in search_products(session, "zhuangmangguogan")] == ["L2"]
    db.dispose()
