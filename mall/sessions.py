"""Log-in sessions of people (H5 members by cookie, mini-program customers by bearer token):
a random token shown once, only its sha256 stored, at most MAX_SESSIONS live per person so an
old phone or a leaked token does not stay logged in beside the newest log-ins."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import InstrumentedAttribute, Session

MAX_SESSIONS = 3  # phones logged in as one person at once


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session,
    owner: InstrumentedAttribute[str],
    owner_id: str,
    *,
    now: datetime,
    ttl: timedelta,
) -> str:
    """A new token for owner_id in owner's session table (MemberSessionRow.member_id,
    CustomerSessionRow.customer_id); the owner's oldest sessions beyond MAX_SESSIONS end."""
    table: Any = owner.class_  # the mapped row class of the column
    kept = (
        select(table.token_sha256)
        .where(owner == owner_id)
        .order_by(table.created_at.desc())
        .limit(MAX_SESSIONS - 1)
    )
    session.execute(
        delete(table).where(owner == owner_id, table.token_sha256.not_in(kept.scalar_subquery()))
    )
    token = secrets.token_urlsafe(32)
    row = table(token_sha256=token_digest(token), created_at=now, expires_at=now + ttl)
    setattr(row, owner.key, owner_id)
    session.add(row)
    return token
