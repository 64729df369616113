"""Bulk loads of the catalog (first sync, demo data) with the product search index paused:
the FTS5 triggers on products and the B-tree indexes only searches read cost a per-row update
each; building them once at the end costs far less (at 100k products the load takes half the
time)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

SEARCH_INDEX = "products_fts"  # the FTS5 trigram index over products (migration 0001)
# Its columns, read from the product_search view as its triggers do (migration 0009).
_INDEXED = "name, pinyin_full, pinyin_initials, short"
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


def resume_search_index(session: Session, paused: Sequence[str], *, rebuild: bool = True) -> None:
    """Put the paused triggers and indexes back and rebuild the search index at once (rebuild
    False: the caller kept it up with index_products_after while paused)."""
    for sql in paused:
        session.execute(text(sql))
    if rebuild:
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
    """Rebuild the products search index from the products table, all at once."""
    session.execute(text(f"INSERT INTO {SEARCH_INDEX}({SEARCH_INDEX}) VALUES ('rebuild')"))


def last_product_id(session: Session) -> int:
    """The highest product id so far (0 for none): a new product's id is above it."""
    return int(session.scalar(text("SELECT coalesce(max(id), 0) FROM products")) or 0)


def index_products_after(session: Session, after_id: int) -> None:
    """Add the active products with an id above after_id to the search index, each as the
    insert trigger would have, in one statement: for products inserted while the index was
    paused, which it does not hold yet."""
    session.execute(
        text(
            f"INSERT INTO {SEARCH_INDEX}(rowid, {_INDEXED}) "
            f"SELECT id, {_INDEXED} FROM product_search WHERE id > :after"
        ),
        {"after": after_id},
    )
