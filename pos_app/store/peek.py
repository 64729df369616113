"""Reads of a till database through the standard library's sqlite3, for `pos` commands that
print and exit: importing SQLAlchemy alone takes ~0.4 s, more than such a command may take.

Each statement is written once, here, as SQL text with named parameters; the till's own code
runs the same text through its session (`sqlalchemy.text`), so both always agree on, say, which
outbox events still wait for the mall.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pos_app.store.setting_defaults import setting_value

# An outbox event the mall recorded as a conflict is kept for a person: neither sent again nor
# counted as delivered, nor pruned.
NOT_IN_CONFLICT = (
    "NOT EXISTS (SELECT 1 FROM outbox_conflicts WHERE outbox_conflicts.event_id = outbox.id)"
)
# An event waits for the mall while it is unacknowledged (the partial index ix_outbox_unacked)
# and not in conflict.
WAITING = f"outbox.acked_at IS NULL AND {NOT_IN_CONFLICT}"
COUNT_WAITING = f"SELECT count(*) FROM outbox WHERE {WAITING}"
COUNT_WAITING_KIND = f"{COUNT_WAITING} AND outbox.kind = :kind"
# A till nobody has set up has no staff to log in with (the setup wizard comes first).
COUNT_STAFF = "SELECT count(*) FROM staff"


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection (it can neither change nor create the file)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    connection.row_factory = sqlite3.Row
    return connection


def scalar(connection: sqlite3.Connection, statement: str, params: Mapping[str, Any]) -> Any:
    """The first column of the first row, or None when there is no row (as Session.scalar)."""
    row = connection.execute(statement, params).fetchone()
    return None if row is None else row[0]


def settings_of(connection: sqlite3.Connection, *keys: str) -> dict[str, Any]:
    """These settings as the till reads them (store/settings.py): the stored JSON value, else
    the default."""
    marks = ", ".join("?" * len(keys))
    statement = f"SELECT key, value FROM settings WHERE key IN ({marks})"
    stored = {key: value for key, value in connection.execute(statement, keys)}
    return {key: setting_value(key, stored.get(key)) for key in keys}
