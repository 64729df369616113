"""Tables of members at the mall: members, their points and stored-value ledgers, redemption
holds, receipt claims, the chain's settings and keys, and the H5 log-in (codes, sessions, rate
limits).

A balance is the sum of its ledger; member_balances keeps that sum, moved in the same transaction
as each entry (mall.members.ledger), so reading it does not grow with history. Secrets are
stored as they must be used (the keys) or only as hashes (verification codes, session tokens).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mall.models import Base, BigId, Utc, utc_now


class ChainSettingRow(Base):
    """A chain-wide setting as JSON: the points rules, the member code signing keys."""

    __tablename__ = "chain_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReceiptKeyRow(Base):
    """A store's receipt token key (HMAC); the newest one signs, older ones still verify."""

    __tablename__ = "receipt_keys"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    kid: Mapped[str] = mapped_column(String(1), primary_key=True)
    key_b64: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)


class MemberRow(Base):
    __tablename__ = "members"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # "M" + 12 hex digits
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    card_no: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    tier: Mapped[str] = mapped_column(String(16), default="")
    source: Mapped[str] = mapped_column(String(8))  # till | h5 | admin
    store_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # where they joined
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    # The step of the dynamic digits the member page showed last (None: never shown; -1: logged
    # out). Only those digits are accepted: a refreshed or logged-out code stops working.
    code_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class PointsEntryRow(Base):
    """One change of a member's points; a positive entry is a lot that expires at expires_at."""

    __tablename__ = "points_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    delta: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(
        String(12)
    )  # sale|refund|claim|redemption|expiry|adjustment
    ref: Mapped[str] = mapped_column(String(64), default="")
    store_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    expires_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    __table_args__ = (Index("ix_points_entries_member", "member_id", "id"),)


class StoredValueEntryRow(Base):
    """One change of a member's stored value (fen): top-up, redemption, refund, adjustment."""

    __tablename__ = "stored_value_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    delta_fen: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(12))
    ref: Mapped[str] = mapped_column(String(64), default="")
    store_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    __table_args__ = (Index("ix_stored_value_entries_member", "member_id", "id"),)


class MemberBalanceRow(Base):
    """A member's balances as kept sums of the ledgers (the ledgers stay the truth: `pos-mall
    check` compares). points_check_at: no points expire before it (None: none will), so a
    read skips the ledger until then."""

    __tablename__ = "member_balances"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    stored_value_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    points_check_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True, index=True)


class HoldRow(Base):
    """Points or stored value set aside for a sale in progress (active → captured | released |
    expired), or an offline redemption recorded when its sale arrived (origin "offline").
    refunded_fen/refunded_units count what refunds gave back (units: points or fen)."""

    __tablename__ = "redemption_holds"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    store_id: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    kind: Mapped[str] = mapped_column(String(12))  # points | stored_value
    origin: Mapped[str] = mapped_column(String(8), default="online")  # online | offline
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Utc)
    sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    settled_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_units: Mapped[int] = mapped_column(BigInteger, default=0)


class ReceiptClaimRow(Base):
    """A receipt claimed in the mini-program (one per receipt): pending until its sale synced,
    then credited (or void when the sale already had a member or does not match)."""

    __tablename__ = "receipt_claims"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(32))
    till_id: Mapped[str] = mapped_column(String(32))
    till_seq: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(Utc)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|credited|void
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    reversed_points: Mapped[int] = mapped_column(BigInteger, default=0)
    sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    credited_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    __table_args__ = (
        UniqueConstraint("store_id", "till_id", "till_seq", name="uq_receipt_claims_receipt"),
    )


class SmsCodeRow(Base):
    """A verification code sent to a phone; only its hash is kept."""

    __tablename__ = "sms_codes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    code_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Utc, index=True)
    used_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class RateCounterRow(Base):
    """How many actions (codes sent, claims, look-ups, pairings) one phone, IP or device did in
    its current window, for rate limits (mall.members.rate_limits)."""

    __tablename__ = "rate_counters"
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(Utc, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class MemberSessionRow(Base):
    """A logged-in phone in the H5 pages; the cookie holds the token, the table its hash."""

    __tablename__ = "member_sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Utc, index=True)


class MemberPresentationRow(Base):
    """When a member last showed their own code (QR or digits) at a till: holds on their points
    and stored value are set only by a till they showed it to, so a member id alone can never
    be used to spend, nor to learn a balance from the answers."""

    __tablename__ = "member_presentations"
    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    presented_at: Mapped[datetime] = mapped_column(Utc, index=True)
