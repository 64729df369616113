"""Tables of payment-code payments (付款码支付) at the mall, and of the sandbox provider's books.

`payments` and `payment_refunds` are the mall's record of what it asked the provider and what the
provider answered; `sandbox_trades` and `sandbox_ledger` belong to the sandbox provider (they
stand in for WeChat Pay's / Alipay's own books, so tests can check money to the fen). Full
payment codes are never stored: only a masked form and a SHA-256 to recognise a retry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from mall.models import Base, BigId, Utc, utc_now


class PaymentRow(Base):
    """One charge of a payment code at a till, or a WeChat Pay JSAPI payment of a customer's
    online order (no device; sale_draft_id is the order id, prepay_id what the phone pays);
    id is also the out_trade_no sent to the provider.

    status: created (stored, provider not answered yet) → pending (customer confirming, or the
    answer was unknown) → paid | failed | cancelled (reversed at the provider).
    """

    __tablename__ = "payments"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    till_id: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(80))
    sale_draft_id: Mapped[str] = mapped_column(String(64))
    attempt_no: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(8))  # wechat | alipay
    gateway: Mapped[str] = mapped_column(String(16))  # sandbox | wechat | alipay
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    code_masked: Mapped[str] = mapped_column(String(32))
    code_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    provider_txn_id: Mapped[str] = mapped_column(String(64), default="")
    error_code: Mapped[str] = mapped_column(String(32), default="")
    message: Mapped[str] = mapped_column(String(200), default="")
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    deadline_at: Mapped[datetime] = mapped_column(Utc)
    next_query_at: Mapped[datetime] = mapped_column(Utc)
    paid_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    prepay_id: Mapped[str] = mapped_column(String(64), default="", server_default=text("''"))
    __table_args__ = (
        Index("ix_payments_sale_draft_id", "sale_draft_id"),
        UniqueConstraint("store_id", "idempotency_key", name="uq_payments_idempotency"),
        Index("ix_payments_status_next", "status", "next_query_at"),
        Index("ix_payments_paid_at", "paid_at"),
    )


class PaymentRefundRow(Base):
    """A refund of (part of) a paid payment; id is the out_refund_no sent to the provider."""

    __tablename__ = "payment_refunds"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(12))  # pending | succeeded | failed
    provider_refund_id: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    __table_args__ = (
        UniqueConstraint("payment_id", "idempotency_key", name="uq_payment_refunds_idempotency"),
    )


class SandboxTradeRow(Base):
    """A trade as the sandbox provider sees it (state names as WeChat Pay's trade_state)."""

    __tablename__ = "sandbox_trades"
    out_trade_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    transaction_id: Mapped[str] = mapped_column(String(32), unique=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # a code pays only once
    scenario: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(12))  # USERPAYING|SUCCESS|PAYERROR|REVOKED
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    resolves_at: Mapped[datetime] = mapped_column(Utc)  # when the customer confirms or gives up
    queries: Mapped[int] = mapped_column(Integer, default=0)  # calls as the provider counts them
    reversals: Mapped[int] = mapped_column(Integer, default=0)


class SandboxLedgerRow(Base):
    """The sandbox provider's books: + charge, − refund, − reversal (one row per fact)."""

    __tablename__ = "sandbox_ledger"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    out_trade_no: Mapped[str] = mapped_column(ForeignKey("sandbox_trades.out_trade_no"))
    entry: Mapped[str] = mapped_column(String(12))  # charge | refund | reversal
    ref: Mapped[str] = mapped_column(String(64), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    __table_args__ = (
        UniqueConstraint("out_trade_no", "entry", "ref", name="uq_sandbox_ledger_entry"),
    )
