"""The member center of a customer: becoming a member with the WeChat phone number, balances,
the member code the till verifies (signed QR + dynamic digits), points history and the
receipts the member claimed. Reuses the members' ledger and claims."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mall.customer.models import CustomerOrderRow, CustomerRow
from mall.customer.schemas import (
    ClaimAnswer,
    ClaimedReceipt,
    LedgerEntry,
    Member,
    MemberCode,
    TopUpTierView,
)
from mall.customer.stores import SHOP_TIME
from mall.errors import MallError
from mall.members.claims import ClaimRefused, ReceiptView, claim_receipt, token_of_link
from mall.members.keys import top_up_tiers
from mall.members.ledger import (
    POINTS_SOURCE_TEXT,
    get_or_create_member,
    member_info,
    show_member_code,
)
from mall.members.models import MemberRow, PointsEntryRow, ReceiptClaimRow
from mall.members.settings import MemberSettings
from mall.members.top_ups import top_up_offer
from mall.models import OrderRow, StoreRow
from pos_app.domain.top_up import tier_label
from sync.status import OPEN_ORDER_STATUSES

HISTORY_ROWS = 50


class NotMember(MallError):
    def __init__(self) -> None:
        super().__init__(404, "not_member", "您还不是会员，授权手机号即可成为会员")


class ClaimNotTaken(MallError):
    def __init__(self, view: ReceiptView) -> None:
        super().__init__(409, f"receipt_{view.state}", view.message)


def member_of(session: Session, customer: CustomerRow) -> MemberRow:
    member = session.get(MemberRow, customer.member_id) if customer.member_id else None
    if member is None:
        raise NotMember()
    return member


def member_view(session: Session, member: MemberRow, *, now: datetime) -> Member:
    info = member_info(session, member, now=now)
    return Member(
        member_id=member.id,
        card_no=member.card_no,
        name=member.name,
        tier=member.tier,
        phone_tail=info.phone_tail,
        points=info.points_balance or 0,
        points_available=info.points_available or 0,
        stored_value_fen=info.stored_value_fen or 0,
        stored_value_available_fen=info.stored_value_available_fen or 0,
        top_up_offer=top_up_offer(session),
        top_up_tiers=[
            TopUpTierView(pay_fen=t.pay_fen, bonus_fen=t.bonus_fen, label=tier_label(t))
            for t in top_up_tiers(session)
        ],
    )


def bind_phone(
    session: Session, customer: CustomerRow, phone: str, *, store_id: str | None
) -> MemberRow:
    """The member with this phone (created if new) becomes the customer's; the customer's open
    orders earn their points for that member."""
    known_store = store_id if store_id and session.get(StoreRow, store_id) else None
    member, _created = get_or_create_member(session, phone, source="mp", store_id=known_store)
    customer.member_id = member.id
    mine = select(CustomerOrderRow.order_id).where(CustomerOrderRow.customer_id == customer.id)
    session.execute(
        update(OrderRow)
        .where(
            OrderRow.id.in_(mine),
            OrderRow.status.in_(OPEN_ORDER_STATUSES),
            OrderRow.member_id.is_(None),
        )
        .values(member_id=member.id)
    )
    return member


def code_for(
    session: Session, member: MemberRow, *, now: datetime, limits: MemberSettings
) -> MemberCode:
    """A fresh code to show at the till; the digits shown before stop working."""
    shown = show_member_code(session, member, now=now, limits=limits)
    return MemberCode(
        code=shown.code,
        digits=shown.digits,
        expires_in=limits.member_code_ttl_s,
        refresh_in=limits.member_code_refresh_s,
    )


def points_history(session: Session, member: MemberRow) -> list[LedgerEntry]:
    entries = session.scalars(
        select(PointsEntryRow)
        .where(PointsEntryRow.member_id == member.id)
        .order_by(PointsEntryRow.id.desc())
        .limit(HISTORY_ROWS)
    )
    return [
        LedgerEntry(
            at=entry.created_at.astimezone(SHOP_TIME),
            delta=entry.delta,
            source=entry.source,
            text=POINTS_SOURCE_TEXT.get(entry.source, entry.source),
        )
        for entry in entries
    ]


def claim(
    session: Session,
    member: MemberRow,
    link: str,
    *,
    now: datetime,
    limits: MemberSettings,
    ip: str,
) -> ClaimAnswer:
    """Claim a scanned receipt's points for the member, once."""
    try:
        view = claim_receipt(session, token_of_link(link), member, now=now, limits=limits, ip=ip)
    except ClaimRefused as refused:
        raise ClaimNotTaken(refused.view) from refused
    return ClaimAnswer(
        state=str(view.state), message=view.message, points=view.points, store_name=view.store_name
    )


def claimed_receipts(session: Session, member: MemberRow) -> list[ClaimedReceipt]:
    rows = session.execute(
        select(ReceiptClaimRow, StoreRow.name)
        .outerjoin(StoreRow, StoreRow.id == ReceiptClaimRow.store_id)
        .where(ReceiptClaimRow.member_id == member.id)
        .order_by(ReceiptClaimRow.id.desc())
        .limit(HISTORY_ROWS)
    ).all()
    return [
        ClaimedReceipt(
            store_name=name or row.store_id,
            till_id=row.till_id,
            till_seq=row.till_seq,
            amount_fen=row.amount_fen,
            status=row.status,
            points=row.points - row.reversed_points,
            claimed_at=row.created_at.astimezone(SHOP_TIME),
        )
        for row, name in rows
    ]
