"""The payment part of the till–mall contract: charging a payment code (付款码), following it,
cancelling it, refunding it, and the daily reconciliation report. Money is integer fen.

A create request carries an idempotency key derived from the sale draft and attempt number; the
mall answers the same payment for the same key, so a retried request never charges twice. The
payment code travels only in the create request and is never echoed back (only a masked form).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from sync.protocol import Ident, Strict, Text200

PaymentStatus = Literal["pending", "paid", "failed", "cancelled"]
RefundStatus = Literal["pending", "succeeded", "failed"]

Key = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.:-]{1,80}$")]
PaymentId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
PaymentCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{16,24}$")]
PayFen = Annotated[int, Field(strict=True, ge=1, le=10**10)]  # ¥1亿: far above a shop's sale
Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class CreatePayment(Strict):
    """Charge payment_code amount_fen for a sale draft (attempt_no counts tries of that draft)."""

    idempotency_key: Key
    sale_draft_id: Ident
    attempt_no: Annotated[int, Field(strict=True, ge=1, le=1000)]
    amount_fen: PayFen
    payment_code: PaymentCode = Field(repr=False)
    description: Text200 = ""


class Payment(Strict):
    """A payment as the mall knows it. seconds_left: until the mall gives up waiting for the
    customer and reverses the payment (0 when no longer pending)."""

    id: PaymentId
    idempotency_key: Key
    sale_draft_id: Ident
    attempt_no: int
    provider: Literal["wechat", "alipay"]
    status: PaymentStatus
    amount_fen: int
    refunded_fen: int
    code_masked: str
    provider_txn_id: str
    error_code: str
    message: str
    seconds_left: float
    created_at: datetime
    paid_at: datetime | None


class CreateRefund(Strict):
    """Give back amount_fen of a paid payment; the same key answers the same refund."""

    idempotency_key: Key
    amount_fen: PayFen
    reason: Annotated[str, StringConstraints(max_length=80, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""


class Refund(Strict):
    id: PaymentId
    payment_id: PaymentId
    idempotency_key: Key
    amount_fen: int
    status: RefundStatus
    message: str


class ReconciliationRow(Strict):
    """One store's day: money at the provider (charged − reversed − refunded) against the code
    tenders of the sales and refunds its tills pushed. difference_fen = provider − tills. Every
    paid payment must belong to exactly one sale and every sale tender to a paid payment."""

    store_id: Ident
    day: Day
    payments: int
    charged_fen: int
    reversed_fen: int
    refunded_fen: int
    provider_net_fen: int
    till_fen: int
    difference_fen: int
    paid_without_sale: list[str]
    paid_in_several_sales: list[str]  # "payment id: sale no, sale no"
    sale_without_payment: list[str]
    balanced: bool  # 平: no difference and nothing unmatched (a lucky offset is not balance)


class ReconciliationReport(Strict):
    day: Day
    rows: list[ReconciliationRow]
