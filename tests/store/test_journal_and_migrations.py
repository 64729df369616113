"""The journal refuses edits and detects tampering; migrations refuse a newer database."""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from pos_app.cli import main as pos_main
from pos_app.services.audit import record_action
from pos_app.store.db import Database
from pos_app.store.journal import verify_journal
from pos_app.store.migrate import (
    MIGRATIONS_DIR,
    DatabaseTooNew,
    current_revision,
    head_revision,
    upgrade,
)
from tests.conftest import CASHIER_ID, MANAGER_ID


def test_database_refuses_update_and_delete_of_journal_rows(db: Database) -> None:
    """UPDATE and DELETE on the journal are aborted by triggers."""
    with pytest.raises(IntegrityError, match="append-only"), db.write() as session:
        session.connection().exec_driver_sql("UPDATE journal SET kind='x'")
    with pytest.raises(IntegrityError, match="append-only"), db.write() as session:
        session.connection().exec_driver_sql("DELETE FROM journal")


def test_tampered_journal_row_is_found_by_verify(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone who drops the trigger and edits a row is caught: verify exits 1 naming the row."""
    record_action(db, kind="drawer_open", actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    record_action(db, kind="void_sale", actor_id=CASHIER_ID, approver_id=MANAGER_ID)
    assert pos_main(["--db", str(db.path), "verify-journal"]) == 0
    raw = sqlite3.connect(db.path)
    raw.execute("DROP TRIGGER journal_no_update")
    raw.execute("UPDATE journal SET payload='{\"amount\":1}' WHERE seq=2")
    raw.commit()
    raw.close()
    with db.read() as session:
        problems = verify_journal(session)
    assert [(p.seq, p.message) for p in problems] == [(2, "content does not match its hash")]
    assert pos_main(["--db", str(db.path), "verify-journal"]) == 1
    assert "journal entry 2" in capsys.readouterr().err


def test_upgrade_is_idempotent_and_reaches_head(tmp_path: Path) -> None:
    """A new file is created at the newest schema; upgrading again changes nothing."""
    path = tmp_path / "new.db"
    upgrade(path)
    upgrade(path)
    assert current_revision(path) == head_revision()


def test_the_head_read_from_file_names_is_alembics_head_of_a_linear_chain() -> None:
    """The start-up fast path names the same head as Alembic, and every revision id is its
    file's numeric prefix, each revising the one before."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [head_revision()]
    revisions = sorted(script.walk_revisions(), key=lambda r: r.revision)
    for before, after in pairwise(revisions):
        assert after.down_revision == before.revision
    for revision in revisions:
        assert Path(revision.path).name.startswith(f"{revision.revision}_")


def test_database_from_a_newer_release_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown schema revision is refused with a clear message, and the CLI exits 1."""
    path = tmp_path / "future.db"
    upgrade(path)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num='9999_future'")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseTooNew, match="newer version"):
        upgrade(path)
    assert pos_main(["--db", str(path), "db", "upgrade"]) == 1
    assert "newer version" in capsys.readouterr().err
