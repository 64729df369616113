"""Tables of coupons at the mall: campaigns, the coupons themselves (one row each, with the
hold a till has on it and the sale that redeemed it) and their ledger of what happened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mall.models import Base, BigId, Utc, utc_now


class CouponCampaignRow(Base):
    """A kind of coupon: ¥value off from a minimum spend, valid for valid_days after issue;
    claimable ones can be claimed by members themselves (per_member of them, total at most)."""

    __tablename__ = "coupon_campaigns"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    value_fen: Mapped[int] = mapped_column(BigInteger)
    min_spend_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    valid_days: Mapped[int] = mapped_column(Integer)
    claimable: Mapped[bool] = mapped_column(Boolean, default=False)
    per_member: Mapped[int] = mapped_column(Integer, default=1)
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)


class CouponRow(Base):
    """One coupon of one member: issued → held (by a till) → redeemed, or back to issued when
    the hold is released or expires, or when a refund gives it back while still valid."""

    __tablename__ = "coupons"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # "C" + 12 hex digits
    campaign_id: Mapped[str] = mapped_column(ForeignKey("coupon_campaigns.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="issued")
    issued_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Utc)
    hold_id: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    hold_device_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    hold_expires_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    store_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    redeemed_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    discount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class CouponEntryRow(Base):
    """The coupon ledger: issued, claimed, held, released, redeemed, restored, refused (an
    offline use the mall did not take: the conflict is in the reviews)."""

    __tablename__ = "coupon_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    coupon_id: Mapped[str] = mapped_column(ForeignKey("coupons.id"))
    action: Mapped[str] = mapped_column(String(10))
    store_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    ref: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    __table_args__ = (Index("ix_coupon_entries_coupon", "coupon_id", "id"),)
