"""The change feed on PostgreSQL with concurrent writers: no chain-wide lock between writers of
different keys, and a reader's cursor never passes a change that commits late."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from mall.catalog import add_store
from mall.db import MallDatabase
from mall.feed import fresh_page, record_changes
from mall.migrate import upgrade


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[MallDatabase]:
    upgrade(pg_url)
    db = MallDatabase(pg_url)
    with db.write() as session:
        add_store(session, "S001", "人民路店")
        add_store(session, "S002", "解放路店")
    yield db
    db.dispose()


def _keys(db: MallDatabase, store_id: str, cursor: int) -> tuple[list[str], int]:
    page = fresh_page(db, store_id, cursor, 100)  # as a till's pull
    return [change.key for change in page.changes], page.next_cursor


def test_a_change_that_commits_late_is_still_read_after_the_cursor(pg_db: MallDatabase):
    """Order O1 of S001 is recorded first but commits last; O2 of S002 and a chain-wide change
    commit meanwhile without waiting for O1 (2 s lock timeout), and are read; O1 follows after
    the cursor the reader already holds."""
    with pg_db.write() as late:
        record_changes(late, "order", ["O1"], scope="S001")
        for scope, key in (("S002", "O2"), ("", "P1")):
            with pg_db.write() as other:
                other.execute(text("SET LOCAL lock_timeout = '2s'"))
                entity = "order" if scope else "promotions"
                record_changes(other, entity, [key], scope=scope)
        seen, cursor = _keys(pg_db, "S001", 0)
        assert seen == ["P1"]
        assert _keys(pg_db, "S002", 0)[0] == ["O2", "P1"]
    seen, cursor = _keys(pg_db, "S001", cursor)
    assert seen == ["O1"]


def test_a_key_changed_again_after_it_was_read_comes_again_later(pg_db: MallDatabase):
    """A re-recorded key leaves its old place and gets a number after everything read."""
    with pg_db.write() as session:
        record_changes(session, "order", ["O1", "O2"], scope="S001")
    seen, cursor = _keys(pg_db, "S001", 0)
    assert seen == ["O1", "O2"]
    with pg_db.write() as session:
        record_changes(session, "order", ["O1"], scope="S001")
    assert _keys(pg_db, "S001", cursor)[0] == ["O1"]
    assert _keys(pg_db, "S001", 0)[0] == ["O2", "O1"]
