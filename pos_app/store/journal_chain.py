"""The journal's hash chain, checked with the standard library only (`pos verify-journal`
answers without importing SQLAlchemy; the till runs the same check through its session).

Each entry's hash is sha256 over its content and the previous entry's hash; the sequence is
gapless from 1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pos_app.store.canonical import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64
HASHED = (
    "seq",
    "till_id",
    "kind",
    "created_at",
    "actor_id",
    "approver_id",
    "payload",
    "prev_hash",
)
ENTRIES_IN_ORDER = f"SELECT {', '.join(HASHED)}, hash FROM journal ORDER BY seq"


@dataclass(frozen=True)
class JournalProblem:
    seq: int
    message: str


def row_hash(row: Mapping[str, Any]) -> str:
    """sha256 over an entry's content (created_at an aware UTC datetime) and the previous
    entry's hash."""
    content = [row[name] for name in HASHED]
    content[3] = row["created_at"].isoformat()
    return sha256_hex(canonical_json(content))


StoredRow = Mapping[Any, Any] | sqlite3.Row  # a RowMapping from SQLAlchemy or a sqlite3.Row


def _as_written(row: StoredRow) -> dict[str, Any]:
    """A stored row as it was hashed: the file keeps created_at as naive UTC text."""
    entry = dict(row)
    entry["created_at"] = datetime.fromisoformat(entry["created_at"]).replace(tzinfo=UTC)
    return entry


def check_chain(stored: Iterable[StoredRow]) -> list[JournalProblem]:
    """Every break in sequence or hash among the stored rows (ENTRIES_IN_ORDER), in order; an
    empty list means the chain is intact."""
    problems: list[JournalProblem] = []
    expected_seq, prev_hash = 1, GENESIS_HASH
    for entry in map(_as_written, stored):
        seq = entry["seq"]
        if seq != expected_seq:
            problems.append(JournalProblem(seq, f"sequence gap: expected {expected_seq}"))
        if entry["prev_hash"] != prev_hash:
            problems.append(JournalProblem(seq, "previous-hash link broken"))
        if row_hash(entry) != entry["hash"]:
            problems.append(JournalProblem(seq, "content does not match its hash"))
        expected_seq, prev_hash = seq + 1, entry["hash"]
    return problems


def verify_file(connection: sqlite3.Connection) -> list[JournalProblem]:
    """check_chain over a plain sqlite3 connection (rows as sqlite3.Row)."""
    return check_chain(connection.execute(ENTRIES_IN_ORDER))
