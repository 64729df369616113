"""Members of the chain and their ledgers: one member per phone number, points and stored value
as ledgers of entries (a balance is always the sum of its entries), points that expire first
in, first out, and the codes a member shows at the counter.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.members.keys import digits_secret, member_code_private_key, points_rules
from mall.members.models import HoldRow, MemberRow, PointsEntryRow, StoredValueEntryRow
from pos_app.domain.member_code import sign_member_code
from sync.member_protocol import MemberInfo

PHONE = re.compile(r"^1[3-9][0-9]{9}$")  # a mainland mobile number
CARD_DIGITS = 10
DIGITS_MODULUS = 10**7
TEL_PREFIX = "tel:"
LOGGED_OUT_STEP = -1  # how a till names a member it signed up offline


def find_by_phone(session: Session, phone: str) -> MemberRow | None:
    return session.scalar(select(MemberRow).where(MemberRow.phone == phone))


def find_by_card(session: Session, card_no: str) -> MemberRow | None:
    return session.scalar(select(MemberRow).where(MemberRow.card_no == card_no))


def _new_card_no(session: Session) -> str:
    while True:
        card = str(secrets.randbelow(9 * 10 ** (CARD_DIGITS - 1)) + 10 ** (CARD_DIGITS - 1))
        if find_by_card(session, card) is None:
            return card


def get_or_create_member(
    session: Session, phone: str, *, source: str, store_id: str | None = None, name: str = ""
) -> tuple[MemberRow, bool]:
    """The member with this phone, created if there is none; (member, created)."""
    member = find_by_phone(session, phone)
    if member is not None:
        return member, False
    member = MemberRow(
        id="M" + secrets.token_hex(6).upper(),
        phone=phone,
        card_no=_new_card_no(session),
        name=name,
        tier="",
        source=source,
        store_id=store_id,
    )
    session.add(member)
    session.flush()
    return member, True


def resolve_member(session: Session, member_ref: str, *, store_id: str) -> MemberRow | None:
    """The member a till's sale names: a member id, or "tel:<phone>" for an offline signup."""
    if member_ref.startswith(TEL_PREFIX):
        phone = member_ref[len(TEL_PREFIX) :]
        if not PHONE.match(phone):
            return None
        return get_or_create_member(session, phone, source="till", store_id=store_id)[0]
    return session.get(MemberRow, member_ref)


# -- ledgers ---------------------------------------------------------------------------------


def add_units(
    session: Session,
    kind: str,
    member_id: str,
    delta: int,
    source: str,
    ref: str,
    *,
    now: datetime,
    store_id: str | None = None,
) -> None:
    """Append one entry to the points ledger (kind "points"; a positive entry expires after the
    chain's expiry_days) or to the stored-value ledger (fen)."""
    if delta == 0:
        return
    common = {"member_id": member_id, "source": source, "ref": ref, "store_id": store_id}
    if kind == "points":
        days = points_rules(session).expiry_days
        expires = now + timedelta(days=days) if delta > 0 and days else None
        session.add(PointsEntryRow(delta=delta, created_at=now, expires_at=expires, **common))
    else:
        session.add(StoredValueEntryRow(delta_fen=delta, created_at=now, **common))
    session.flush()


def points_balance(session: Session, member_id: str) -> int:
    query = select(func.coalesce(func.sum(PointsEntryRow.delta), 0))
    return int(session.scalar(query.where(PointsEntryRow.member_id == member_id)) or 0)


def stored_value_balance(session: Session, member_id: str) -> int:
    query = select(func.coalesce(func.sum(StoredValueEntryRow.delta_fen), 0))
    return int(session.scalar(query.where(StoredValueEntryRow.member_id == member_id)) or 0)


def held(session: Session, member_id: str, kind: str, now: datetime) -> int:
    """Points (or fen) set aside by active holds that have not expired."""
    column = HoldRow.points if kind == "points" else HoldRow.amount_fen
    query = select(func.coalesce(func.sum(column), 0)).where(
        HoldRow.member_id == member_id,
        HoldRow.kind == kind,
        HoldRow.status == "active",
        HoldRow.expires_at > now,
    )
    return int(session.scalar(query) or 0)


def fifo_expired(lots: Sequence[tuple[int, datetime | None]], spent: int, now: datetime) -> int:
    """How many points have expired: lots (amount, expires_at) in the order earned are used up
    oldest first by `spent` (every negative entry so far, earlier expiries included); what is
    left of a lot past its expiry has expired."""
    expired = 0
    for amount, expires_at in lots:
        used = min(amount, spent)
        spent -= used
        if expires_at is not None and expires_at <= now:
            expired += amount - used
    return expired


def apply_expiry(session: Session, member_id: str, now: datetime) -> int:
    """Write an expiry entry for points past their date (first in, first out); returns them."""
    rows = session.execute(
        select(PointsEntryRow.delta, PointsEntryRow.expires_at)
        .where(PointsEntryRow.member_id == member_id)
        .order_by(PointsEntryRow.id)
    ).all()
    lots = [(delta, expires_at) for delta, expires_at in rows if delta > 0]
    spent = -sum(delta for delta, _ in rows if delta < 0)
    expired = fifo_expired(lots, spent, now)
    add_units(session, "points", member_id, -expired, "expiry", now.date().isoformat(), now=now)
    return expired


def member_info(
    session: Session,
    member: MemberRow,
    *,
    now: datetime,
    created: bool = False,
    balances: bool = True,
) -> MemberInfo:
    """The member as a till sees them; without balances unless the till has shown the member's
    own code (balances=True)."""
    info = MemberInfo(
        member_id=member.id,
        name=member.name,
        tier=member.tier,
        phone_tail=member.phone[-4:],
        card_no=member.card_no,
        created=created,
    )
    if not balances:
        return info
    points = points_balance(session, member.id)
    stored = stored_value_balance(session, member.id)
    return info.model_copy(
        update={
            "points_balance": points,
            "points_available": points - held(session, member.id, "points", now),
            "stored_value_fen": stored,
            "stored_value_available_fen": stored - held(session, member.id, "stored_value", now),
        }
    )


# -- codes shown at the counter ---------------------------------------------------------------


def member_code(session: Session, member: MemberRow, *, now: datetime, ttl_s: int) -> str:
    """A signed member code (QR) for the member, valid ttl_s from now."""
    return sign_member_code(
        member_id=member.id,
        tier=member.tier,
        expires_at=now + timedelta(seconds=ttl_s),
        private_key=member_code_private_key(session),
    )


def _digits_at(secret: bytes, card_no: str, step: int) -> str:
    mac = hmac.new(secret, f"{card_no}:{step}".encode(), hashlib.sha256).digest()
    return f"8{card_no}{int.from_bytes(mac[:8], 'big') % DIGITS_MODULUS:07d}"


def member_digits(session: Session, member: MemberRow, *, now: datetime, step_s: int) -> str:
    """The 18 digits under the QR code: 8, the card number, and a code that changes each step.
    Showing them makes every digits shown before invalid (write session)."""
    step = int(now.timestamp()) // step_s
    member.code_step = step
    return _digits_at(digits_secret(session), member.card_no, step)


def forget_digits(member: MemberRow) -> None:
    """No digits shown so far work any more (the member logged out)."""
    member.code_step = LOGGED_OUT_STEP


def member_by_digits(
    session: Session, digits: str, *, now: datetime, step_s: int, ttl_s: int
) -> MemberRow | None:
    """The member whose digits these are, if they are the last the member page showed and were
    shown within the last ttl_s (a screenshot of older digits does not work)."""
    member = find_by_card(session, digits[1 : 1 + CARD_DIGITS])
    if member is None or member.code_step is None:
        return None
    step = int(now.timestamp()) // step_s
    if not step - max(1, ttl_s // step_s) <= member.code_step <= step:
        return None
    expected = _digits_at(digits_secret(session), member.card_no, member.code_step)
    return member if hmac.compare_digest(expected, digits) else None
