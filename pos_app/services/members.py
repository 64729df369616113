"""Members at the till: recognise one (member code checked offline, or phone, card and the
dynamic digits asked of the mall), quick signup (queued for the mall when it is offline), points
and stored value as tenders (a hold at the mall, or offline up to a daily cap), and the balances
this till knows, kept with every member sale for its receipt.

Functions taking a MemberDirectory may block on the network: call them off the GUI thread.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.points import PointsRules, points_for_fen
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.events import queue_event
from pos_app.services.member_directory import (
    MallUnavailable,
    MemberDirectory,
    MemberError,
    MemberNotFound,
    RedemptionRefused,
)
from pos_app.services.points import mall_rules, points_rules, save_rules
from pos_app.services.sale_facts import SaleFacts
from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember, SaleMemberBalance
from pos_app.store.models import Payment, Sale, utc_now
from pos_app.store.settings import get_setting
from sync.member_code import (
    DIGITS_CODE,
    MemberToken,
    looks_like_member_code,
    verify_member_code,
)

if TYPE_CHECKING:  # the contract's models (pydantic) load at first use, after the first screen
    from sync.member_protocol import MemberInfo, MemberLookup

log = logging.getLogger(__name__)

TEL_PREFIX = "tel:"  # a member signed up offline, until the mall knows them
OFFLINE_PREFIX = "OFF"  # the reference of a redemption taken while the mall was offline
PHONE = re.compile(r"^1[3-9][0-9]{9}$")
CARD = re.compile(r"^[0-9]{10}$")
REDEEMING = (TenderKind.POINTS, TenderKind.STORED_VALUE)
CAP_FIELDS = {  # of the mall's rules (PointsRulesData): per member per day while offline
    TenderKind.POINTS: "offline_points_cap",
    TenderKind.STORED_VALUE: "offline_stored_value_cap_fen",
}


@dataclass(frozen=True)
class MemberView:
    """A member as the till shows them; balances None when this till never heard them."""

    member_id: str
    name: str
    tier: str
    phone_tail: str
    card_no: str
    points_balance: int | None
    stored_value_fen: int | None
    source: str

    @property
    def is_pending(self) -> bool:
        """Signed up offline: the mall will create the member when the signup syncs."""
        return self.member_id.startswith(TEL_PREFIX)


def _view(row: KnownMember) -> MemberView:
    return MemberView(
        member_id=row.member_id,
        name=row.name,
        tier=row.tier,
        phone_tail=row.phone_tail,
        card_no=row.card_no,
        points_balance=row.points_balance,
        stored_value_fen=row.stored_value_fen,
        source=row.source,
    )


def _known(session: Session, member_id: str) -> KnownMember:
    row = session.get(KnownMember, member_id)
    if row is None:
        row = KnownMember(member_id=member_id, name="", tier="", phone_tail="", card_no="")
        session.add(row)
    return row


def remember(db: Database, info: MemberInfo) -> MemberView:
    """Keep what the mall just said about a member (balances as the mall knows them now)."""
    with db.write() as session:
        row = _known(session, info.member_id)
        row.name, row.tier, row.phone_tail, row.card_no = (
            info.name,
            info.tier,
            info.phone_tail,
            info.card_no,
        )
        if info.points_available is not None:  # the mall tells balances only for a code
            row.points_balance = info.points_available
        if info.stored_value_available_fen is not None:
            row.stored_value_fen = info.stored_value_available_fen
        row.source, row.known_at = "mall", utc_now()
        return _view(row)


def _remember_token(db: Database, token: MemberToken) -> MemberView:
    with db.write() as session:
        row = _known(session, token.member_id)
        row.tier, row.known_at = token.tier, utc_now()
        if row.source != "mall":
            row.source = "code"
        return _view(row)


def mall_public_key(session: Session) -> bytes:
    """The mall's Ed25519 key for member codes and coupons, as pairing saved it (b"": none)."""
    stored = get_setting(session, "member_code_public_key") or ""
    try:
        return base64.b64decode(stored, validate=True)
    except (binascii.Error, ValueError):
        return b""


def read_member_code(db: Database, code: str, *, now: datetime) -> MemberView:
    """Check a scanned member code offline with the mall's public key (MemberCodeError if it
    is forged, expired or not a member code)."""
    with db.read() as session:
        public_key = mall_public_key(session)
    return _remember_token(db, verify_member_code(code, public_key, now=now))


def _lookup_query(text: str) -> MemberLookup:
    from sync.member_protocol import MemberLookup

    if PHONE.match(text):
        return MemberLookup(phone=text)
    if CARD.match(text):
        return MemberLookup(card_no=text)
    if DIGITS_CODE.match(text):
        return MemberLookup(digits=text)
    raise MemberError(
        f"{text[:24]!r} is not a member code, an 11-digit phone number or a 10-digit card number",
        code="member_lookup_text",
        text=text[:24],
    )


def shows_own_code(text: str) -> bool:
    """A member code (QR) or the dynamic digits: only the member's own phone shows these."""
    text = text.strip()
    return looks_like_member_code(text) or bool(DIGITS_CODE.match(text))


def find_member(
    db: Database, directory: MemberDirectory, text: str, *, now: datetime
) -> MemberView:
    """The member a scanned or typed text names. A member code works offline (the balance is
    refreshed from the mall when it answers); phone, card and digits need the mall."""
    from sync.member_protocol import MemberLookup

    text = text.strip()
    if looks_like_member_code(text):
        view = read_member_code(db, text, now=now)
        try:
            return remember(db, directory.lookup(MemberLookup(code=text)))
        except (MallUnavailable, MemberNotFound):
            return view
    return remember(db, directory.lookup(_lookup_query(text)))


def quick_signup(db: Database, directory: MemberDirectory, phone: str) -> MemberView:
    """Sign a customer up with their phone number. Offline, the signup is queued for the mall
    and the sale names the member "tel:<phone>" until then."""
    from sync.member_protocol import MemberSignup
    from sync.protocol import MemberSignupPayload

    phone = phone.strip()
    if not PHONE.match(phone):
        raise MemberError(
            f"{phone[:24]!r} is not an 11-digit mainland mobile number",
            code="member_phone",
            text=phone[:24],
        )
    try:
        return remember(db, directory.signup(MemberSignup(phone=phone)))
    except MallUnavailable:
        log.info("the mall is offline: signup queued for the mall")
    with db.write() as session:
        queue_event(
            session,
            MemberSignupPayload(
                phone=phone, name="", store_id=till_identity(session).store_id, created_at=utc_now()
            ),
        )
        row = _known(session, TEL_PREFIX + phone)
        row.phone_tail, row.source, row.known_at = phone[-4:], "signup", utc_now()
        row.points_balance, row.stored_value_fen = 0, 0
        return _view(row)


def refresh_rules(db: Database, directory: MemberDirectory) -> PointsRules:
    """Fetch the chain's points rules and offline caps from the mall and keep them for the next
    sales."""
    data = directory.rules()
    with db.write() as session:
        save_rules(session, data)
    return PointsRules.from_dict(data.model_dump())


# -- points and stored value as tenders ----------------------------------------------------------


def _units(kind: TenderKind, amount_fen: int, rules: PointsRules) -> int:
    """What a tender of amount_fen takes from the member: points, or fen of stored value."""
    return points_for_fen(rules, amount_fen) if kind is TenderKind.POINTS else amount_fen


def day_start(session: Session, now: datetime) -> datetime:
    """Midnight of today in the store's time zone."""
    zone = ZoneInfo(get_setting(session, "timezone") or "Asia/Shanghai")
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _offline_used_today(
    session: Session, member_id: str, kind: TenderKind, now: datetime, rules: PointsRules
) -> int:
    amounts = session.scalars(
        select(Payment.amount_fen)
        .join(Sale, Sale.id == Payment.sale_id)
        .where(
            Sale.member_id == member_id,
            Sale.kind == "sale",
            Sale.created_at >= day_start(session, now),
            Payment.kind == str(kind),
            Payment.reference.like(f"{OFFLINE_PREFIX}%"),
        )
    )
    return sum(_units(kind, amount, rules) for amount in amounts)


def _offline_tender(
    db: Database,
    member_id: str,
    kind: TenderKind,
    amount_fen: int,
    pending: Sequence[Tender],
    now: datetime,
) -> Tender:
    with db.read() as session:
        from_mall = mall_rules(session)
        cap = int(from_mall.get(CAP_FIELDS[kind], 0))
        rules = PointsRules.from_dict(from_mall)
        used = _offline_used_today(session, member_id, kind, now, rules)
        known = known_member(session, member_id)
    balance = None
    if known is not None:
        balance = known.points_balance if kind is TenderKind.POINTS else known.stored_value_fen
    held = sum(_units(kind, t.amount_fen, rules) for t in pending if t.kind is kind)
    units = _units(kind, amount_fen, rules)
    if cap <= 0:
        raise RedemptionRefused(
            f"The mall is offline: {kind.label} cannot pay until it is back",
            code="redeem_offline",
            kind=kind.value,
        )
    if balance is None or units + held > balance:
        raise RedemptionRefused(
            f"The mall is offline and this till knows of only {max(balance or 0, 0) - held} "
            f"{kind.label.lower()} for this member",
            code="redeem_offline_balance",
            kind=kind.value,
            left=max(balance or 0, 0) - held,
        )
    if used + held + units > cap:
        raise RedemptionRefused(
            f"Offline limit reached: at most {cap} per member per day while the mall is offline "
            f"({used + held} used today)",
            code="redeem_offline_cap",
            cap=cap,
            used=used + held,
        )
    return Tender(kind, amount_fen, OFFLINE_PREFIX + uuid.uuid4().hex[:20])


def redeem(
    db: Database,
    directory: MemberDirectory,
    *,
    member_id: str,
    kind: TenderKind,
    amount_fen: int,
    request_id: str,
    pending: Sequence[Tender] = (),
    now: datetime,
) -> Tender:
    """A points or stored-value tender: held at the mall (captured when the sale syncs), or,
    with the mall offline, taken within the daily offline cap (settled when the sale syncs).
    pending: the tenders already taken for this sale."""
    from sync.member_protocol import HoldRequest

    if member_id.startswith(TEL_PREFIX):
        raise RedemptionRefused(
            "A member who signed up offline cannot redeem until the mall knows them",
            code="redeem_offline_signup",
        )
    request = HoldRequest(
        request_id=request_id,
        member_id=member_id,
        kind="points" if kind is TenderKind.POINTS else "stored_value",
        amount_fen=amount_fen,
    )
    try:
        hold = directory.hold(request)
    except MallUnavailable:
        return _offline_tender(db, member_id, kind, amount_fen, pending, now)
    return Tender(kind, amount_fen, hold.hold_id)


def release_holds(directory: MemberDirectory, tenders: Sequence[Tender]) -> int:
    """Give back the holds of an abandoned sale; returns how many the mall released (the rest
    expire by themselves)."""
    released = 0
    for tender in tenders:
        if tender.kind in REDEEMING and not tender.reference.startswith(OFFLINE_PREFIX):
            try:
                directory.release(tender.reference)
                released += 1
            except MemberError as error:
                log.warning("hold not released now (it expires by itself): %s", error)
    return released


def redeemed_fen(tenders: Sequence[Tender]) -> int:
    """What points and stored value pay of a sale (they earn no points)."""
    return sum(t.amount_fen for t in tenders if t.kind in REDEEMING)


# -- balances kept with each sale -----------------------------------------------------------------


def record_member_sale(session: Session, sale: SaleFacts) -> None:
    """Move the known balances by what this sale or refund did, and keep them for its receipt
    (inside the checkout or refund transaction)."""
    if not sale.member_id:
        return
    rules = points_rules(session)
    points_delta = sale.points_earned
    stored_delta = 0
    for payment in sale.payments:
        sign = 1 if payment.amount_fen > 0 else -1
        if payment.kind == TenderKind.POINTS:
            points_delta -= sign * points_for_fen(rules, abs(payment.amount_fen))
        elif payment.kind == TenderKind.STORED_VALUE:
            stored_delta -= payment.amount_fen
    known = session.get(KnownMember, sale.member_id)
    if known is not None and known.points_balance is not None:
        known.points_balance += points_delta
    if known is not None and known.stored_value_fen is not None:
        known.stored_value_fen += stored_delta
    session.add(
        SaleMemberBalance(
            sale_id=sale.id,
            member_id=sale.member_id,
            points_balance=known.points_balance if known is not None else None,
            stored_value_fen=known.stored_value_fen if known is not None else None,
        )
    )


def balance_after(session: Session, sale_id: int) -> int | None:
    """The points balance printed on a member receipt (as known right after the sale)."""
    row = session.get(SaleMemberBalance, sale_id)
    return None if row is None else row.points_balance


def known_member(session: Session, member_id: str) -> MemberView | None:
    row = session.get(KnownMember, member_id)
    return None if row is None else _view(row)
