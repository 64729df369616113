"""Periodic upkeep of the mall's data, in short transactions (mall.background runs it once per
interval across workers; `pos-mall member expire` runs the expiry by hand)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from mall.customer.models import CustomerSessionRow
from mall.db import MallDatabase
from mall.members.ledger import apply_expiry
from mall.members.models import MemberBalanceRow, MemberSessionRow, SmsCodeRow
from mall.members.presentations import forget_presentations
from mall.members.rate_limits import forget_old

MEMBERS_PER_TRANSACTION = 500
SMS_CODES_KEPT_FOR = timedelta(days=1)  # past their expiry, for support questions


def expire_points(db: MallDatabase, now: datetime) -> tuple[int, int]:
    """Expire points past their date for the members whose check is due (an index on
    member_balances.points_check_at), a batch of members per transaction (so no write
    transaction spans the whole membership); (points expired, members looked at)."""
    expired = members = 0
    last_id = ""
    while True:
        with db.write() as session:
            ids = list(
                session.scalars(
                    select(MemberBalanceRow.member_id)
                    .where(
                        MemberBalanceRow.points_check_at <= now,
                        MemberBalanceRow.member_id > last_id,
                    )
                    .order_by(MemberBalanceRow.member_id)
                    .limit(MEMBERS_PER_TRANSACTION)
                )
            )
            expired += sum(apply_expiry(session, member_id, now) for member_id in ids)
        if not ids:
            return expired, members
        members += len(ids)
        last_id = ids[-1]


def prune(db: MallDatabase, now: datetime) -> None:
    """Forget rate-limit hits past their windows, members' code showings a day old, SMS codes a
    day past their expiry and ended H5 and mini-program sessions."""
    with db.write() as session:
        forget_old(session, now)
        forget_presentations(session, now)
        session.execute(delete(SmsCodeRow).where(SmsCodeRow.expires_at < now - SMS_CODES_KEPT_FOR))
        session.execute(delete(MemberSessionRow).where(MemberSessionRow.expires_at < now))
        session.execute(delete(CustomerSessionRow).where(CustomerSessionRow.expires_at < now))
