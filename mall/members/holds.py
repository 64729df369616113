"""Redemption holds: points or stored value set aside while a sale is being paid at the till.

A hold is created online (POST /members/holds) by one device for one member, captured once by
the sale of that device that names it in a payment's reference (never for more than it holds),
released when the sale is abandoned, and expires by itself. A redemption without such a hold was
made offline: it is taken within the chain's daily cap per member and recorded as an offline
hold; what is over the cap, or names someone else's hold, is not taken and is left for review
(the sale itself still counts). A refund gives back the share of a hold its sale captured.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.devices import DeviceIdentity
from mall.errors import NotFound, Refused
from mall.members.keys import offline_caps, points_rules
from mall.members.ledger import (
    add_units,
    apply_expiry,
    held,
    points_balance,
    stored_value_balance,
)
from mall.members.models import HoldRow, MemberRow
from mall.payments.reconcile import CHINA
from pos_app.domain.money import format_fen
from pos_app.domain.points import points_for_fen
from sync.member_protocol import HoldInfo, HoldRequest

log = logging.getLogger(__name__)
HOLD_KINDS = ("points", "stored_value")
OFFLINE_PREFIX = "OFF"  # the till's reference of an offline redemption


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
    """A points or stored-value payment of a pushed sale, by the device that pushed it."""

    member: MemberRow
    kind: str
    amount_fen: int
    reference: str
    sale_id: str
    device: DeviceIdentity


class Unsettled(Exception):
    """What a redemption claimed that the mall did not take from the member (for review)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _own_hold(session: Session, redemption: Redemption) -> HoldRow | None:
    """The active hold the payment names, if it was made by this device for this member and
    kind (locked: it is captured once)."""
    if not redemption.reference or redemption.reference.startswith(OFFLINE_PREFIX):
        return None
    row = session.scalar(
        select(HoldRow).where(HoldRow.id == redemption.reference[:32]).with_for_update()
    )
    if row is None or row.origin != "online":
        return None
    mine = (row.store_id, row.device_id, row.member_id, row.kind) == (
        redemption.device.store_id,
        redemption.device.device_id,
        redemption.member.id,
        redemption.kind,
    )
    if not mine or row.status != "active":
        raise Unsettled(
            "hold_not_usable",
            f"payment names hold {row.id}, which is {row.status} and "
            f"{'this' if mine else 'another'} device's; nothing was taken from the member",
        )
    return row


def _offline_spent_today(session: Session, member_id: str, kind: str, now: datetime) -> int:
    day_start = datetime.combine(now.astimezone(CHINA).date(), time(), CHINA)
    column = HoldRow.points if kind == "points" else HoldRow.amount_fen
    query = select(func.coalesce(func.sum(column), 0)).where(
        HoldRow.member_id == member_id,
        HoldRow.kind == kind,
        HoldRow.origin == "offline",
        HoldRow.created_at >= day_start,
    )
    return int(session.scalar(query) or 0)


def _offline_hold(session: Session, redemption: Redemption, units: int, now: datetime) -> HoldRow:
    """Record a redemption made while the mall was offline, within the member's daily cap and
    what the member has (all or nothing: an over-cap spend is left for review)."""
    member, kind = redemption.member, redemption.kind
    cap = offline_caps(session)[kind]
    spent = _offline_spent_today(session, member.id, kind, now)
    if spent + units > cap:
        raise Unsettled(
            "offline_over_cap",
            f"offline {kind} of {units} without a hold; {spent} of the daily cap {cap} used",
        )
    _check_available(session, member, kind, units, now)
    row = HoldRow(
        id="X" + secrets.token_hex(10),
        member_id=member.id,
        store_id=redemption.device.store_id,
        device_id=redemption.device.device_id,
        kind=kind,
        origin="offline",
        amount_fen=redemption.amount_fen,
        points=units if kind == "points" else 0,
        status="active",
        created_at=now,
        expires_at=now,
        refunded_fen=0,
        refunded_units=0,
    )
    session.add(row)
    return row


def capture(session: Session, redemption: Redemption, *, now: datetime) -> None:
    """Take what the sale paid with points or stored value off the member's ledger: from a hold
    this device made for this member (at most what it holds, once), or, without one, as an
    offline redemption within the daily cap. Raises Unsettled for what was not taken."""
    row = _own_hold(session, redemption)
    rules = points_rules(session)
    if row is None:
        units = (
            points_for_fen(rules, redemption.amount_fen)
            if redemption.kind == "points"
            else redemption.amount_fen
        )
        try:
            row = _offline_hold(session, redemption, units, now)
        except Refused as refused:
            raise Unsettled(refused.code, refused.message) from None
    elif redemption.amount_fen > row.amount_fen:
        raise Unsettled(
            "redemption_over_hold",
            f"payment of {redemption.amount_fen} fen names hold {row.id} of {row.amount_fen} fen; "
            "nothing was taken from the member",
        )
    else:
        row.amount_fen = redemption.amount_fen
        if row.kind == "points":
            row.points = points_for_fen(rules, redemption.amount_fen)
    add_units(
        session,
        row.kind,
        row.member_id,
        -_units(row),
        "redemption",
        redemption.sale_id,
        now=now,
        store_id=row.store_id,
    )
    row.status, row.sale_id, row.settled_at = "captured", redemption.sale_id, now


def give_back(
    session: Session,
    original_sale_id: str,
    reference: str,
    refunded_fen: int,
    refund_id: str,
    *,
    now: datetime,
) -> None:
    """A refund of refunded_fen paid with this hold: give back the same share, never more than
    was captured (a full refund gives back exactly everything). Only a hold the refunded sale
    captured gives anything back."""
    row = (
        session.scalar(select(HoldRow).where(HoldRow.id == reference[:32]).with_for_update())
        if reference
        else None
    )
    if row is None or row.status != "captured" or row.sale_id != original_sale_id:
        raise Unsettled(
            "refund_hold_unknown",
            f"refund names hold {reference!r}, which the refunded sale did not capture",
        )
    if row.amount_fen <= 0:
        return
    row.refunded_fen = min(row.amount_fen, row.refunded_fen + refunded_fen)
    target = _units(row) * row.refunded_fen // row.amount_fen
    delta, row.refunded_units = target - row.refunded_units, target
    add_units(
        session, row.kind, row.member_id, delta, "refund", refund_id, now=now, store_id=row.store_id
    )
