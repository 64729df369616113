"""Online payment by the customer's WeChat/Alipay payment code (付款码), as the till sees it.

The till never holds payment keys: micropay goes through the mall server (DESIGN §3).
MallPaymentGateway (pos_app.services.mall_payments) is the real gateway; UnavailableGateway
refuses every attempt with PaymentUnavailable for a till that is not paired with a mall; neither
ever pretends a payment succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pos_app.domain.cart import Cart
from pos_app.domain.tenders import Tender
from pos_app.services.errors import ServiceError


class PaymentUnavailable(ServiceError):
    """Online payment cannot be taken now (no gateway, mall offline); take another tender."""


class AttemptState(StrEnum):
    """Where a payment attempt stands; USERPAYING means the customer is confirming on the phone."""

    SUCCESS = "success"
    USERPAYING = "userpaying"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class SaleDraft:
    """The sale being paid, kept with each payment attempt so that a till that died mid-payment
    can finish the sale on restart: its cart and the tenders taken before this attempt."""

    draft_id: str
    cart: Cart
    tenders: tuple[Tender, ...]
    cashier_id: int


@dataclass(frozen=True)
class PaymentAttempt:
    """One try at charging a payment code; reference is the mall payment id (the Tender's
    reference once paid). seconds_left: until the mall gives up waiting for the customer."""

    attempt_id: str
    state: AttemptState
    amount_fen: int
    reference: str = ""
    message: str = ""
    seconds_left: float | None = None


class PaymentGateway(Protocol):
    """Charges payment codes through the mall. Calls may block on the network: run them off
    the GUI thread."""

    def start(self, draft: SaleDraft, amount_fen: int, code: str) -> PaymentAttempt: ...

    def poll(self, attempt_id: str) -> PaymentAttempt: ...

    def cancel(self, attempt_id: str) -> PaymentAttempt: ...


UNAVAILABLE_MESSAGE = "线上支付暂不可用：本收银台尚未连接商城支付服务，请改用现金或银行卡。"


class UnavailableGateway:
    """The gateway of a till without a mall: refuses every call."""

    def start(self, draft: SaleDraft, amount_fen: int, code: str) -> PaymentAttempt:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE)

    def poll(self, attempt_id: str) -> PaymentAttempt:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE)

    def cancel(self, attempt_id: str) -> PaymentAttempt:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE)
