"""The outbox: facts for the mall, appended in the same transaction as the facts themselves.

It stays small on day 365: only unacknowledged events are indexed for the pusher (a partial
index), and acknowledged events are pruned after a retention period in short batches; the
journal keeps the history. The newest event is never pruned, so the gapless device sequence
continues from it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import CursorResult, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from pos_app.store.canonical import canonical_json, sha256_hex
from pos_app.store.models import Base, OutboxConflict, OutboxEvent, utc_now
from pos_app.store.peek import COUNT_WAITING, COUNT_WAITING_KIND, NOT_IN_CONFLICT, WAITING

ACKED_RETENTION = timedelta(days=7)  # the mall may ask again for a week's events (SyncGap)
PRUNE_BATCH = 2000  # rows deleted per write transaction: the write lock is held ~ms

_TABLE = Base.metadata.tables[OutboxEvent.__tablename__]
_WAITING = text(WAITING)  # unacknowledged and not in conflict (the text `pos` commands use too)
# The next gapless device sequence is taken in the INSERT itself (the caller's write lock holds it)
# and handed back by RETURNING: one statement per event.
_APPEND = (
    insert(_TABLE)
    .values(
        device_seq=select(func.coalesce(func.max(_TABLE.c.device_seq), 0) + 1).scalar_subquery()
    )
    .returning(_TABLE.c.device_seq)
)


def append_event(session: Session, kind: str, payload: dict[str, Any]) -> int:
    """Queue one event with the next gapless device sequence and return that sequence. One Core
    statement on the session's connection, no ORM flush."""
    body = canonical_json(payload)
    row = {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "payload": body,
        "payload_hash": sha256_hex(body),
        "created_at": utc_now(),
    }
    device_seq: int = session.connection().execute(_APPEND, row).scalar_one()
    return device_seq


class QueuedEvent(NamedTuple):
    """An outbox row as the pusher reads it (plain values: no ORM identity map for 500 rows)."""

    id: str
    device_seq: int
    kind: str
    payload: str
    payload_hash: str


_PENDING = (
    select(*(_TABLE.c[name] for name in QueuedEvent._fields))
    .where(_WAITING)
    .order_by(_TABLE.c.device_seq)
)


def pending_events(session: Session, *, limit: int) -> list[QueuedEvent]:
    """The oldest events the mall has not acknowledged yet, in device order."""
    return [QueuedEvent(*row) for row in session.execute(_PENDING.limit(limit))]


def count_pending(session: Session) -> int:
    return session.scalar(text(COUNT_WAITING)) or 0


def count_pending_kind(session: Session, kind: str) -> int:
    """Events of one kind (e.g. "sale") the mall has not acknowledged yet."""
    return session.scalar(text(COUNT_WAITING_KIND), {"kind": kind}) or 0


def record_conflicts(session: Session, reasons: dict[str, str]) -> None:
    """Keep the events the mall recorded as conflicts ({event id: reason}) out of what is sent
    and what counts as delivered, until a person resolves them."""
    for event_id, reason in reasons.items():
        session.merge(OutboxConflict(event_id=event_id, reason=reason))


def mark_acked(session: Session, *, first_seq: int, through_seq: int) -> int:
    """Mark the pushed batch acknowledged; walks only the partial index of unacked events."""
    query = (
        update(_TABLE)
        .where(_WAITING, _TABLE.c.device_seq.between(first_seq, through_seq))
        .values(acked_at=utc_now())
    )
    result: CursorResult[Any] = session.execute(query)  # type: ignore[assignment]
    return result.rowcount


def prune_acked_batch(session: Session, *, acked_before: datetime, limit: int = PRUNE_BATCH) -> int:
    """Delete up to `limit` events acknowledged before `acked_before` (oldest first), never the
    newest event; returns how many went. Call repeatedly, one short transaction each."""
    newest = select(func.max(_TABLE.c.device_seq)).scalar_subquery()
    victims = (
        select(_TABLE.c.device_seq)
        .where(
            _TABLE.c.acked_at.is_not(None),
            _TABLE.c.acked_at < acked_before,
            _TABLE.c.device_seq < newest,
            text(NOT_IN_CONFLICT),
        )
        .order_by(_TABLE.c.device_seq)
        .limit(limit)
    )
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        delete(_TABLE).where(_TABLE.c.device_seq.in_(victims))
    )
    return result.rowcount
