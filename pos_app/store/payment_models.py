"""Till tables of payment-code payments: each attempt is stored before it goes to the mall (with
the cart and the tenders taken so far, so a till that died mid-payment can finish or drop the
sale on restart), and refunds owed to the customer wait in a queue until the mall has them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.models import Base, UtcDateTime, utc_now


class PaymentAttemptRow(Base):
    """One try at charging a payment code for a sale draft; id is the mall idempotency key.

    state: sending (stored, the mall may or may not have it) → pending → paid | failed |
    cancelled. sale_id (top_up_id) is set in the checkout (top-up) transaction that the payment
    paid for.
    """

    __tablename__ = "payment_attempts"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    draft_id: Mapped[str] = mapped_column(String(64))
    attempt_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # wechat | alipay
    amount_fen: Mapped[int] = mapped_column(Integer)
    code_masked: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12), index=True)
    mall_payment_id: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    message: Mapped[str] = mapped_column(String(200), default="")
    cart_json: Mapped[str] = mapped_column(Text)
    tenders_json: Mapped[str] = mapped_column(Text)  # tenders taken before this attempt
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), nullable=True)
    top_up_id: Mapped[int | None] = mapped_column(ForeignKey("top_ups.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    __table_args__ = (UniqueConstraint("draft_id", "attempt_no", name="uq_payment_attempts_no"),)


class PaymentRefundRow(Base):
    """A refund to a payment code owed by a committed refund sale; kept until the mall has it.

    id is the mall idempotency key (refund sale no + mall payment id); state queued | done |
    failed (the mall refused it for good: a person must look).
    """

    __tablename__ = "payment_refund_queue"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    mall_payment_id: Mapped[str] = mapped_column(String(32))
    refund_sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"))
    amount_fen: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class TopUp(Base):
    """Stored value a member bought at this till (充值): paid amount and the bonus the till
    expects; the mall credits by its own tiers. Not a sale: counted apart in the shift."""

    __tablename__ = "top_ups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    top_up_no: Mapped[str] = mapped_column(String(32), unique=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    member_id: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(Integer)
    bonus_fen: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class TopUpPayment(Base):
    __tablename__ = "top_up_payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    top_up_id: Mapped[int] = mapped_column(ForeignKey("top_ups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Integer)
    tendered_fen: Mapped[int] = mapped_column(Integer)
    change_fen: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str] = mapped_column(String(64), default="")
