"""Wrong PINs lock the till's PIN entry for a while, and the lock survives a restart (DESIGN §4).

Each kind of PIN entry (log-in, manager override) has its own count of wrong PINs in a row,
kept in the settings table; after FREE_TRIES the entry is locked for 30 s, doubling with each
further wrong PIN up to MAX_LOCK_S, so trying all 10,000 four-digit PINs takes months instead of
an hour. Every wrong PIN and every lock is written to the journal; a right PIN clears the count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, TypeVar

from sqlalchemy.orm import Session

from pos_app.services.auth import log_in
from pos_app.services.errors import PinLocked, WrongPin
from pos_app.services.permissions import Need, check_approver
from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.journal import append_journal
from pos_app.store.settings import get_setting, set_setting

Scope = Literal["login", "override"]
T = TypeVar("T")
FREE_TRIES = 5
FIRST_LOCK_S = 30
MAX_LOCK_S = 15 * 60


@dataclass(frozen=True)
class GuardState:
    failures: int = 0
    locked_until: datetime | None = None


def _key(scope: Scope) -> str:
    return f"pin_guard_{scope}"


def read_state(session: Session, scope: Scope) -> GuardState:
    stored = get_setting(session, _key(scope)) or {}
    until = stored.get("locked_until")
    return GuardState(
        int(stored.get("failures", 0)), datetime.fromisoformat(until) if until else None
    )


def lock_seconds(failures: int) -> int:
    """How long PIN entry stays locked after this many wrong PINs in a row (FREE_TRIES free)."""
    extra = failures - FREE_TRIES - 1
    return 0 if extra < 0 else min(MAX_LOCK_S, FIRST_LOCK_S * 2**extra)


def seconds_left(state: GuardState, now: datetime) -> int:
    if state.locked_until is None or state.locked_until <= now:
        return 0
    return int((state.locked_until - now).total_seconds()) + 1


def check_pin(db: Database, scope: Scope, check: Callable[[Session], T], *, now: datetime) -> T:
    """Run check (which raises WrongPin for a wrong number or PIN) unless PIN entry is locked
    (PinLocked); count and journal a wrong PIN, clear the count on a right one. A right PIN of
    someone who may not approve (NotPermitted) is not a wrong PIN and is not counted.
    This runs on a worker thread: Argon2id is slow on purpose."""
    with db.read() as session:
        left = seconds_left(read_state(session, scope), now)
    if left:
        raise PinLocked(left)
    try:
        with db.read() as session:
            result = check(session)
    except WrongPin as wrong:
        lock_s = _record_failure(db, scope, now)
        if lock_s:
            raise PinLocked(lock_s) from wrong
        raise
    with db.write() as session:
        if read_state(session, scope).failures:
            set_setting(session, _key(scope), {"failures": 0, "locked_until": None})
    return result


@dataclass(frozen=True)
class PinOwner:
    """Whose PIN it was."""

    staff_id: int
    name: str
    role: str


def log_in_guarded(db: Database, *, staff_code: str, pin: str, now: datetime) -> PinOwner:
    """The staff member logging in with this number and PIN (log-in lock applies)."""

    def owner(session: Session) -> PinOwner:
        staff = log_in(session, staff_code=staff_code, pin=pin)
        return PinOwner(staff.id, staff.name, staff.role)

    return check_pin(db, "login", owner, now=now)


def approve_guarded(
    db: Database, *, staff_code: str, pin: str, need: Need, now: datetime
) -> PinOwner:
    """The staff member whose number and PIN approve the need, if their role may (the
    permission table); the override lock applies."""

    def owner(session: Session) -> PinOwner:
        staff = log_in(session, staff_code=staff_code, pin=pin)
        check_approver(session, staff, need)
        return PinOwner(staff.id, staff.name, staff.role)

    return check_pin(db, "override", owner, now=now)


def _record_failure(db: Database, scope: Scope, now: datetime) -> int:
    """Count and journal a wrong PIN; returns the seconds PIN entry is now locked."""
    with db.write() as session:
        failures = read_state(session, scope).failures + 1
        lock_s = lock_seconds(failures)
        until = now + timedelta(seconds=lock_s) if lock_s else None
        set_setting(
            session,
            _key(scope),
            {"failures": failures, "locked_until": until.isoformat() if until else None},
        )
        append_journal(
            session,
            till_id=till_identity(session).till_id,
            kind="pin_locked" if lock_s else "pin_wrong",
            actor_id=None,
            payload={"scope": scope, "failures": failures, "locked_s": lock_s},
        )
    return lock_s
