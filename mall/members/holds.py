"""Redemption holds: points or stored value set aside while a sale is being paid at the till.

A hold is created online (POST /members/holds), captured when the sale that names it in a
payment's reference arrives, released when the sale is abandoned, and expires by itself. An
offline redemption (a reference this mall never issued) is recorded as a captured hold when its
sale arrives: facts are never refused. Refunds give back the share of what was captured.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.devices import DeviceIdentity
from mall.errors import NotFound, Refused
from mall.members.keys import points_rules
from mall.members.ledger import (
    add_units,
    apply_expiry,
    held,
    points_balance,
    stored_value_balance,
)
from mall.members.models import HoldRow, MemberRow
from pos_app.domain.money import format_fen
from pos_app.domain.points import points_for_fen
from sync.member_protocol import HoldInfo, HoldRequest

log = logging.getLogger(__name__)
HOLD_KINDS = ("points", "stored_value")


def _units(row: HoldRow) -> int:
    """What the hold takes from the member: points, or fen of stored value."""
    return row.points if row.kind == "points" else row.amount_fen


def hold_info(row: HoldRow, now: datetime) -> HoldInfo:
    expired = row.status == "active" and row.expires_at <= now
    return HoldInfo(
        hold_id=row.id,
        member_id=row.member_id,
        kind=row.kind,  # type: ignore[arg-type]
        amount_fen=row.amount_fen,
        points=row.points,
        status="expired" if expired else row.status,  # type: ignore[arg-type]
        expires_at=row.expires_at,
    )


def _check_available(
    session: Session, member: MemberRow, kind: str, units: int, now: datetime
) -> None:
    if kind == "points":
        apply_expiry(session, member.id, now)
        available = points_balance(session, member.id) - held(session, member.id, kind, now)
        if units > available:
            raise Refused(
                "insufficient_points", f"the member has {max(available, 0)} points available"
            )
        return
    available = stored_value_balance(session, member.id) - held(session, member.id, kind, now)
    if units > available:
        raise Refused(
            "insufficient_stored_value",
            f"the member has {format_fen(max(available, 0))} of stored value available",
        )


def create_hold(
    session: Session, device: DeviceIdentity, request: HoldRequest, *, now: datetime, ttl_s: int
) -> HoldInfo:
    """Set points or stored value aside for a sale; the same request_id returns the same hold."""
    key = f"{device.device_id}:{request.request_id}"
    existing = session.scalar(select(HoldRow).where(HoldRow.request_key == key))
    if existing is not None:
        same = (existing.member_id, existing.kind, existing.amount_fen)
        if same != (request.member_id, request.kind, request.amount_fen):
            raise Refused("hold_request_reused", "this request_id was used for another hold")
        return hold_info(existing, now)
    member = session.scalar(
        select(MemberRow).where(MemberRow.id == request.member_id).with_for_update()
    )
    if member is None:
        raise NotFound(f"no member {request.member_id}")
    points = points_for_fen(points_rules(session), request.amount_fen)
    units = points if request.kind == "points" else request.amount_fen
    _check_available(session, member, request.kind, units, now)
    row = HoldRow(
        id="H" + secrets.token_hex(10),
        request_key=key,
        member_id=member.id,
        store_id=device.store_id,
        device_id=device.device_id,
        kind=request.kind,
        origin="online",
        amount_fen=request.amount_fen,
        points=points if request.kind == "points" else 0,
        status="active",
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_s),
        refunded_fen=0,
        refunded_units=0,
    )
    session.add(row)
    session.flush()
    return hold_info(row, now)


def release_hold(
    session: Session, device: DeviceIdentity, hold_id: str, *, now: datetime
) -> HoldInfo:
    """Give a hold back (the sale was abandoned); a captured hold stays captured."""
    row = session.get(HoldRow, hold_id[:32])
    if row is None or row.store_id != device.store_id:
        raise NotFound(f"no hold {hold_id} at this store")
    if row.status == "active":
        row.status, row.settled_at = "released", now
    return hold_info(row, now)


@dataclass(frozen=True)
class Redemption:
    """A points or stored-value payment of a pushed sale."""

    member: MemberRow
    kind: str
    amount_fen: int
    reference: str
    sale_id: str
    store_id: str


def _offline_hold(session: Session, redemption: Redemption, now: datetime) -> HoldRow:
    reference = redemption.reference
    free = reference and session.get(HoldRow, reference[:32]) is None
    row = HoldRow(
        id=reference[:32] if free else "X" + secrets.token_hex(10),
        member_id=redemption.member.id,
        store_id=redemption.store_id,
        kind=redemption.kind,
        origin="offline",
        amount_fen=redemption.amount_fen,
        points=0,
        status="active",
        created_at=now,
        expires_at=now,
        refunded_fen=0,
        refunded_units=0,
    )
    session.add(row)
    return row


def capture(session: Session, redemption: Redemption, *, now: datetime) -> None:
    """Take what the sale paid with points or stored value off the member's ledger."""
    row = session.get(HoldRow, redemption.reference[:32]) if redemption.reference else None
    if row is None or row.member_id != redemption.member.id or row.kind != redemption.kind:
        row = _offline_hold(session, redemption, now)
    elif row.status not in ("active", "released"):
        log.warning(
            "hold %s named by sale %s is already %s", row.id, redemption.sale_id, row.status
        )
        return
    row.amount_fen = redemption.amount_fen
    if redemption.kind == "points":
        row.points = points_for_fen(points_rules(session), redemption.amount_fen)
    add_units(
        session,
        row.kind,
        row.member_id,
        -_units(row),
        "redemption",
        redemption.sale_id,
        now=now,
        store_id=redemption.store_id,
    )
    row.status, row.sale_id, row.settled_at = "captured", redemption.sale_id, now


def give_back(
    session: Session, reference: str, refunded_fen: int, refund_id: str, *, now: datetime
) -> None:
    """A refund of refunded_fen paid with this hold: give back the same share, never more than
    was captured (a full refund gives back exactly everything)."""
    row = session.get(HoldRow, reference[:32]) if reference else None
    if row is None or row.status != "captured" or row.amount_fen <= 0:
        log.warning("refund %s names hold %r, which was not captured", refund_id, reference)
        return
    row.refunded_fen = min(row.amount_fen, row.refunded_fen + refunded_fen)
    target = _units(row) * row.refunded_fen // row.amount_fen
    delta, row.refunded_units = target - row.refunded_units, target
    add_units(
        session, row.kind, row.member_id, delta, "refund", refund_id, now=now, store_id=row.store_id
    )
