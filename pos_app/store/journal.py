"""The hash-chained audit journal (DESIGN §4).

Each entry stores sha256(content + previous hash); the sequence is gapless. The database refuses
UPDATE and DELETE on the table; `verify_journal` finds any row changed behind its back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from pos_app.store.canonical import canonical_json
from pos_app.store.journal_chain import (
    ENTRIES_IN_ORDER,
    GENESIS_HASH,
    HASHED,
    JournalProblem,
    check_chain,
    row_hash,
)
from pos_app.store.models import Base, JournalEntry, utc_now

_TABLE = Base.metadata.tables[JournalEntry.__tablename__]
_LAST = select(_TABLE.c.seq, _TABLE.c.hash).order_by(_TABLE.c.seq.desc()).limit(1)
_APPEND = insert(_TABLE)


def entry_hash(entry: JournalEntry) -> str:
    return row_hash({name: getattr(entry, name) for name in HASHED})


def append_journal(
    session: Session,
    *,
    till_id: str,
    kind: str,
    payload: dict[str, Any],
    actor_id: int | None,
    approver_id: int | None = None,
) -> int:
    """Append one entry and return its seq; call inside the write transaction of the fact it
    records. Two Core statements on the session's connection (the last link, the insert): no ORM
    flush, none of the ORM's per-statement work on the sale's path."""
    connection = session.connection()
    last = connection.execute(_LAST).first()
    seq, prev_hash = (1, GENESIS_HASH) if last is None else (last.seq + 1, last.hash)
    row: dict[str, Any] = {
        "seq": seq,
        "till_id": till_id,
        "kind": kind,
        "created_at": utc_now().replace(microsecond=0),
        "actor_id": actor_id,
        "approver_id": approver_id,
        "payload": canonical_json(payload),
        "prev_hash": prev_hash,
    }
    row["hash"] = row_hash(row)
    connection.execute(_APPEND, row)
    return seq


def verify_journal(session: Session) -> list[JournalProblem]:
    return check_chain(session.execute(text(ENTRIES_IN_ORDER)).mappings())
