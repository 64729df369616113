"""Alembic migrations run from code: the app upgrades its database on start.

A database written by a newer release (an unknown revision) is refused with a clear message
instead of being opened and damaged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseTooNew(RuntimeError):
    """The database was upgraded by a newer version of the app."""


def _config(db_path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return config


def current_revision(db_path: Path) -> str | None:
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(_config(Path("unused.db"))).get_current_head()
    assert head is not None
    return head


def _knows(script: ScriptDirectory, revision: str) -> bool:
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


def upgrade(db_path: Path) -> None:
    """Bring the database at db_path to the newest schema this app knows."""
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
