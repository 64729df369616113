"""Bulk loads of the catalog (first sync, demo data) with the product search index paused:
the FTS5 triggers on products and the B-tree indexes only searches read cost a per-row update
each; building them once at the end costs far less (at 100k products the load takes half the
time)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

# The FTS5 indexes over the active products, each with its columns and the view it reads them
# from as its triggers do (migration 0016): trigrams of the name and pinyin, and the characters
# of the name and initials one by one.
SEARCH_INDEXES = {
    "products_fts": ("name, pinyin_full, pinyin_initials", "product_search_keys"),
    "products_chars": ("name, initials", "product_search_chars"),
}
# Read by searches only, never by a load (which finds products by sku and barcodes by code or
# product_id, all kept).
SEARCH_BTREES = ("ix_products_name", "ix_products_pinyin_initials", "ix_barcodes_tail")


def pause_search_index(session: Session) -> list[str]:
    """Drop the triggers that keep the search index in step with products and the search-only
    B-tree indexes, in the caller's transaction, and return their SQL for resume_search_index.
    The pause may span many transactions (a first sync resumed after a restart): the caller
    keeps the SQL until then."""
    names = ", ".join(f"'{name}'" for name in SEARCH_BTREES)
    query = text(
        "SELECT type, name, sql FROM sqlite_master WHERE (type = 'trigger' AND tbl_name = "
        f"'products') OR (type = 'index' AND name IN ({names}))"
    )
    paused = session.execute(query).all()
    for kind, name, _sql in paused:
        session.execute(text(f'DROP {kind.upper()} "{name}"'))
    return [sql for _kind, _name, sql in paused]


def resume_search_index(session: Session, paused: Sequence[str]) -> None:
    """Put the paused triggers and indexes back and rebuild the search index at once."""
    for sql in paused:
        session.execute(text(sql))
    rebuild_search_index(session)


@contextmanager
def search_index_paused(session: Session) -> Iterator[None]:
    """Within the caller's transaction: the search triggers and indexes are dropped while a bulk
    load runs, then put back and the index rebuilt (DDL is transactional in SQLite, so a
    failure rolls the drops back too)."""
    paused = pause_search_index(session)
    yield
    resume_search_index(session, paused)


def rebuild_search_index(session: Session) -> None:
    """Rebuild the products search indexes from the products table, all at once."""
    for index in SEARCH_INDEXES:
        session.execute(text(f"INSERT INTO {index}({index}) VALUES ('rebuild')"))


def last_product_id(session: Session) -> int:
    """The highest product id so far (0 for none): a new product's id is above it."""
    return int(session.scalar(text("SELECT coalesce(max(id), 0) FROM products")) or 0)
