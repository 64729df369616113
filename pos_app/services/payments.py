"""Online payment by the customer's WeChat/Alipay payment code (付款码), as the till sees it.

The till never holds payment keys: micropay goes through the mall server (DESIGN §3), whose
gateway adapter arrives in a later issue. Until it is wired, UnavailableGateway refuses every
attempt with PaymentUnavailable; it never pretends a payment succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

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
class PaymentAttempt:
    """One try at charging a payment code; reference is the gateway's transaction id."""

    attempt_id: str
    state: AttemptState
    amount_fen: int
    reference: str = ""
    message: str = ""


class PaymentGateway(Protocol):
    """Charges payment codes through the mall. Calls may block on the network: run them off
    the GUI thread."""

    def start(self, sale_draft_id: str, amount_fen: int, code: str) -> PaymentAttempt: ...

    def poll(self, attempt_id: str) -> PaymentAttempt: ...

    def cancel(self, attempt_id: str) -> PaymentAttempt: ...


UNAVAILABLE_MESSAGE = "线上支付暂不可用：本收银台尚未连接商城支付服务，请改用现金或银行卡。"


class UnavailableGateway:
    """The gateway used until the mall's payment service is wired: refuses every call."""

    def start(self, sale_draft_id: str, amount_fen: int, code: str) -> PaymentAttempt:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE)

    def poll(self, attempt_id: str) -> PaymentAttempt:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE)

    def cancel(self, attempt_id: str) -> PaymentAttempt:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE)
