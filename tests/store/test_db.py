"""The running till's database: commits never checkpoint; a background thread does, fully."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Setting


def test_commits_leave_the_checkpoint_to_the_background_thread(tmp_path: Path) -> None:
    """Writers run with autocheckpoint off; checkpoint() then moves every WAL frame home."""
    path = tmp_path / "till.db"
    upgrade(path)
    db = Database(path, checkpoint_in_background=True)
    try:
        with db.write() as session:
            assert session.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
            session.add_all(Setting(key=f"k{n}", value="1") for n in range(500))
        db.checkpoint()
        with db.read() as session:
            busy, log_frames, done = session.execute(text("PRAGMA wal_checkpoint(PASSIVE)")).one()
        assert busy == 0 and log_frames == done
    finally:
        db.dispose()
    assert not any(thread.name == "wal-checkpoint" for thread in threading.enumerate())
