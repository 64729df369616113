"""The members API under /api/v1 for paired tills: find a member (phone, card, dynamic digits),
quick signup, balances, the points rules, and redemption holds. Scoped to the device's store
where it matters (holds); members are chain-wide.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.api import Db, Device, _errors
from mall.db import MallDatabase
from mall.devices import DeviceIdentity
from mall.errors import NotFound
from mall.http import LimitedRoute
from mall.members.holds import create_hold, release_hold
from mall.members.keys import rules_for_tills
from mall.members.ledger import (
    find_by_card,
    find_by_phone,
    get_or_create_member,
    member_by_code,
    member_by_digits,
    member_info,
)
from mall.members.models import MemberRow, ReceiptClaimRow
from mall.members.presentations import record_presentation, require_presentation
from mall.members.rate_limits import count_first, forgive
from mall.members.settings import MemberSettings
from mall.models import utc_now
from sync.member_protocol import (
    ClaimedReceipt,
    ClaimedReceipts,
    HoldInfo,
    HoldRequest,
    MemberInfo,
    MemberLookup,
    MemberSignup,
)
from sync.protocol import ErrorBody, PointsRulesData

router = APIRouter(route_class=LimitedRoute, responses=_errors)  # type: ignore[arg-type]
HoldIdPath = Annotated[str, Path(pattern=r"^[0-9A-Za-z_.-]{1,32}$")]


def limits(request: Request) -> MemberSettings:
    return request.app.state.settings.members


LOOKUPS, LOOKUP_MISSES = "lookup", "lookup_miss"


STALE = "member code (it may have expired: ask for a fresh one)"


def _found(member: MemberRow | None, what: str) -> MemberRow:
    if member is None:
        raise NotFound(f"no member with this {what}")
    return member


@router.post("/members/lookup", responses={429: {"model": ErrorBody}})
def lookup(body: MemberLookup, device: Device, db: Db, request: Request) -> MemberInfo:
    """The member with this phone number, card number, dynamic digits or member QR code; the
    balances only for the digits or the QR, which the member shows (the newest shown only).
    Look-ups per till are limited, and so are those that find nobody (429 until the lockout
    is over), so members cannot be enumerated."""
    now, member_limits = utc_now(), limits(request)
    _count_lookup(db, device, member_limits)
    with db.read() as session:  # a plain read: the balances are kept rows
        member = _find(session, body, now=now, member_limits=member_limits)
        own_code = body.digits is not None or body.code is not None
        info = member_info(session, member, now=now, balances=own_code)
    with db.write() as session:  # short: no ledger or balance is read here
        forgive(session, LOOKUP_MISSES, device.device_id)  # found: not a miss
        if own_code:
            record_presentation(session, device, member.id, now)
    return info


def _find(
    session: Session, body: MemberLookup, *, now: datetime, member_limits: MemberSettings
) -> MemberRow:
    if body.phone is not None:
        return _found(find_by_phone(session, body.phone), "phone number")
    if body.card_no is not None:
        return _found(find_by_card(session, body.card_no), "card number")
    if body.code is not None:
        return _found(member_by_code(session, body.code, now=now, limits=member_limits), STALE)
    found = member_by_digits(
        session,
        body.digits or "",
        now=now,
        step_s=member_limits.member_code_refresh_s,
        ttl_s=member_limits.member_code_ttl_s,
    )
    return _found(found, STALE)


def _count_lookup(db: MallDatabase, device: DeviceIdentity, member_limits: MemberSettings) -> None:
    count_first(
        db,
        LOOKUPS,
        device.device_id,
        limit=member_limits.lookups_per_device_minute,
        window=timedelta(minutes=1),
        message="too many member look-ups from this till; wait a minute",
    )
    count_first(
        db,
        LOOKUP_MISSES,
        device.device_id,
        limit=member_limits.lookup_misses_per_device,
        window=timedelta(seconds=member_limits.lockout_s),
        message="too many look-ups that found nobody from this till; try again later",
    )


@router.post("/members/signup")
def signup(body: MemberSignup, device: Device, db: Db) -> MemberInfo:
    """Quick signup with a phone number; an existing member with that phone is returned
    (without balances: a phone number is no key to them)."""
    now = utc_now()
    with db.write() as session:
        member, created = get_or_create_member(
            session, body.phone, source="till", store_id=device.store_id, name=body.name
        )
        return member_info(session, member, now=now, created=created, balances=created)


@router.get("/members/rules")
def rules(device: Device, db: Db) -> PointsRulesData:
    """The chain's points rules, which the till applies to sales with a member."""
    with db.read() as session:
        return rules_for_tills(session)


@router.post("/members/holds")
def hold(body: HoldRequest, device: Device, db: Db, request: Request) -> HoldInfo:
    """Set points or stored value aside for a sale in progress (409 if not enough is available),
    for a member who showed their own code at this till lately (403 member_code_needed if not)."""
    now, member_limits = utc_now(), limits(request)
    shown_within = timedelta(seconds=member_limits.presented_for_s)
    with db.write() as session:
        require_presentation(session, device, body.member_id, now=now, within=shown_within)
        return create_hold(session, device, body, now=now, ttl_s=member_limits.hold_ttl_s)


@router.post("/members/holds/{hold_id}/release")
def release(hold_id: HoldIdPath, device: Device, db: Db) -> HoldInfo:
    """Give a hold back because its sale was abandoned (a captured hold stays captured)."""
    with db.write() as session:
        return release_hold(session, device, hold_id, now=utc_now())


CLAIMS_PAGE = 500
MAX_CLAIM_ID = 2**62  # ids are SQLite/PostgreSQL 64-bit integers


@router.get("/receipts/claimed")
def claimed_receipts(
    device: Device,
    db: Db,
    after: Annotated[int, Query(ge=0, le=MAX_CLAIM_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = CLAIMS_PAGE,
) -> ClaimedReceipts:
    """This store's receipts claimed in the mini-program since a cursor (the till's QR-claim
    share in its reports); claims voided by the mall are left out."""
    query = (
        select(ReceiptClaimRow)
        .where(
            ReceiptClaimRow.store_id == device.store_id,
            ReceiptClaimRow.id > after,
            ReceiptClaimRow.status != "void",
        )
        .order_by(ReceiptClaimRow.id)
        .limit(limit)
    )
    with db.read() as session:
        rows = list(session.scalars(query))
    claims = [
        ClaimedReceipt(till_id=row.till_id, till_seq=row.till_seq, claimed_at=row.created_at)
        for row in rows
    ]
    return ClaimedReceipts(claims=claims, next_after=rows[-1].id if rows else after)
