"""Members of the chain and their ledgers: one member per phone number, points and stored value
as ledgers of entries (a balance is always the sum of its entries, kept in member_balances in
the same transaction as each entry), points that expire first in, first out, and the codes a
member shows at the counter.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.orm import Session

from mall.db import upsert
from mall.members.keys import (
    digits_secret,
    member_code_private_key,
    member_code_public_key,
    points_rules,
)
from mall.members.models import (
    HoldRow,
    MemberBalanceRow,
    MemberRow,
    PointsEntryRow,
    StoredValueEntryRow,
)
from mall.members.settings import MemberSettings
from sync.member_code import MemberCodeError, sign_member_code, verify_member_code
from sync.member_protocol import MemberInfo

PHONE = re.compile(r"^1[3-9][0-9]{9}$")  # a mainland mobile number
CARD_DIGITS = 10
DIGITS_MODULUS = 10**7
TEL_PREFIX = "tel:"
LOGGED_OUT_STEP = -1  # how a till names a member it signed up offline
POINTS_SOURCE_TEXT = {  # a points entry's source as the member reads it
    "sale": "消费积分",
    "refund": "退货扣回",
    "claim": "小票领取",
    "redemption": "积分抵现",
    "expiry": "积分过期",
    "adjustment": "积分调整",
}


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
    entry = {"member_id": member_id, "delta": delta, "source": source, "ref": ref}
    add_entries(session, kind, [{**entry, "store_id": store_id}], now=now)


def add_entries(
    session: Session, kind: str, entries: Sequence[dict[str, Any]], *, now: datetime
) -> None:
    """Append ledger entries (member_id, delta, source, ref, store_id) of one kind and move the
    members' balance rows by them in the same transaction (members in id order, so two pushes
    wait for each other instead of deadlocking)."""
    if not entries:
        return
    days = points_rules(session).expiry_days if kind == "points" else 0
    expires = now + timedelta(days=days) if days else None
    if kind == "points":
        rows = [
            {"created_at": now, "expires_at": expires if e["delta"] > 0 else None, **e}
            for e in entries
        ]
        session.execute(insert(PointsEntryRow), rows)
    else:
        rows = [{"created_at": now, **_stored_value_entry(e)} for e in entries]
        session.execute(insert(StoredValueEntryRow), rows)
    totals = Counter[str]()
    earned = set()
    for entry in entries:
        totals[entry["member_id"]] += entry["delta"]
        if entry["delta"] > 0:
            earned.add(entry["member_id"])
    column = "points" if kind == "points" else "stored_value_fen"
    for member_id, delta in sorted(totals.items()):
        check_at = expires if member_id in earned else None
        values = {"points": 0, "stored_value_fen": 0, column: delta}
        row = upsert(session, MemberBalanceRow).values(
            member_id=member_id, points_check_at=check_at, **values
        )
        kept = MemberBalanceRow.points_check_at
        moved: dict[str, Any] = {column: getattr(MemberBalanceRow, column) + delta}
        if check_at is not None:  # the new lot may expire before what was kept
            moved["points_check_at"] = case(
                (kept.is_(None), row.excluded.points_check_at),
                (kept > row.excluded.points_check_at, row.excluded.points_check_at),
                else_=kept,
            )
        session.execute(
            row.on_conflict_do_update(index_elements=[MemberBalanceRow.member_id], set_=moved)
        )


def _stored_value_entry(entry: dict[str, Any]) -> dict[str, Any]:
    values = {key: value for key, value in entry.items() if key != "delta"}
    return {**values, "delta_fen": entry["delta"]}


def balance_row(session: Session, member_id: str) -> MemberBalanceRow | None:
    """The member's kept balances as they are now (one row by key, read again each time: the
    ledger functions move it with SQL, not through the session)."""
    return session.get(MemberBalanceRow, member_id, populate_existing=True)


def points_balance(session: Session, member_id: str) -> int:
    row = balance_row(session, member_id)
    return row.points if row is not None else 0


def stored_value_balance(session: Session, member_id: str) -> int:
    row = balance_row(session, member_id)
    return row.stored_value_fen if row is not None else 0


def balance_differences(session: Session) -> list[tuple[str, int, int, int, int]]:
    """(member, kept points, ledger points, kept fen, ledger fen) wherever member_balances
    disagrees with the ledgers (a member with entries but no row counts as kept 0)."""
    points = (
        select(PointsEntryRow.member_id, func.sum(PointsEntryRow.delta).label("total"))
        .group_by(PointsEntryRow.member_id)
        .subquery()
    )
    fen = (
        select(
            StoredValueEntryRow.member_id, func.sum(StoredValueEntryRow.delta_fen).label("total")
        )
        .group_by(StoredValueEntryRow.member_id)
        .subquery()
    )
    kept_points = func.coalesce(MemberBalanceRow.points, 0)
    kept_fen = func.coalesce(MemberBalanceRow.stored_value_fen, 0)
    ledger_points = func.coalesce(points.c.total, 0)
    ledger_fen = func.coalesce(fen.c.total, 0)
    rows = session.execute(
        select(MemberRow.id, kept_points, ledger_points, kept_fen, ledger_fen)
        .outerjoin(MemberBalanceRow, MemberBalanceRow.member_id == MemberRow.id)
        .outerjoin(points, points.c.member_id == MemberRow.id)
        .outerjoin(fen, fen.c.member_id == MemberRow.id)
        .where(or_(kept_points != ledger_points, kept_fen != ledger_fen))
        .order_by(MemberRow.id)
    ).all()
    return [(str(m), int(a), int(b), int(c), int(d)) for m, a, b, c, d in rows]


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


def fifo_remaining(lots: Sequence[tuple[int, datetime | None]], spent: int) -> list[int]:
    """What is left of each lot (amount, expires_at), in the order earned, once `spent` (every
    negative entry so far, earlier expiries included) used them up oldest first."""
    left = []
    for amount, _expires_at in lots:
        used = min(amount, spent)
        spent -= used
        left.append(amount - used)
    return left


def fifo_expired(lots: Sequence[tuple[int, datetime | None]], spent: int, now: datetime) -> int:
    """How many points have expired: what is left of each lot past its expiry."""
    left = fifo_remaining(lots, spent)
    return sum(
        rest
        for (_amount, expires_at), rest in zip(lots, left, strict=True)
        if expires_at is not None and expires_at <= now
    )


def _lots(session: Session, member_id: str) -> tuple[list[tuple[int, datetime | None]], int]:
    rows = session.execute(
        select(PointsEntryRow.delta, PointsEntryRow.expires_at)
        .where(PointsEntryRow.member_id == member_id)
        .order_by(PointsEntryRow.id)
    ).all()
    lots = [(delta, expires_at) for delta, expires_at in rows if delta > 0]
    return lots, -sum(delta for delta, _ in rows if delta < 0)


def _due(row: MemberBalanceRow | None, now: datetime) -> bool:
    return row is not None and row.points_check_at is not None and row.points_check_at <= now


def expiring_points(session: Session, member_id: str, now: datetime) -> int:
    """Points past their date not yet written off (read only): 0 without reading the ledger
    until the member's check time; the expiry job writes them off soon after."""
    if not _due(balance_row(session, member_id), now):
        return 0
    lots, spent = _lots(session, member_id)
    return fifo_expired(lots, spent, now)


def apply_expiry(session: Session, member_id: str, now: datetime) -> int:
    """Write an expiry entry for points past their date (first in, first out) and the next time
    to look; returns the points expired. Reads the ledger only when the member's check is due."""
    row = balance_row(session, member_id)
    if not _due(row, now):
        return 0
    lots, spent = _lots(session, member_id)
    expired = fifo_expired(lots, spent, now)
    add_units(session, "points", member_id, -expired, "expiry", now.date().isoformat(), now=now)
    left = fifo_remaining(lots, spent + expired)
    upcoming = [
        expires_at
        for (_amount, expires_at), rest in zip(lots, left, strict=True)
        if rest > 0 and expires_at is not None
    ]
    session.execute(
        update(MemberBalanceRow)
        .where(MemberBalanceRow.member_id == member_id)
        .values(points_check_at=min(upcoming, default=None))
    )
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
    row = balance_row(session, member.id)
    points = (row.points if row else 0) - expiring_points(session, member.id, now)
    stored = row.stored_value_fen if row else 0
    return info.model_copy(
        update={
            "points_balance": points,
            "points_available": points - held(session, member.id, "points", now),
            "stored_value_fen": stored,
            "stored_value_available_fen": stored - held(session, member.id, "stored_value", now),
        }
    )


# -- codes shown at the counter ---------------------------------------------------------------


@dataclass(frozen=True)
class ShownCode:
    """What the member page shows at the counter: the signed QR code and the digits under it."""

    code: str
    digits: str


def show_member_code(
    session: Session, member: MemberRow, *, now: datetime, limits: MemberSettings
) -> ShownCode:
    """A fresh QR code (valid member_code_ttl_s) and digits for the member page. Showing them
    makes every code and digits shown before invalid (write session)."""
    code = sign_member_code(
        member_id=member.id,
        tier=member.tier,
        expires_at=now + timedelta(seconds=limits.member_code_ttl_s),
        private_key=member_code_private_key(session),
    )
    return ShownCode(
        code, member_digits(session, member, now=now, step_s=limits.member_code_refresh_s)
    )


def _digits_at(secret: bytes, card_no: str, step: int) -> str:
    mac = hmac.new(secret, f"{card_no}:{step}".encode(), hashlib.sha256).digest()
    return f"8{card_no}{int.from_bytes(mac[:8], 'big') % DIGITS_MODULUS:07d}"


def member_digits(session: Session, member: MemberRow, *, now: datetime, step_s: int) -> str:
    """The 18 digits under the QR code: 8, the card number, and a code that changes each step."""
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


def member_by_code(
    session: Session, code: str, *, now: datetime, limits: MemberSettings
) -> MemberRow | None:
    """The member whose signed QR code this is, if it is genuine, unexpired and the last the
    member page showed (a screenshot of an older code does not work, nor one after log-out)."""
    try:
        token = verify_member_code(code, member_code_public_key(session), now=now)
    except MemberCodeError:
        return None
    member = session.get(MemberRow, token.member_id)
    shown_at = int(token.expires_at.timestamp()) - limits.member_code_ttl_s
    if member is None or member.code_step != shown_at // limits.member_code_refresh_s:
        return None
    return member
