"""Who and where this till is, read inside a transaction: store, till, open shift, settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from pos_app.domain.money import RoundingMode
from pos_app.domain.scale_layouts import ScaleLayout
from pos_app.domain.scan import ScanRules
from pos_app.services.errors import NoOpenShift
from pos_app.store.backup import TILL_SEQ_FLOOR
from pos_app.store.db import Database
from pos_app.store.models import Sale, Shift, utc_now
from pos_app.store.settings import get_setting, store_zone


@dataclass(frozen=True)
class TillIdentity:
    store_id: str
    till_id: str


def till_identity(session: Session) -> TillIdentity:
    return TillIdentity(get_setting(session, "store_id"), get_setting(session, "till_id"))


def time_zone(session: Session) -> ZoneInfo:
    """The store's one time zone (setting timezone, default Asia/Shanghai)."""
    return store_zone(session)


def store_time_zone(db: Database) -> ZoneInfo:
    """time_zone() in a read of its own (for screens that show times)."""
    with db.read() as session:
        return time_zone(session)


def rounding_mode(session: Session) -> RoundingMode:
    return RoundingMode(get_setting(session, "rounding_mode"))


def scale_layouts(session: Session) -> tuple[ScaleLayout, ...]:
    return tuple(ScaleLayout.parse_spec(spec) for spec in get_setting(session, "scale_layouts"))


def scan_rules(session: Session) -> ScanRules:
    return ScanRules(scale_layouts(session), bool(get_setting(session, "scale_zero_price_allowed")))


# Built once: a checkout runs these every sale, and building a statement costs more than running it.
_OPEN_SHIFT = select(Shift).where(Shift.till_id == bindparam("till_id"), Shift.closed_at.is_(None))
_LAST_SEQ = select(func.max(Sale.till_seq)).where(Sale.till_id == bindparam("till_id"))


def open_shift_of(session: Session, till_id: str) -> Shift | None:
    return session.scalars(_OPEN_SHIFT, {"till_id": till_id}).first()


def require_open_shift(session: Session, till_id: str) -> Shift:
    shift = open_shift_of(session, till_id)
    if shift is None:
        raise NoOpenShift(
            "No shift is open on this till. Open a shift with the cash float first.",
            code="no_shift",
        )
    return shift


def next_till_seq(session: Session, till_id: str) -> int:
    """Next gapless sale number of this till; safe because writes hold BEGIN IMMEDIATE. After a
    restore from backup the numbers continue above the floor, past sales the mall already has."""
    last = session.scalar(_LAST_SEQ, {"till_id": till_id}) or 0
    return max(last, get_setting(session, TILL_SEQ_FLOOR) or 0) + 1


def sale_number(till_id: str, till_seq: int) -> str:
    return f"{till_id}-{till_seq:06d}"


def numbered_sale(session: Session, *, kind: str, cashier_id: int, **fields: Any) -> Sale:
    """A sale or refund numbered with this till's next sequence, in the open shift, not yet
    added to the session (checkout writes it with Core; new_sale lets the ORM flush it)."""
    identity = till_identity(session)
    shift = require_open_shift(session, identity.till_id)
    seq = next_till_seq(session, identity.till_id)
    fields.setdefault("lines", [])  # a new sale's collections start empty: no lazy SELECT
    fields.setdefault("payments", [])
    return Sale(
        sale_no=sale_number(identity.till_id, seq),
        kind=kind,
        store_id=identity.store_id,
        till_id=identity.till_id,
        till_seq=seq,
        shift_id=shift.id,
        cashier_id=cashier_id,
        created_at=utc_now(),
        **fields,
    )


def new_sale(session: Session, *, kind: str, cashier_id: int, **fields: Any) -> Sale:
    """A numbered sale or refund added to the session (the ORM inserts it at flush)."""
    sale = numbered_sale(session, kind=kind, cashier_id=cashier_id, **fields)
    session.add(sale)
    return sale
