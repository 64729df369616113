"""The mall's payment desk: charge a till's payment code once, follow a pending payment until it is
paid or given up, cancel (reverse) it, refund it.

Guarantees:
- One charge per idempotency key: the payment row (status "created") is committed before the
  provider is called, and a request with a known key answers that payment again.
- No provider call inside a database transaction: a row is read, the provider asked, and the
  answer written under a row lock only if the payment is still open — whoever comes second
  (the till's poll, the background poller, a cancel) finds the final state and leaves it.
- A pending payment is queried every query_interval_s; at deadline_s it is queried one last
  time and, unless paid, reversed (so the customer is never left charged without a sale).
  While the create call itself is still talking to the provider (status "created"), nobody
  else touches the payment until its deadline (WeChat Pay: do not reverse right after paying).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mall.db import MallDatabase
from mall.devices import DeviceIdentity
from mall.errors import MallError, NotFound, Refused
from mall.models import SalePaymentRow, utc_now
from mall.payment_models import PaymentRefundRow, PaymentRow
from mall.payments.config import Gateways, PaymentSettings
from mall.payments.gateway import (
    Charge,
    Outcome,
    ProviderUnreachable,
    RefundAnswer,
    ReverseAnswer,
    TradeAnswer,
)
from pos_app.domain.scan import detect_payment_provider, mask_payment_code
from sync.payment_protocol import CreatePayment, CreateRefund

log = logging.getLogger(__name__)
Answer = TypeVar("Answer", TradeAnswer, RefundAnswer, ReverseAnswer)
OPEN = ("created", "pending")
CLAIM_LEASE = timedelta(seconds=60)  # longer than a query and a reversal with their timeouts
FOLLOW_THREADS = 4  # payments followed up at once by one sweep (each is mostly provider I/O)
_FINAL_OUTCOMES = {Outcome.PAID: "paid", Outcome.FAILED: "failed", Outcome.CLOSED: "cancelled"}
_WAITING_TEXT = {
    Outcome.USERPAYING: "等待顾客输入密码",
    Outcome.UNKNOWN: "支付结果未知，正在查询",
    Outcome.NOT_FOUND: "正在向支付机构确认",
}


class PaymentDesk:
    """Payments of every store; store scoping is done by the caller's DeviceIdentity."""

    def __init__(self, db: MallDatabase, settings: PaymentSettings) -> None:
        self.db = db
        self.settings = settings
        self.gateways = Gateways(settings, db)

    # -- reading -------------------------------------------------------------------------------

    def _load(self, payment_id: str, store_id: str | None = None) -> PaymentRow:
        with self.db.read() as session:
            row = _detached(session, session.get(PaymentRow, payment_id))
        if row is None or (store_id is not None and row.store_id != store_id):
            raise NotFound(f"no payment {payment_id!r} at this store")
        return row

    def get(self, device: DeviceIdentity, payment_id: str) -> PaymentRow:
        """The payment, brought up to date first if a query of the provider is due."""
        self._load(payment_id, device.store_id)
        return self.advance(payment_id)

    def find(self, device: DeviceIdentity, idempotency_key: str) -> list[PaymentRow]:
        with self.db.read() as session:
            row = _detached(session, self._by_key(session, device.store_id, idempotency_key))
        return [self.advance(row.id)] if row else []

    @staticmethod
    def _by_key(session: Session, store_id: str, key: str) -> PaymentRow | None:
        query = select(PaymentRow).where(
            PaymentRow.store_id == store_id, PaymentRow.idempotency_key == key
        )
        return session.scalar(query)

    # -- charging ------------------------------------------------------------------------------

    def create(self, device: DeviceIdentity, request: CreatePayment) -> PaymentRow:
        """Charge the code once for this idempotency key; a repeat answers the same payment."""
        provider = detect_payment_provider(request.payment_code)
        if provider is None:
            raise MallError(422, "not_a_payment_code", "这不是微信或支付宝付款码")
        gateway = self.gateways.for_provider(str(provider))
        if gateway is None:
            raise MallError(503, "provider_not_configured", f"本商城未开通 {provider} 付款码支付")
        row, is_new = self._insert(device, request, str(provider), gateway.name)
        if not is_new:
            return self.advance(row.id)  # a repeated request: never charge again
        log.info("charging %s %s fen", mask_payment_code(request.payment_code), row.amount_fen)
        charge = Charge(
            out_trade_no=row.id,
            provider=row.provider,
            amount_fen=row.amount_fen,
            auth_code=request.payment_code,
            description=request.description or f"门店 {device.store_id} 收银",
            store_id=device.store_id,
            till_id=device.till_id,
        )
        return self.record(row.id, _ask(lambda: gateway.pay(charge), _UNREACHABLE))

    def _insert(
        self, device: DeviceIdentity, request: CreatePayment, provider: str, gateway: str
    ) -> tuple[PaymentRow, bool]:
        """The stored payment for this key and whether it is new (status created) or known."""
        code_sha256 = hashlib.sha256(request.payment_code.encode()).hexdigest()
        try:
            with self.db.write() as session:
                existing = self._by_key(session, device.store_id, request.idempotency_key)
                if existing is None:
                    row = self._new_row(device, request, provider, gateway, code_sha256)
                    session.add(row)
                    return row, True
        except IntegrityError:  # the same key, sent twice at once: the other one won
            with self.db.read() as session:
                existing = _detached(
                    session, self._by_key(session, device.store_id, request.idempotency_key)
                )
        assert existing is not None
        if (existing.amount_fen, existing.code_sha256) != (request.amount_fen, code_sha256):
            raise Refused(
                "idempotency_conflict",
                "this idempotency key was used for another amount or payment code",
            )
        return existing, False

    def _new_row(
        self,
        device: DeviceIdentity,
        request: CreatePayment,
        provider: str,
        gateway: str,
        code_sha256: str,
    ) -> PaymentRow:
        """A payment about to be charged. Until the create call has the provider's answer
        (status created), only its deadline lets anyone else query or reverse it."""
        now = utc_now()
        deadline = now + timedelta(seconds=self.settings.deadline_s)
        return PaymentRow(
            id=uuid.uuid4().hex,
            store_id=device.store_id,
            device_id=device.device_id,
            till_id=device.till_id,
            idempotency_key=request.idempotency_key,
            sale_draft_id=request.sale_draft_id,
            attempt_no=request.attempt_no,
            provider=provider,
            gateway=gateway,
            amount_fen=request.amount_fen,
            code_masked=mask_payment_code(request.payment_code),
            code_sha256=code_sha256,
            status="created",
            message="正在提交支付",
            created_at=now,
            updated_at=now,
            deadline_at=deadline,
            next_query_at=deadline,
        )

    # -- following up --------------------------------------------------------------------------

    def advance(self, payment_id: str) -> PaymentRow:
        """Ask the provider about an open payment when a query is due; give up at the deadline.
        If another caller (a worker's sweep, another till request) holds the due query, the row
        is answered as it stands."""
        row = self._load(payment_id)
        if row.status not in OPEN or utc_now() < row.next_query_at or not self._claim(row.id):
            return row
        return self._follow(row)

    def _claim(self, payment_id: str) -> bool:
        """Take this payment's due query: its next query moves one lease ahead, so nobody else
        asks the provider meanwhile; the answer (or, after a crash, the lease's end) sets the
        next one."""
        now = utc_now()
        with self.db.write() as session:
            taken = session.execute(
                update(PaymentRow)
                .where(*_due(now), PaymentRow.id == payment_id)
                .values(next_query_at=now + CLAIM_LEASE)
            )
        return cast(CursorResult[Any], taken).rowcount == 1

    def _follow(self, row: PaymentRow) -> PaymentRow:
        """Query a claimed payment; past its deadline, reverse it unless it was paid."""
        now = utc_now()
        gateway = self.gateways.named(row.gateway)
        answer = _ask(lambda: gateway.query(row.id), _UNREACHABLE)
        if answer.outcome in _FINAL_OUTCOMES or now < row.deadline_at:
            return self.record(row.id, answer)
        reversed_ = _ask(lambda: gateway.reverse(row.id), _NOT_REVERSED)
        if reversed_.done:
            return self._finish(row.id, "cancelled", "顾客未在规定时间内完成支付，已撤销", OPEN)
        return self.record(row.id, TradeAnswer(Outcome.UNKNOWN, message="正在撤销"))

    def query_now(self, payment_id: str) -> None:
        """The provider told us something happened (a verified notification): ask it now."""
        with self.db.write() as session:
            row = session.get(PaymentRow, payment_id, with_for_update=True)
            if row is None or row.status not in OPEN:
                return
            row.next_query_at = utc_now()
        self.advance(payment_id)

    def sweep(self, limit: int = 100) -> int:
        """Claim up to limit due payments that no other worker is claiming (FOR UPDATE SKIP
        LOCKED, then their next query one lease ahead, in one transaction) and follow them up
        a few at a time; how many were claimed."""
        now = utc_now()
        with self.db.write() as session:
            rows = session.scalars(
                select(PaymentRow)
                .where(*_due(now))
                .order_by(PaymentRow.next_query_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.next_query_at = now + CLAIM_LEASE
        if rows:
            with ThreadPoolExecutor(FOLLOW_THREADS, thread_name_prefix="payment-follow") as pool:
                list(pool.map(self._follow, rows))
        return len(rows)

    def record(self, payment_id: str, answer: TradeAnswer) -> PaymentRow:
        """Write the provider's answer if the payment is still open."""
        with self.db.write() as session:
            row = session.get(PaymentRow, payment_id, with_for_update=True)
            assert row is not None
            if row.status not in OPEN:
                return row
            now = utc_now()
            row.updated_at = now
            row.error_code = answer.error_code[:32]
            row.provider_txn_id = answer.transaction_id or row.provider_txn_id
            status = _FINAL_OUTCOMES.get(answer.outcome)
            if status is None:
                row.status = "pending"
                row.message = _WAITING_TEXT[answer.outcome]
                row.next_query_at = now + timedelta(seconds=self.settings.query_interval_s)
                return row
            row.status = status
            row.message = (answer.message or _FINAL_TEXT[status])[:200]
            if status == "paid":
                row.paid_at = now
            return row

    def _finish(
        self, payment_id: str, status: str, message: str, allowed: tuple[str, ...]
    ) -> PaymentRow:
        with self.db.write() as session:
            row = session.get(PaymentRow, payment_id, with_for_update=True)
            assert row is not None
            if row.status in allowed:
                row.status, row.message, row.updated_at = status, message, utc_now()
            return row

    # -- cancelling ----------------------------------------------------------------------------

    def cancel(self, store_id: str, payment_id: str) -> PaymentRow:
        """Void a payment of the store that will not be used: reverse it at the provider (a paid
        one gets its money back). Refused once it was refunded or is part of a pushed sale."""
        row = self._load(payment_id, store_id)
        if row.status in ("failed", "cancelled"):
            return row
        if row.status == "created":
            raise Refused("payment_in_flight", "正在向支付机构提交，请稍候再撤销")
        if row.status == "paid":
            self._check_voidable(row)
        gateway = self.gateways.named(row.gateway)
        answer = _ask(lambda: gateway.reverse(row.id), _NOT_REVERSED)
        if not answer.done:
            raise MallError(503, "reverse_not_done", f"撤销未完成，请稍后重试：{answer.message}")
        return self._finish(row.id, "cancelled", "已撤销", (*OPEN, "paid"))

    def _check_voidable(self, row: PaymentRow) -> None:
        with self.db.read() as session:
            refunds = session.scalar(
                select(func.count()).where(PaymentRefundRow.payment_id == row.id)
            )
            in_sale = session.scalar(select(func.count()).where(SalePaymentRow.reference == row.id))
        if refunds:
            raise Refused("payment_refunded", "该笔支付已有退款，不能撤销，请走退款")
        if in_sale:
            raise Refused("payment_in_sale", "该笔支付已用于已上传的销售，请走退款")

    # -- refunds -------------------------------------------------------------------------------

    def refund(self, store_id: str, payment_id: str, request: CreateRefund) -> PaymentRefundRow:
        """Give back (part of) a paid payment of the store once per idempotency key, never more
        than paid."""
        payment = self._load(payment_id, store_id)
        refund = self._refund_row(payment, request)
        if refund.status != "pending":
            return refund
        gateway = self.gateways.named(payment.gateway)
        answer = _ask(
            lambda: gateway.refund(payment.id, refund.id, refund.amount_fen, payment.amount_fen),
            _REFUND_UNANSWERED,
        )
        return self._record_refund(refund.id, answer)

    def _refund_row(self, payment: PaymentRow, request: CreateRefund) -> PaymentRefundRow:
        with self.db.write() as session:
            locked = session.get(PaymentRow, payment.id, with_for_update=True)
            assert locked is not None
            refunds = session.scalars(
                select(PaymentRefundRow).where(PaymentRefundRow.payment_id == payment.id)
            ).all()
            for refund in refunds:
                if refund.idempotency_key == request.idempotency_key:
                    if refund.amount_fen != request.amount_fen:
                        raise Refused("idempotency_conflict", "this refund key had another amount")
                    return refund
            if locked.status != "paid":
                raise Refused("payment_not_paid", "只有已支付的款项可以退款")
            owed = sum(r.amount_fen for r in refunds if r.status != "failed")
            if owed + request.amount_fen > locked.amount_fen:
                raise Refused(
                    "refund_too_large",
                    f"退款超过可退金额：已退 {owed} 分，共付 {locked.amount_fen} 分",
                )
            refund = PaymentRefundRow(
                id=uuid.uuid4().hex,
                payment_id=payment.id,
                idempotency_key=request.idempotency_key,
                amount_fen=request.amount_fen,
                reason=request.reason,
                status="pending",
            )
            session.add(refund)
            return refund

    def _record_refund(self, refund_id: str, answer: RefundAnswer) -> PaymentRefundRow:
        with self.db.write() as session:
            refund = session.get(PaymentRefundRow, refund_id, with_for_update=True)
            assert refund is not None
            if refund.status != "pending":
                return refund
            refund.updated_at = utc_now()
            refund.message = (answer.message or answer.error_code)[:200]
            if answer.outcome is Outcome.PAID:
                payment = session.get(PaymentRow, refund.payment_id, with_for_update=True)
                assert payment is not None
                payment.refunded_fen += refund.amount_fen
                refund.status, refund.provider_refund_id = "succeeded", answer.refund_id
            elif answer.outcome is Outcome.FAILED:
                refund.status = "failed"
            return refund


_FINAL_TEXT = {"paid": "支付成功", "failed": "支付失败", "cancelled": "交易已关闭"}
_UNREACHABLE = TradeAnswer(Outcome.UNKNOWN, message="支付机构暂无应答，正在查询")
_NOT_REVERSED = ReverseAnswer(False, "支付机构暂无应答")
_REFUND_UNANSWERED = RefundAnswer(Outcome.UNKNOWN, message="支付机构暂无应答，稍后重试")


def _due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return PaymentRow.status.in_(OPEN), PaymentRow.next_query_at <= now


def _detached(session: Session, row: PaymentRow | None) -> PaymentRow | None:
    """The row, usable after its read-only session ends (which rolls back and would expire it)."""
    if row is not None:
        session.expunge(row)
    return row


def _ask(call: Callable[[], Answer], unanswered: Answer) -> Answer:
    """The provider's answer, or `unanswered` when it could not be reached."""
    try:
        return call()
    except ProviderUnreachable as error:
        log.warning("payment provider unreachable: %s", error)
        return unanswered


def seconds_left(row: PaymentRow, now: datetime | None = None) -> float:
    """Seconds until the mall gives up on a pending payment (0 once it is not open)."""
    if row.status not in OPEN:
        return 0.0
    return max(0.0, (row.deadline_at - (now or utc_now())).total_seconds())
