"""Bulk loads of the catalog (first sync, demo data) with the product search index paused:
the FTS5 triggers on products cost a per-row index update, a single rebuild costs far less."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

SEARCH_INDEX = "products_fts"  # the FTS5 trigram index over products (migration 0001)


@contextmanager
def search_index_paused(session: Session) -> Iterator[None]:
    """Within the caller's transaction: the triggers that keep the search index in step with
    products are dropped while a bulk load runs, and put back before the transaction ends.
    The index is then stale until rebuild_search_index() (DDL is transactional in SQLite, so a
    failure rolls the triggers back too)."""
    query = text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products'"
    )
    triggers = session.execute(query).all()
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        session.execute(text(sql))


def rebuild_search_index(session: Session) -> None:
    """Rebuild the products search index from the products table, all at once."""
    session.execute(text(f"INSERT INTO {SEARCH_INDEX}({SEARCH_INDEX}) VALUES ('rebuild')"))
