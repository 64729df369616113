"""Till tables for members: what this till last knew of a member (the mall holds the truth),
and the balance printed on each member receipt, so a reprint shows the same figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.models import Base, UtcDateTime, utc_now


class KnownMember(Base):
    """A member as last seen by this till: from a mall lookup, a member code or a signup.

    Balances are None when this till never heard them from the mall (a member code read
    offline, a signup queued offline); they move with this till's own sales in between.
    """

    __tablename__ = "known_members"
    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    tier: Mapped[str] = mapped_column(String(16), default="")
    phone_tail: Mapped[str] = mapped_column(String(4), default="")
    card_no: Mapped[str] = mapped_column(String(20), default="")
    points_balance: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stored_value_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(8), default="mall")  # mall | code | signup
    known_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SaleMemberBalance(Base):
    """The member's balances as this till knew them right after a sale or refund."""

    __tablename__ = "sale_member_balances"
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64))
    points_balance: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stored_value_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ClaimedReceipt(Base):
    """A receipt of this store claimed in the mini-program, as the mall reported it."""

    __tablename__ = "claimed_receipts"
    till_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    till_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
