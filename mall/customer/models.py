"""Tables of the customer side: WeChat customers (one per openid, maybe a member), their log-in
sessions (only token hashes kept), carts per store, and the pickup orders they placed (the
online order itself lives in online_orders; here the slot and the code the customer shows)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mall.models import Base, Utc, utc_now


class CustomerRow(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # "C" + 12 hex digits
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)


class CustomerSessionRow(Base):
    __tablename__ = "customer_sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Utc, index=True)


class CartItemRow(Base):
    __tablename__ = "cart_items"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    qty: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)


class CustomerOrderRow(Base):
    """A pickup order a customer placed: the code they show at the till (the till only ever
    gets its hash) and the pickup slot they chose."""

    __tablename__ = "customer_orders"
    order_id: Mapped[str] = mapped_column(ForeignKey("online_orders.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    pickup_code: Mapped[str] = mapped_column(String(12))
    pickup_start: Mapped[datetime] = mapped_column(Utc)
    pickup_end: Mapped[datetime] = mapped_column(Utc)
    __table_args__ = (Index("ix_customer_orders_customer", "customer_id", "order_id"),)


class CustomerTopUpRow(Base):
    """A stored-value top-up (充值) a customer pays in the mini-program: pending_payment until
    its payment (payments.sale_draft_id = id) is paid, then credited once (the ledger entries
    name this id)."""

    __tablename__ = "customer_top_ups"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    bonus_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16))  # pending_payment | credited
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    credited_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    __table_args__ = (
        Index("ix_customer_top_ups_customer", "customer_id", "created_at"),
        Index("ix_customer_top_ups_status", "status"),
    )
