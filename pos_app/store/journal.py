"""The hash-chained audit journal (DESIGN §4).

Each entry stores sha256(content + previous hash); the sequence is gapless. The database refuses
UPDATE and DELETE on the table; `verify_journal` finds any row changed behind its back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.canonical import canonical_json, sha256_hex
from pos_app.store.models import JournalEntry, utc_now

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class JournalProblem:
    seq: int
    message: str


def entry_hash(entry: JournalEntry) -> str:
    """sha256 over the entry's content and the previous entry's hash."""
    content = canonical_json(
        [
            entry.seq,
            entry.till_id,
            entry.kind,
            entry.created_at.isoformat(),
            entry.actor_id,
            entry.approver_id,
            entry.payload,
            entry.prev_hash,
        ]
    )
    return sha256_hex(content)


def append_journal(
    session: Session,
    *,
    till_id: str,
    kind: str,
    payload: dict[str, Any],
    actor_id: int | None,
    approver_id: int | None = None,
) -> JournalEntry:
    """Append one entry; call inside the write transaction of the fact it records."""
    last = session.scalars(select(JournalEntry).order_by(JournalEntry.seq.desc()).limit(1)).first()
    entry = JournalEntry(
        seq=1 if last is None else last.seq + 1,
        till_id=till_id,
        kind=kind,
        created_at=utc_now().replace(microsecond=0),
        actor_id=actor_id,
        approver_id=approver_id,
        payload=canonical_json(payload),
        prev_hash=GENESIS_HASH if last is None else last.hash,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    return entry


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
