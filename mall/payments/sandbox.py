"""The sandbox provider (the default gateway): behaves like WeChat Pay / Alipay for payment codes,
with its own books, and lets tests and demos choose the outcome by the payment code.

A code whose last four digits are 99NN selects scenario NN (any other code simply pays):

    9901  the customer must confirm (USERPAYING), then pays after `confirm_s`
    9902  the customer must confirm, then declines (wrong password, gives up)
    9903  the customer must confirm and never does (the mall times out and reverses)
    9911  insufficient balance (WeChat NOTENOUGH / Alipay ACQ.BUYER_BALANCE_NOT_ENOUGH)
    9912  the code has expired (WeChat AUTHCODEEXPIRE / Alipay ACQ.PAYMENT_AUTH_CODE_INVALID)
    9921  network error: the request never reaches the provider (no trade)
    9922  network error after the charge: the customer paid but the answer is lost
    9931  slow answer: pays after `slow_s`

A mini-program payment (JSAPI) opens a trade that waits (NOTPAY) until the customer confirms it
on the sandbox's confirmation sheet (`confirm`), the stand-in for WeChat Pay's payment sheet.

Like the real services, a payment code pays only once, a reversal of a paid trade gives the
money back, and refunds never exceed what was paid. The books (sandbox_ledger) hold one row per
money movement: + charge, − reversal, − refund.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mall.db import MallDatabase
from mall.models import utc_now
from mall.payment_models import PaymentRow, SandboxLedgerRow, SandboxTradeRow
from mall.payments.gateway import (
    Charge,
    JsapiCharge,
    Outcome,
    Prepay,
    ProviderUnreachable,
    RefundAnswer,
    ReverseAnswer,
    TradeAnswer,
)

SCENARIO_MARK = "99"
CONFIRM, DECLINE, NO_ANSWER = "01", "02", "03"
NOT_ENOUGH, EXPIRED = "11", "12"
NETWORK_DOWN, ANSWER_LOST = "21", "22"
SLOW = "31"
JSAPI = "jsapi"
_USERPAYING_SCENARIOS = {CONFIRM, DECLINE, NO_ANSWER}
_FAILURES = {
    NOT_ENOUGH: ("NOTENOUGH", "用户余额不足，请换卡或改用其他方式支付"),
    EXPIRED: ("AUTHCODEEXPIRE", "付款码已过期，请顾客刷新付款码后重新扫码"),
}


def scenario_of(code: str) -> str:
    """The scenario a payment code asks for ("" = pay at once)."""
    return code[-2:] if code[-4:-2] == SCENARIO_MARK else ""


def code_sha256(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass
class SandboxGateway:
    """The sandbox provider over the mall's database (its own tables). Thread-safe: every call
    is one short transaction."""

    db: MallDatabase
    confirm_s: float = 6.0
    slow_s: float = 3.0
    name: str = "sandbox"

    def pay(self, charge: Charge) -> TradeAnswer:
        scenario = scenario_of(charge.auth_code)
        if scenario == NETWORK_DOWN:
            raise ProviderUnreachable("sandbox: connection timed out")
        if scenario == SLOW:
            time.sleep(self.slow_s)
        if scenario in _FAILURES:
            code, message = _FAILURES[scenario]
            return TradeAnswer(Outcome.FAILED, error_code=code, message=message)
        try:
            answer = self._open_trade(charge, scenario)
        except IntegrityError:
            return TradeAnswer(
                Outcome.FAILED, error_code="AUTH_CODE_INVALID", message="付款码已使用，请刷新后重试"
            )
        if scenario == ANSWER_LOST:
            raise ProviderUnreachable("sandbox: the answer was lost on the way back")
        return answer

    def _open_trade(self, charge: Charge, scenario: str) -> TradeAnswer:
        waits = scenario in _USERPAYING_SCENARIOS
        prefix = "4200" if charge.provider == "wechat" else "2088"
        trade = SandboxTradeRow(
            out_trade_no=charge.out_trade_no,
            transaction_id=f"{prefix}{uuid.uuid4().int % 10**24:024d}",
            code_sha256=code_sha256(charge.auth_code),
            scenario=scenario,
            amount_fen=charge.amount_fen,
            state="USERPAYING" if waits else "SUCCESS",
            resolves_at=utc_now() + timedelta(seconds=self.confirm_s if waits else 0),
        )
        with self.db.write() as session:
            session.add(trade)
            session.flush()
            if not waits:
                _book(session, trade.out_trade_no, "charge", trade.amount_fen)
            return _answer(trade)

    def prepay(self, charge: JsapiCharge) -> Prepay:
        prepay_id = f"wx_sandbox_{charge.out_trade_no}"
        trade = SandboxTradeRow(
            out_trade_no=charge.out_trade_no,
            transaction_id=f"4200{uuid.uuid4().int % 10**24:024d}",
            code_sha256=code_sha256(f"jsapi:{charge.out_trade_no}"),
            scenario=JSAPI,
            amount_fen=charge.amount_fen,
            state="NOTPAY",
            resolves_at=utc_now(),
        )
        with self.db.write() as session:
            if session.get(SandboxTradeRow, charge.out_trade_no) is None:
                session.add(trade)
        return Prepay(prepay_id, self.client_params(prepay_id))

    def client_params(self, prepay_id: str) -> dict[str, str]:
        return {
            "timeStamp": str(int(time.time())),
            "nonceStr": uuid.uuid4().hex,
            "package": f"prepay_id={prepay_id}",
            "signType": "RSA",
            "paySign": "sandbox",
        }

    def confirm(self, out_trade_no: str) -> TradeAnswer:
        """The customer pays on the sandbox's sheet: a waiting JSAPI trade is charged, once."""
        with self.db.write() as session:
            trade = session.get(SandboxTradeRow, out_trade_no, with_for_update=True)
            if trade is None:
                return TradeAnswer(Outcome.NOT_FOUND, error_code="ORDERNOTEXIST")
            if trade.state == "NOTPAY":
                trade.state = "SUCCESS"
                _book(session, out_trade_no, "charge", trade.amount_fen)
            return _answer(trade)

    def query(self, out_trade_no: str) -> TradeAnswer:
        with self.db.write() as session:
            trade = session.get(SandboxTradeRow, out_trade_no, with_for_update=True)
            if trade is None:
                return TradeAnswer(Outcome.NOT_FOUND, error_code="ORDERNOTEXIST")
            trade.queries += 1
            _resolve(session, trade)
            return _answer(trade)

    def reverse(self, out_trade_no: str) -> ReverseAnswer:
        with self.db.write() as session:
            trade = session.get(SandboxTradeRow, out_trade_no, with_for_update=True)
            if trade is None:
                return ReverseAnswer(True, "no such trade: nothing to reverse")
            trade.reversals += 1
            _resolve(session, trade)
            if _refunded(session, out_trade_no):
                return ReverseAnswer(False, "REVERSE_EXPIRE: 已退款的交易不能撤销")
            if trade.state == "SUCCESS":
                _book(session, out_trade_no, "reversal", -trade.amount_fen)
            trade.state = "REVOKED"
            return ReverseAnswer(True, "reversed")

    def refund(
        self, out_trade_no: str, out_refund_no: str, refund_fen: int, total_fen: int
    ) -> RefundAnswer:
        with self.db.write() as session:
            trade = session.get(SandboxTradeRow, out_trade_no, with_for_update=True)
            if trade is None or trade.state != "SUCCESS" or total_fen != trade.amount_fen:
                return RefundAnswer(Outcome.FAILED, error_code="TRADE_STATE_ERROR")
            done = session.scalar(
                select(SandboxLedgerRow).where(
                    SandboxLedgerRow.out_trade_no == out_trade_no,
                    SandboxLedgerRow.entry == "refund",
                    SandboxLedgerRow.ref == out_refund_no,
                )
            )
            if done is None:
                if _refunded(session, out_trade_no) + refund_fen > trade.amount_fen:
                    return RefundAnswer(Outcome.FAILED, error_code="REFUND_FEE_INVALID")
                _book(session, out_trade_no, "refund", -refund_fen, ref=out_refund_no)
            return RefundAnswer(Outcome.PAID, refund_id=f"50{trade.transaction_id[4:]}")


def _resolve(session: Session, trade: SandboxTradeRow) -> None:
    """The customer's answer on the phone, once its time has come."""
    if trade.state != "USERPAYING" or utc_now() < trade.resolves_at:
        return
    if trade.scenario == CONFIRM:
        trade.state = "SUCCESS"
        _book(session, trade.out_trade_no, "charge", trade.amount_fen)
    elif trade.scenario == DECLINE:
        trade.state = "PAYERROR"


_OUTCOMES = {
    "SUCCESS": (Outcome.PAID, ""),
    "USERPAYING": (Outcome.USERPAYING, "用户支付中，需要输入密码"),
    "NOTPAY": (Outcome.USERPAYING, "等待顾客在手机上支付"),
    "PAYERROR": (Outcome.FAILED, "顾客未完成支付"),
    "REVOKED": (Outcome.CLOSED, "交易已撤销"),
}


def _answer(trade: SandboxTradeRow) -> TradeAnswer:
    outcome, message = _OUTCOMES[trade.state]
    return TradeAnswer(outcome, trade.transaction_id, trade.state, message)


def _book(session: Session, out_trade_no: str, entry: str, amount_fen: int, ref: str = "") -> None:
    session.add(
        SandboxLedgerRow(out_trade_no=out_trade_no, entry=entry, ref=ref, amount_fen=amount_fen)
    )


def _refunded(session: Session, out_trade_no: str) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(SandboxLedgerRow.amount_fen), 0)).where(
            SandboxLedgerRow.out_trade_no == out_trade_no, SandboxLedgerRow.entry == "refund"
        )
    )
    return -int(total or 0)


def sandbox_books_fen(session: Session, store_id: str | None = None) -> int:
    """What the sandbox provider holds for the shop (charges − reversals − refunds), in fen."""
    query = select(func.coalesce(func.sum(SandboxLedgerRow.amount_fen), 0)).join(
        PaymentRow, PaymentRow.id == SandboxLedgerRow.out_trade_no
    )
    if store_id is not None:
        query = query.where(PaymentRow.store_id == store_id)
    return int(session.scalar(query) or 0)
