"""product search that finds what people type: one- and two-character grams, active products
only, a per-product pinyin reading, name and barcode-tail indexes

The FTS5 trigram index cannot see fewer than three characters, so the view it indexes adds a
`short` column of padded one- and two-character grams (pos_app.store.search_grams, an SQL
function every connection of the app has). search_positions splits a shop's own reading into
its initials in plain SQL.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MAX_POSITION = 400  # names are at most 120 characters, pinyin readings at most 400

_COLUMNS = "name, pinyin_full, pinyin_initials, short"

_READING_INITIALS = """(SELECT group_concat(substr(p.pinyin_reading, i, 1), '')
    FROM search_positions WHERE i <= length(p.pinyin_reading)
    AND (i = 1 OR substr(p.pinyin_reading, i - 1, 1) = ' '))"""

_KEYS_VIEW = f"""CREATE VIEW product_search_keys AS SELECT p.id AS id, p.name AS name,
    p.pinyin_full || coalesce(' ' || replace(p.pinyin_reading, ' ', ''), '') AS pinyin_full,
    p.pinyin_initials || coalesce(' ' || {_READING_INITIALS}, '') AS pinyin_initials
    FROM products p WHERE p.status = 'active'"""

SEARCH_VIEW = """CREATE VIEW product_search AS SELECT k.id AS id, k.name AS name,
    k.pinyin_full AS pinyin_full, k.pinyin_initials AS pinyin_initials,
    search_grams(k.name, k.pinyin_initials) AS short
    FROM product_search_keys k"""

_FROM_VIEW = f"SELECT id, {_COLUMNS} FROM product_search WHERE id = "
_WATCHED = "name, pinyin_full, pinyin_initials, pinyin_reading, status"

UPGRADE_SQL = [
    "DROP TRIGGER products_fts_ai",
    "DROP TRIGGER products_fts_ad",
    "DROP TRIGGER products_fts_au",
    "DROP TABLE products_fts",
    "CREATE TABLE search_positions (i INTEGER PRIMARY KEY)",
    f"""INSERT INTO search_positions WITH RECURSIVE n(i) AS
        (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MAX_POSITION}) SELECT i FROM n""",
    _KEYS_VIEW,
    SEARCH_VIEW,
    f"""CREATE VIRTUAL TABLE products_fts USING fts5({_COLUMNS},
        content='product_search', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER products_fts_ai AFTER INSERT ON products WHEN new.status = 'active'
        BEGIN INSERT INTO products_fts(rowid, {_COLUMNS}) {_FROM_VIEW} new.id; END""",
    f"""CREATE TRIGGER products_fts_bd BEFORE DELETE ON products WHEN old.status = 'active'
        BEGIN INSERT INTO products_fts(products_fts, rowid, {_COLUMNS})
        SELECT 'delete', * FROM ({_FROM_VIEW} old.id); END""",
    f"""CREATE TRIGGER products_fts_bu BEFORE UPDATE OF {_WATCHED} ON products
        WHEN old.status = 'active'
        BEGIN INSERT INTO products_fts(products_fts, rowid, {_COLUMNS})
        SELECT 'delete', * FROM ({_FROM_VIEW} old.id); END""",
    f"""CREATE TRIGGER products_fts_au AFTER UPDATE OF {_WATCHED} ON products
        WHEN new.status = 'active'
        BEGIN INSERT INTO products_fts(rowid, {_COLUMNS}) {_FROM_VIEW} new.id; END""",
    "INSERT INTO products_fts(products_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    op.add_column("products", sa.Column("pinyin_reading", sa.String(length=400), nullable=True))
    op.create_index("ix_products_name", "products", ["name"])
    op.execute("CREATE INDEX ix_barcodes_tail ON barcodes (substr(code, -6))")
    for statement in UPGRADE_SQL:
        op.execute(statement)


def downgrade() -> None:
    for name in ("products_fts_ai", "products_fts_bd", "products_fts_bu", "products_fts_au"):
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE products_fts")
    op.execute("DROP VIEW product_search")
    op.execute("DROP VIEW product_search_keys")
    op.execute("DROP TABLE search_positions")
    op.execute("DROP INDEX ix_barcodes_tail")
    op.drop_index("ix_products_name", "products")
    op.drop_column("products", "pinyin_reading")
    # the 0001 index and its triggers, rebuilt from the products table
    from importlib import import_module

    initial = import_module("pos_app.store.migrations.versions.0001_initial_schema")
    for statement in initial.SEARCH_AND_JOURNAL_SQL[:4]:
        op.execute(statement)
    op.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
