"""Migrations 0016 and 0017 on a till with products: the characters index is built from them,
the trigram index gathers 16 MB before writing, and going back to 0015 restores 0009's index of
padded grams, whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import text

from pos_app.services.search import search_page
from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from tests.services.catalog_helpers import add_product
from tests.store.test_backoffice_migration import alembic_config


def found(path: Path, query: str) -> list[str]:
    db = Database(path)
    try:
        with db.read() as session:
            return sorted(hit.sku for hit in search_page(session, query).hits)
    finally:
        db.dispose()


def short_grams(path: Path) -> int:
    """Rows of 0009's index whose `short` grams hold 老吉 (integrity checked first)."""
    db = Database(path)
    try:
        with db.write() as session:
            session.execute(
                text("INSERT INTO products_fts(products_fts, rank) VALUES ('integrity-check', 1)")
            )
            match = text("SELECT count(*) FROM products_fts WHERE short MATCH '\"老吉\x1f\"'")
            return int(session.scalar(match) or 0)
    finally:
        db.dispose()


def trigram_hashsize(path: Path) -> int:
    """The bytes of entries the trigram index gathers before writing a segment (0017)."""
    with sqlite3.connect(path) as raw:
        found = raw.execute("SELECT v FROM products_fts_config WHERE k = 'hashsize'").fetchone()
    raw.close()
    return int(found[0]) if found else 1024 * 1024  # FTS5's default


def test_0016_indexes_the_products_there_and_downgrades_to_0009s_grams(tmp_path: Path) -> None:
    path = tmp_path / "till.db"
    command.upgrade(alembic_config(path), "0015")
    db = Database(path)
    add_product(db, "1", "王老吉 凉茶")
    add_product(db, "2", "老干妈 辣酱")
    db.dispose()
    upgrade(path)
    assert (found(path, "老"), found(path, "老吉"), found(path, "lg")) == (["1", "2"], ["1"], ["2"])
    assert trigram_hashsize(path) == 16 * 1024 * 1024
    command.downgrade(alembic_config(path), "0015")
    assert short_grams(path) == 1
    upgrade(path)
    assert (found(path, "老"), found(path, "老吉"), found(path, "lg")) == (["1", "2"], ["1"], ["2"])
