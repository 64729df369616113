"""Who and where this till is, read inside a transaction: store, till, open shift, settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam, func, select
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
_SHIFTS, _SALES = Shift.__table__.c, Sale.__table__.c
_TILL: BindParameter[str] = bindparam("till_id")
# Where a till's next sale goes, in one Core statement: its open shift and its last sale number.
_SALE_PLACE = select(
    select(_SHIFTS.id)
    .where(_SHIFTS.till_id == _TILL, _SHIFTS.closed_at.is_(None))
    .limit(1)
    .scalar_subquery(),
    select(func.max(_SALES.till_seq)).where(_SALES.till_id == _TILL).scalar_subquery(),
)


def open_shift_of(session: Session, till_id: str) -> Shift | None:
    return session.scalars(_OPEN_SHIFT, {"till_id": till_id}).first()


def _no_open_shift() -> NoOpenShift:
    return NoOpenShift(
        "No shift is open on this till. Open a shift with the cash float first.", code="no_shift"
    )


def require_open_shift(session: Session, till_id: str) -> Shift:
    shift = open_shift_of(session, till_id)
    if shift is None:
        raise _no_open_shift()
    return shift


def _sale_place(session: Session, till_id: str) -> tuple[int, int]:
    """The open shift's id and the next gapless sale number of this till; safe because writes
    hold BEGIN IMMEDIATE. After a restore from backup the numbers continue above the floor,
    past sales the mall already has."""
    shift_id, last = session.connection().execute(_SALE_PLACE, {"till_id": till_id}).one()
    if shift_id is None:
        raise _no_open_shift()
    return shift_id, max(last or 0, get_setting(session, TILL_SEQ_FLOOR) or 0) + 1


def sale_number(till_id: str, till_seq: int) -> str:
    return f"{till_id}-{till_seq:06d}"


def sale_columns(session: Session, *, kind: str, cashier_id: int) -> dict[str, Any]:
    """The columns that place a new sale or refund: its number in this till's gapless sequence,
    the open shift, the store, the till, the cashier and the time (checkout writes them with
    Core; new_sale makes them an ORM row)."""
    identity = till_identity(session)
    shift_id, seq = _sale_place(session, identity.till_id)
    return {
        "sale_no": sale_number(identity.till_id, seq),
        "kind": kind,
        "store_id": identity.store_id,
        "till_id": identity.till_id,
        "till_seq": seq,
        "shift_id": shift_id,
        "cashier_id": cashier_id,
        "created_at": utc_now(),
    }


def new_sale(session: Session, *, kind: str, cashier_id: int, **fields: Any) -> Sale:
    """A numbered sale or refund added to the session (the ORM inserts it at flush)."""
    fields.setdefault("lines", [])  # a new sale's collections start empty: no lazy SELECT
    fields.setdefault("payments", [])
    sale = Sale(**sale_columns(session, kind=kind, cashier_id=cashier_id), **fields)
    session.add(sale)
    return sale
