"""Rate limits for the H5 pages: how often one phone or one IP may do something in a window.

Each counted action is a row (scope, hashed key, time) written in the same transaction as the
action, so a refused or failed action does not count. Keys are hashed: no phone numbers or IPs
sit in this table in clear.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mall.errors import MallError
from mall.members.models import RateHitRow

KEPT_FOR = timedelta(days=2)


class RateLimited(MallError):
    def __init__(self, message: str) -> None:
        super().__init__(429, "rate_limited", message)


def _key(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()


def enforce(
    session: Session,
    scope: str,
    key: str,
    *,
    limit: int,
    window: timedelta,
    now: datetime,
    message: str,
) -> None:
    """Count one action of key in scope, or raise RateLimited if limit were exceeded."""
    hashed = _key(scope, key)
    count = session.scalar(
        select(func.count()).where(
            RateHitRow.scope == scope,
            RateHitRow.key == hashed,
            RateHitRow.created_at > now - window,
        )
    )
    if (count or 0) >= limit:
        raise RateLimited(message)
    session.add(RateHitRow(scope=scope, key=hashed, created_at=now))


def forget_old(session: Session, now: datetime) -> None:
    session.execute(delete(RateHitRow).where(RateHitRow.created_at < now - KEPT_FOR))
