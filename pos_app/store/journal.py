"""The hash-chained audit journal (DESIGN §4).

Each entry stores sha256(content + previous hash); the sequence is gapless. The database refuses
UPDATE and DELETE on the table; `verify_journal` finds any row changed behind its back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pos_app.store.canonical import canonical_json, sha256_hex
from pos_app.store.models import Base, JournalEntry, utc_now

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class JournalProblem:
    seq: int
    message: str


_TABLE = Base.metadata.tables[JournalEntry.__tablename__]
_HASHED = (
    "seq",
    "till_id",
    "kind",
    "created_at",
    "actor_id",
    "approver_id",
    "payload",
    "prev_hash",
)
_LAST = select(_TABLE.c.seq, _TABLE.c.hash).order_by(_TABLE.c.seq.desc()).limit(1)


def _row_hash(row: Mapping[str, Any]) -> str:
    """sha256 over an entry's content and the previous entry's hash."""
    content = [row[name] for name in _HASHED]
    content[3] = row["created_at"].isoformat()
    return sha256_hex(canonical_json(content))


def entry_hash(entry: JournalEntry) -> str:
    return _row_hash({name: getattr(entry, name) for name in _HASHED})


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
    records. Two Core statements (the last link, the insert): no ORM flush on the sale's path."""
    last = session.execute(_LAST).first()
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
    row["hash"] = _row_hash(row)
    session.execute(insert(_TABLE), [row])
    return seq


def check_chain(entries: Iterable[JournalEntry]) -> list[JournalProblem]:
    """Every break in sequence or hash, in order; an empty list means the chain is intact."""
    problems: list[JournalProblem] = []
    expected_seq, prev_hash = 1, GENESIS_HASH
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(JournalProblem(entry.seq, f"sequence gap: expected {expected_seq}"))
        if entry.prev_hash != prev_hash:
            problems.append(JournalProblem(entry.seq, "previous-hash link broken"))
        recomputed = entry_hash(entry)
        if recomputed != entry.hash:
            problems.append(JournalProblem(entry.seq, "content does not match its hash"))
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    return problems


def verify_journal(session: Session) -> list[JournalProblem]:
    return check_chain(session.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
