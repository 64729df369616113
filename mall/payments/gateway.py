"""The interface between the mall's payment service and a payment provider (sandbox, WeChat Pay,
Alipay): charge a payment code, query a trade, reverse it, refund part of it.

Every adapter maps its provider's answers onto the same few outcomes, following the providers'
own guidance for payment-code payments: an answer that is not clearly success or clearly
failure is UNKNOWN and must be resolved by querying (WeChat Pay: "SYSTEMERROR … 请立即调用被扫
订单结果查询API"; Alipay: code 20000 "未知异常 … 建议调用查询接口确认支付结果"), never by
charging again. A call that could not reach the provider raises ProviderUnreachable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class ProviderUnreachable(Exception):
    """The provider did not answer (refused, timed out, cut off, answer not verifiable)."""


class Outcome(StrEnum):
    PAID = "paid"
    USERPAYING = "userpaying"  # the customer is confirming on the phone (entering the password)
    FAILED = "failed"  # clearly not paid (no money moved), e.g. balance too low, code expired
    CLOSED = "closed"  # the trade was closed or reversed at the provider
    NOT_FOUND = "not_found"  # the provider has no such trade (yet)
    UNKNOWN = "unknown"  # the provider's answer does not say; query again


@dataclass(frozen=True)
class Charge:
    """What to charge: out_trade_no is the mall payment id (unique, ≤ 32 characters)."""

    out_trade_no: str
    provider: str  # wechat | alipay
    amount_fen: int
    auth_code: str = field(repr=False)
    description: str
    store_id: str
    till_id: str


@dataclass(frozen=True)
class JsapiCharge:
    """An online order paid in the mini-program (WeChat Pay JSAPI): the customer's openid pays
    amount_fen; out_trade_no is the mall payment id."""

    out_trade_no: str
    amount_fen: int
    description: str
    openid: str
    store_id: str


@dataclass(frozen=True)
class Prepay:
    """What the phone needs to pay (wx.requestPayment's fields in `client`)."""

    prepay_id: str
    client: dict[str, str]


@dataclass(frozen=True)
class TradeAnswer:
    outcome: Outcome
    transaction_id: str = ""
    error_code: str = ""
    message: str = ""


@dataclass(frozen=True)
class ReverseAnswer:
    """done: the trade can never be paid any more and any money went back; else call again."""

    done: bool
    message: str = ""


@dataclass(frozen=True)
class RefundAnswer:
    outcome: Outcome  # PAID (refund accepted), FAILED (refused), UNKNOWN (ask again)
    refund_id: str = ""
    error_code: str = ""
    message: str = ""


class Gateway(Protocol):
    """One payment provider. Calls block on the network (with timeouts); they are never made
    inside a database transaction."""

    name: str

    def pay(self, charge: Charge) -> TradeAnswer: ...

    def query(self, out_trade_no: str) -> TradeAnswer: ...

    def reverse(self, out_trade_no: str) -> ReverseAnswer: ...

    def refund(
        self, out_trade_no: str, out_refund_no: str, refund_fen: int, total_fen: int
    ) -> RefundAnswer: ...


class JsapiGateway(Gateway, Protocol):
    """A provider that also takes payments the customer makes on the phone (JSAPI)."""

    def prepay(self, charge: JsapiCharge) -> Prepay:
        """Open the trade; raises ProviderUnreachable when no trade can be known to exist."""
        ...

    def client_params(self, prepay_id: str) -> dict[str, str]:
        """wx.requestPayment's fields for an opened trade (again, for a repeated request)."""
        ...
