"""Rate limits: how often one phone, IP or device may do something in a window, with lockout
until the window is over.

One counter row per (scope, hashed key) holds the start of its window and the actions counted
in it. Counting is one conditional UPDATE (a new window, or one more while under the limit), so
parallel requests on PostgreSQL can never all pass: the row lock orders them and each sees the
count the one before it left. A caller counts in the same transaction as its action (a refused
or failed action does not count), or in a transaction of its own first (every attempt counts;
with forgive() in the action's transaction, only failures do, and parallel failures can still
never outrun the limit, because each took its place before trying).
Keys are hashed: no phone numbers or IPs sit in this table in clear.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, and_, case, delete, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from mall.db import MallDatabase
from mall.errors import MallError
from mall.members.models import RateCounterRow
from mall.models import utc_now

KEPT_FOR = timedelta(days=2)


class RateLimited(MallError):
    def __init__(self, message: str) -> None:
        super().__init__(429, "rate_limited", message)


def _key(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()


def _ensure_row(session: Session, scope: str, hashed: str, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(RateCounterRow)
        .values(scope=scope, key=hashed, window_start=now, count=0)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )


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
    """Count one action of key in scope, or raise RateLimited if limit were exceeded (the key
    is locked out until its window, which starts at its first counted action, is over)."""
    hashed = _key(scope, key)
    _ensure_row(session, scope, hashed, now)
    expired = RateCounterRow.window_start <= now - window
    result = session.execute(
        update(RateCounterRow)
        .where(
            and_(RateCounterRow.scope == scope, RateCounterRow.key == hashed),
            or_(expired, RateCounterRow.count < limit),
        )
        .values(
            count=case((expired, 1), else_=RateCounterRow.count + 1),
            window_start=case((expired, now), else_=RateCounterRow.window_start),
        )
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise RateLimited(message)


def count_first(
    db: MallDatabase, scope: str, key: str, *, limit: int, window: timedelta, message: str
) -> None:
    """Count an attempt in a transaction of its own, before it is tried (so it counts even if
    the attempt fails), or raise RateLimited."""
    with db.write() as session:
        enforce(session, scope, key, limit=limit, window=window, now=utc_now(), message=message)


def forgive(session: Session, scope: str, key: str) -> None:
    """Take back one counted action of key (it succeeded, and only failures count)."""
    session.execute(
        update(RateCounterRow)
        .where(
            RateCounterRow.scope == scope,
            RateCounterRow.key == _key(scope, key),
            RateCounterRow.count > 0,
        )
        .values(count=RateCounterRow.count - 1)
        .execution_options(synchronize_session=False)
    )


def forget_old(session: Session, now: datetime) -> None:
    session.execute(delete(RateCounterRow).where(RateCounterRow.window_start < now - KEPT_FOR))
