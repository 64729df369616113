"""The outbox: facts for the mall, appended in the same transaction as the facts themselves."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.store.canonical import canonical_json, sha256_hex
from pos_app.store.models import OutboxEvent, utc_now


def append_event(session: Session, kind: str, payload: dict[str, Any]) -> OutboxEvent:
    """Queue one event with the next gapless device sequence (the caller's write lock holds it)."""
    last_seq = session.scalar(select(func.max(OutboxEvent.device_seq))) or 0
    body = canonical_json(payload)
    event = OutboxEvent(
        id=str(uuid.uuid4()),
        device_seq=last_seq + 1,
        kind=kind,
        payload=body,
        payload_hash=sha256_hex(body),
        created_at=utc_now(),
    )
    session.add(event)
    return event


def pending_events(session: Session, *, limit: int) -> list[OutboxEvent]:
    """The oldest events the mall has not acknowledged yet, in device order."""
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.acked_at.is_(None))
        .order_by(OutboxEvent.device_seq)
        .limit(limit)
    )
    return list(session.scalars(query))


def count_pending(session: Session) -> int:
    query = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.acked_at.is_(None))
    return session.scalar(query) or 0
