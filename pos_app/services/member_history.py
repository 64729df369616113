"""Members in the owner's back office: find a member this till knows, with what they bought here
and their balance as last heard from the mall (the mall's ledger is the truth; DESIGN §7). Each
function takes the Database and opens its own read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select

from pos_app.store.db import Database
from pos_app.store.member_models import KnownMember
from pos_app.store.models import Sale

SEARCH_LIMIT = 50
HISTORY_LIMIT = 200


@dataclass(frozen=True)
class MemberSummary:
    member_id: str
    name: str
    tier: str
    phone_tail: str
    card_no: str
    points_balance: int | None  # as last known; None if the mall never told this till
    stored_value_fen: int | None
    known_at: datetime
    purchases: int
    spent_fen: int


@dataclass(frozen=True)
class Purchase:
    sale_no: str
    kind: str
    created_at: datetime
    total_fen: int
    points_earned: int


def _matches(text: str) -> ColumnElement[bool]:
    if text.isdigit() and len(text) <= 4:
        return KnownMember.phone_tail == text
    pattern = f"%{text}%"
    return or_(
        KnownMember.name.like(pattern),
        KnownMember.card_no == text,
        KnownMember.member_id.like(f"{text}%"),
    )


def search_members(db: Database, text: str, *, limit: int = SEARCH_LIMIT) -> list[MemberSummary]:
    """Members whose phone's last four digits, name, card number or id match the text."""
    totals = (
        select(Sale.member_id, func.count().label("n"), func.sum(Sale.total_fen).label("fen"))
        .where(Sale.member_id.is_not(None))
        .group_by(Sale.member_id)
        .subquery()
    )
    query = (
        select(KnownMember, totals.c.n, totals.c.fen)
        .outerjoin(totals, totals.c.member_id == KnownMember.member_id)
        .order_by(KnownMember.known_at.desc())
        .limit(limit)
    )
    text = text.strip()
    if text:
        query = query.where(_matches(text))
    with db.read() as session:
        return [
            MemberSummary(
                member_id=member.member_id,
                name=member.name,
                tier=member.tier,
                phone_tail=member.phone_tail,
                card_no=member.card_no,
                points_balance=member.points_balance,
                stored_value_fen=member.stored_value_fen,
                known_at=member.known_at,
                purchases=count or 0,
                spent_fen=spent or 0,
            )
            for member, count, spent in session.execute(query)
        ]


def member_purchases(db: Database, member_id: str, *, limit: int = HISTORY_LIMIT) -> list[Purchase]:
    """The member's sales and refunds at this till, newest first (uses ix_sales_member_id)."""
    query = (
        select(Sale.sale_no, Sale.kind, Sale.created_at, Sale.total_fen, Sale.points_earned)
        .where(Sale.member_id == member_id)
        .order_by(Sale.created_at.desc())
        .limit(limit)
    )
    with db.read() as session:
        return [Purchase(*row) for row in session.execute(query)]
