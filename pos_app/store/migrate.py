"""Alembic migrations run from code: the app upgrades its database on start.

A database written by a newer release (an unknown revision) is refused with a clear message
instead of being opened and damaged. A database already at the newest schema (every start but
the first after an update) is recognised with one sqlite3 query, without importing Alembic:
that import was a good part of every `pos` command's start-up.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseTooNew(RuntimeError):
    """The database was upgraded by a newer version of the app."""


def _config(db_path: Path) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return config


def current_revision(db_path: Path) -> str | None:
    """The schema revision stored in the file (None for a new or never-migrated one)."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no alembic_version table yet
        return None
    finally:
        connection.close()
    return None if row is None else str(row[0])


@cache
def head_revision() -> str:
    """The newest revision, read from the file names: revision ids are the files' numeric
    prefixes (0007_….py is revision "0007") and the chain is linear (a test checks both)."""
    versions = (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")
    return max(path.name.split("_", 1)[0] for path in versions)


def _knows(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def needs_upgrade(db_path: Path) -> bool:
    """True for an existing database that this version would migrate (not for a new one)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    current = current_revision(db_path)
    return current is not None and current != head_revision()


def is_current(db_path: Path) -> bool:
    return db_path.exists() and current_revision(db_path) == head_revision()


def upgrade(db_path: Path) -> None:
    """Bring the database at db_path to the newest schema this app knows."""
    if is_current(db_path):
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    db_path.parent.mkdir(parents=True, exist_ok=True)
    config = _config(db_path)
    script = ScriptDirectory.from_config(config)
    current = current_revision(db_path) if db_path.exists() else None
    if current is not None and not _knows(script, current):
        raise DatabaseTooNew(
            f"The database {db_path} was created by a newer version of this app "
            f"(schema {current}). Install the newer version; this one will not touch it."
        )
    command.upgrade(config, "head")
